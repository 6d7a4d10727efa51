using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NodaTime;
using Workflows.Host.Api;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Staff;

/// <summary>
/// The approval chain on the hearing page, in real Chromium (JavaScript off) against the real host on the simulated
/// clock: KKR Midtjylland's erhvervsfremme process (SEEDS-ANALYSIS §1.4) from the kommuners' input through the
/// administrative styregruppe and KKR's decision to the secretariat's task of sending the joint answer — each step
/// recorded on the page, and the process moves on. axe-core checks the pages in a second page with the same cookies.
/// </summary>
public sealed class ApprovalChainPageTests(BrowserFixture browser, HearingHost host) : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    [Fact]
    public async Task RecordingKkrsDecisionOnTheHearingPage_MovesTheProcessOn_ThenTheTaskIsCompletedThere()
    {
        var started = await (await host.Api.PostJsonAsync("/api/instances", new
        {
            definitionId = "erhvervsfremmestrategi-midtjylland",
            input = new { caseNumber = "SAG-2019-05950" },
        })).ReadAsync<InstanceStarted>();
        var id = started.InstanceId;
        // Friday 1 November 12:00: the input's deadline has passed and the styregruppe met at 10:00.
        await host.AdvanceClockAsync(Instant.FromUtc(2019, 11, 1, 11, 0));
        var page = await SignInAsync();
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, $"/hoeringer/{id}").ToString());

        var styregruppe = Step(page, "drøftelse i den administrative styregruppe");
        await Expect(styregruppe.GetByRole(AriaRole.Heading)).ToHaveTextAsync(
            "Afventer drøftelse i den administrative styregruppe for erhvervsfremme i Midtjylland på mødet fredag den 1. november 2019 kl. 10.00");
        await Expect(styregruppe).ToContainTextAsync("Mødet er afholdt, men beslutningen er ikke registreret.");
        await styregruppe.GetByLabel("Drøftet", new() { Exact = true }).CheckAsync();
        await styregruppe.GetByRole(AriaRole.Button, new() { Name = "Registrér beslutningen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Beslutningen er registreret, og forløbet er gået videre.");
        await Expect(Step(page, "drøftelse i den administrative styregruppe")).ToHaveCountAsync(0);

        // Friday 8 November 12:00: the input closed at 9:00, before KKR's meeting at 10:00; the decision is still to be recorded.
        await host.AdvanceClockAsync(Instant.FromUtc(2019, 11, 8, 11, 0));
        await page.ReloadAsync();
        var kkr = Step(page, "KKR Midtjyllands beslutning");
        await Expect(kkr.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Afventer KKR Midtjyllands beslutning på mødet fredag den 8. november 2019 kl. 10.00");
        await Expect(kkr).ToContainTextAsync("Dagsordenspunkt: KKR Midtjyllands fælles høringssvar til Strategi for decentral erhvervsfremme 2020-2023");
        var outcomes = await kkr.Locator("input[type=radio] + label").AllInnerTextsAsync();
        Assert.Equal(["Godkendt", "Ikke godkendt (afvist)", "Udsat til et senere møde"], outcomes);
        await AccessibleAsync(page, "hearing page waiting for KKR's decision");

        await kkr.GetByLabel("Godkendt", new() { Exact = true }).CheckAsync();
        await kkr.GetByLabel("Bemærkning (valgfri)").FillAsync("Godkendt med et ønske om mere vægt på grøn omstilling.");
        await kkr.GetByRole(AriaRole.Button, new() { Name = "Registrér beslutningen" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Beslutningen er registreret, og forløbet er gået videre.");
        await Expect(Step(page, "KKR Midtjyllands beslutning")).ToHaveCountAsync(0);
        var send = Step(page, "Afventer opgaven");
        await Expect(send.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Afventer opgaven: Send KKR Midtjyllands høringssvar til Danmarks Erhvervsfremmebestyrelse");
        await Expect(send).ToContainTextAsync("Ansvarlig: KKR-sekretariatet");
        await Expect(send).ToContainTextAsync("Frist: søndag den 24. november 2019");
        var journal = await (await host.Api.GetAsync($"/api/instances/{id}/journal")).ReadAsync<List<JournalLine>>();
        var decided = Assert.Single(journal, l => l.Message.StartsWith("KKR Midtjylland har godkendt", StringComparison.Ordinal));
        Assert.Equal("KKR Midtjylland har godkendt 'KKR Midtjyllands fælles høringssvar til Strategi for decentral erhvervsfremme 2020-2023'. Bemærkning: Godkendt med et ønske om mere vægt på grøn omstilling.", decided.Message);
        Assert.Equal(HearingHost.StaffEmail, decided.Actor);
        await AccessibleAsync(page, "hearing page waiting for a task");

        // The secretariat sends the joint answer and says so on the page: the process ends.
        await send.GetByLabel("Bemærkning (valgfri)").FillAsync("Sendt til DEB.");
        await send.GetByRole(AriaRole.Button, new() { Name = "Markér opgaven som løst" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Opgaven er markeret som løst, og forløbet er gået videre.");
        await Expect(page.Locator(".process-steps")).ToContainTextAsync("Forløbet er afsluttet.");
        var details = await (await host.Api.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Finished", details.Status);
        journal = await (await host.Api.GetAsync($"/api/instances/{id}/journal")).ReadAsync<List<JournalLine>>();
        Assert.Contains(journal, l => l.Message == "Opgaven 'Send KKR Midtjyllands høringssvar til Danmarks Erhvervsfremmebestyrelse' er løst. Bemærkning: Sendt til DEB." && l.Actor == HearingHost.StaffEmail);

        // A party's page in the same hearing: overdue, with its history.
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, $"/hoeringer/{id}/parter/skive").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Skive Kommune");
        var history = await page.Locator("ol.party-history li").AllInnerTextsAsync();
        Assert.Equal(2, history.Count);
        Assert.StartsWith("tirsdag den 1. oktober 2019 kl. 10.00: Invitation sendt til ", history[0], StringComparison.Ordinal);
        // KKR's agenda names Skive among those missing; that is the decision's note, not Skive's history.
        Assert.Equal("torsdag den 31. oktober 2019 kl. 12.00: Skive Kommune har ikke svaret inden fristen torsdag den 31. oktober 2019 kl. 12.00.", history[1]);
        await AccessibleAsync(page, "party page of a finished process");
    }

    private static ILocator Step(IPage page, string text) => page.Locator(".process-step").Filter(new() { HasText = text });

    private async Task<IPage> SignInAsync()
    {
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/login").ToString());
        await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/login"));
        return page;
    }

    /// <summary>axe-core needs JavaScript, which the page under test runs without: a second page with the same cookies checks the same address.</summary>
    private async Task AccessibleAsync(IPage page, string what)
    {
        var checker = await browser.NewPageAsync();
        try
        {
            await checker.Context.AddCookiesAsync((await page.Context.CookiesAsync()).Select(c => new Cookie
            {
                Name = c.Name,
                Value = c.Value,
                Domain = c.Domain,
                Path = c.Path,
                HttpOnly = c.HttpOnly,
                Secure = c.Secure,
                SameSite = c.SameSite,
            }));
            await checker.GotoAsync(page.Url);
            await Accessibility.AssertNoSeriousViolationsAsync(checker, what);
        }
        finally
        {
            await checker.Context.CloseAsync();
        }
    }
}
