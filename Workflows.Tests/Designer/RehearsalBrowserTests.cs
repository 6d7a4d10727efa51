using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Workflows.Host.Persistence;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Designer;

/// <summary>
/// Prøvekør in the designer, in real Chromium against the real host: the process owner gives example input and made-up
/// answers and sees who would get which mail when; nothing reaches the outbox.
/// </summary>
public sealed partial class RehearsalBrowserTests(BrowserFixture browser, HearingHost host) : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    [Fact]
    public async Task StandardHearing_TwelveOnTimeTwoLate_RemindersOnlyToTheMadeUpNonAnswerers_NoMailInTheOutbox()
    {
        var before = await CountsAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1600, 1000);
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/designer/definitions/standard-hearing").ToString());
        await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await Expect(page.GetByTestId("designer-status")).ToContainTextAsync("er åbnet.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Prøvekør" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Prøvekør forløbet" });
        // The example input names every required input; the process owner makes it the hearing they have in mind.
        await Expect(dialog.GetByLabel("Eksempel-input (JSON)")).ToHaveValueAsync(new Regex("\"parties\": \"midtjylland\""));
        await dialog.GetByLabel("Eksempel-input (JSON)").FillAsync("""
            { "title": "Erhvervsfremmestrategi 2020-2023", "parties": "midtjylland", "deadline": { "date": "2019-10-31", "at": "12:00" },
              "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ], "latePolicy": { "mode": "acceptUntil", "until": { "date": "2019-11-08", "at": "12:00" } } }
            """);
        await dialog.GetByLabel("Start (dato og tid; tom = nu)").FillAsync("2019-10-01T09:00");
        await dialog.GetByLabel("Parter der svarer rettidigt i hver runde").FillAsync("12");
        await dialog.GetByLabel("Parter der svarer for sent").FillAsync("2");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Kør" }).ClickAsync();

        await Expect(dialog.GetByTestId("rehearsal-summary")).ToContainTextAsync("40 e-mails (19 invitationer, 14 kvitteringer, 7 påmindelser); forløbet er afsluttet.");
        var steps = dialog.GetByTestId("rehearsal-steps");
        var onTime = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in await steps.Locator("tr[data-kind='Answer']").AllAsync())
        {
            if (!(await row.InnerTextAsync()).Contains("for sent", StringComparison.Ordinal))
            {
                onTime.Add((await row.GetAttributeAsync("data-party"))!);
            }
        }
        Assert.Equal(12, onTime.Count);
        var invited = await PartiesAsync(steps, "invitation");
        var reminded = await PartiesAsync(steps, "reminder");
        Assert.Equal(19, invited.Count);
        Assert.Equal(invited.Except(onTime).Order(), reminded.Order());
        await Expect(steps.Locator("tr[data-template='reminder']").First).ToContainTextAsync("mandag den 28. oktober 2019 kl. 9.00");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "prøvekørsel");

        // A step selects its activity on the canvas.
        await steps.Locator("tr[data-template='reminder']").First.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Egenskaber for Send i høring" })).ToBeVisibleAsync();

        Assert.Equal(before, await CountsAsync());
    }

    private static async Task<List<string>> PartiesAsync(ILocator steps, string template) =>
        [.. (await Task.WhenAll((await steps.Locator($"tr[data-template='{template}']").AllAsync()).Select(row => row.GetAttributeAsync("data-party")))).Select(p => p!)];

    /// <summary>Instances and outbox rows in the real database: a rehearsal adds none.</summary>
    private async Task<(int Instances, int Mails)> CountsAsync()
    {
        await using var db = await host.Factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        return (await db.Instances.CountAsync(), await db.Outbox.CountAsync());
    }
}
