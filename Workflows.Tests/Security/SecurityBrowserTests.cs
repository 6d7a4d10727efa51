using Microsoft.Playwright;
using Workflows.Host.Api;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Security;

/// <summary>
/// In real Chromium under the Content-Security-Policy: the answer page checks the files' sizes before sending (and
/// keeps the typed text), and the dashboard and the designer run without a single blocked script or style.
/// </summary>
public sealed class SecurityBrowserTests(BrowserFixture browser, HearingHost host) : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    /// <summary>Collects what the browser reports about the page's Content-Security-Policy.</summary>
    private static List<string> WatchPolicy(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }

    [Fact]
    public async Task TheAnswerPage_RefusesATooLargeFileBeforeSending_AndKeepsTheText()
    {
        var started = await (await host.Api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Størrelsestjek", caseNumber = "SAG-9", parties = new[] { "aarhus" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>();
        var link = (await AnswerPaths.OfOutboxAsync(host.Factory.Services, "invitation", started.InstanceId)).Single().AnswerPath;
        var page = await browser.NewPageAsync();
        var violations = WatchPolicy(page);
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, link).ToString());
        await page.GetByLabel("Høringssvar").FillAsync("Vores lange svar");
        // A file on disk (a local browser reads it from its path; a buffer would be sent through the driver).
        var big = Path.Combine(host.Factory.Folder, "stor.pdf");
        var content = new byte[26 * 1024 * 1024];
        "%PDF-1.4\n"u8.CopyTo(content);
        await File.WriteAllBytesAsync(big, content);
        await page.GetByLabel("Vedhæft filer").SetInputFilesAsync(big);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send høringssvar" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Filen \"stor.pdf\" er for stor (højst 25 MB). Vælg færre eller mindre filer.");
        await Expect(page).ToHaveURLAsync(new Uri(host.Factory.BaseAddress, link).ToString());
        await Expect(page.GetByLabel("Høringssvar")).ToHaveValueAsync("Vores lange svar");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task TheDashboardAndTheDesigner_RunUnderThePolicy()
    {
        var page = await browser.NewPageAsync();
        var violations = WatchPolicy(page);
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/login").ToString());
        await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overblik");

        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/designer/definitions/standard-hearing").ToString());
        // The designer's React bundle has drawn the flow (its nodes are positioned with inline styles).
        await Expect(page.Locator(".react-flow__node").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/admin").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Administration");
        Assert.Empty(violations);
    }
}
