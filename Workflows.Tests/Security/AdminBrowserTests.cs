using Microsoft.Playwright;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Security;

/// <summary>The administration pages and the Danish 404 page in real Chromium, checked by axe-core; a key is created and shown once.</summary>
public sealed class AdminBrowserTests(BrowserFixture browser, HearingHost host) : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    [Fact]
    public async Task TheAdministrationPages_AndThe404Page_HaveNoSeriousAccessibilityFindings()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/login?returnUrl=/admin").ToString());
        await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Administration");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "users page");

        await page.GetByRole(AriaRole.Link, new() { Name = "API-nøgler" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("API-nøgler");
        await page.GetByLabel("Navn").FillAsync("ESDH");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opret nøgle" }).ClickAsync();
        await Expect(page.GetByLabel("Nøgle", new() { Exact = true })).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^pf_"));
        await Accessibility.AssertNoSeriousViolationsAsync(page, "keys page with a new key");

        await page.GetByRole(AriaRole.Link, new() { Name = "Revisionsspor" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Revisionsspor");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "ApiKeyCreated", Exact = true })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "audit page");

        var missing = await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/findes-ikke").ToString());
        Assert.Equal(404, missing!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Siden findes ikke");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "404 page");
    }
}
