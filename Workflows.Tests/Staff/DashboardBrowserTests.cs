using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using Workflows.Definitions.Parties;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Staff;

/// <summary>
/// The dashboard in real Chromium against the real host (Kestrel, SQLite, simulated clock at 1 October 2019 10:00).
/// A standard hearing goes to the 19 Midtjylland kommuner and 7 answer through the API; the secretariat then signs
/// in and works with the hearing through the pages, with JavaScript switched off (the pages must work without it).
/// axe-core checks every page in a second, ordinary page with the same cookies.
/// </summary>
public sealed class DashboardBrowserTests(BrowserFixture browser, HearingHost host) : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    private static readonly IReadOnlyList<Party> Midtjylland = HearingHost.Parties.InRegion(DanishRegion.Midtjylland);

    /// <summary>Starts a standard hearing to the 19 Midtjylland kommuner and registers an answer from the first <paramref name="answers"/>.</summary>
    private static async Task<Guid> StartHearingAsync(HearingHost on, string title, string caseNumber, int answers)
    {
        var started = await (await on.Api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new
            {
                title,
                caseNumber,
                sender = "KKR Midtjylland",
                parties = "midtjylland",
                deadline = new { date = "2019-10-31", at = "12:00" },
                reminders = new[] { new { workingDaysBefore = 3, at = "09:00" } },
            },
        })).ReadAsync<InstanceStarted>();
        foreach (var party in Midtjylland.Take(answers))
        {
            await (await on.Api.PostJsonAsync($"/api/instances/{started.InstanceId}/parties/{party.Id}/answer", new { text = $"Svar fra {party.Name}." })).ReadAsync<SignalResult>();
        }
        return started.InstanceId;
    }

    private async Task<IPage> SignInAsync(HearingHost on)
    {
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync(new Uri(on.Factory.BaseAddress, "/").ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await AccessibleAsync(page, "sign-in page");
        await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overblik");
        return page;
    }

    [Fact]
    public async Task SignIn_Progress7Of19_Matrix_ExtendOneKommune_RemindNowOnlyThoseMissing()
    {
        var id = await StartHearingAsync(host, "Rammeaftale 2020 for det specialiserede socialområde", "SAG-2019-08001", answers: 7);
        var page = await SignInAsync(host);

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "SAG-2019-08001" });
        await Expect(row).ToContainTextAsync("7 af 19 svar");
        await Expect(row).ToContainTextAsync("torsdag den 31. oktober 2019 kl. 12.00");
        await Expect(row).ToContainTextAsync("22 arbejdsdage tilbage");
        await Expect(row).ToContainTextAsync("KKR Midtjylland");
        await Expect(row).ToContainTextAsync("Midtjylland");
        await AccessibleAsync(page, "overview");

        // Filters: search by case number; a region without this hearing hides it.
        await page.GetByLabel("Søg i titel eller sagsnummer").FillAsync("SAG-2019-08001");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vis", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await page.GetByLabel("KKR/region").SelectOptionAsync("syddanmark");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vis", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Ingen høringer passer til filtrene.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Nulstil" }).ClickAsync();

        // The hearing and its matrix.
        await page.GetByRole(AriaRole.Link, new() { Name = "Rammeaftale 2020 for det specialiserede socialområde" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Rammeaftale 2020 for det specialiserede socialområde");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("7 af 19 svar");
        var matrix = page.Locator("table.matrix");
        await Expect(matrix.Locator("tbody tr")).ToHaveCountAsync(19);
        // What matters first; the hearing's deadline is in the facts, once, and the rest of a row is folded.
        var columns = await matrix.Locator("thead th").AllInnerTextsAsync();
        Assert.Equal(["Part", "Status", "Besvaret", "Frist", "Detaljer"], columns);
        await Expect(page.Locator("dl.hearing-facts")).ToContainTextAsync("torsdag den 31. oktober 2019 kl. 12.00 (22 arbejdsdage tilbage)");
        await Expect(matrix).Not.ToContainTextAsync("31. oktober");
        var answered = Midtjylland[0];
        await Expect(MatrixRow(page, answered.Name)).ToContainTextAsync("Besvaret");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Hent høringsnotat (Word, DOCX)" })).ToHaveAttributeAsync("href", $"/api/instances/{id}/memo");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Hent oversigten over parter (CSV)" })).ToHaveAttributeAsync("href", $"/api/instances/{id}/matrix?format=csv");

        // The høringsnotat downloads from the hearing page, and every party and every answer is in it.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Hent høringsnotat (Word, DOCX)" }).ClickAsync());
        Assert.Equal("hoeringsnotat-SAG-2019-08001.docx", download.SuggestedFilename);
        using (var memo = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(await download.PathAsync(), isEditable: false))
        {
            var paragraphs = memo.MainDocumentPart!.Document!.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).ToList();
            Assert.All(Midtjylland, party => Assert.Contains(paragraphs, p => p.Contains(party.Name, StringComparison.Ordinal)));
            Assert.All(Midtjylland.Take(7), party => Assert.Contains($"Svar fra {party.Name}.", paragraphs));
        }
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Tidslinje for høringen fra 1. okt. til 31. okt." })).ToBeVisibleAsync();
        await Expect(page.Locator("details table tbody tr").First).ToContainTextAsync("tirsdag den 1. oktober 2019 (i dag)");
        await AccessibleAsync(page, "hearing page");

        // The party's name leads to its answer; the answered party's page shows the answer.
        await MatrixRow(page, answered.Name).GetByRole(AriaRole.Link, new() { Name = answered.Name, Exact = true }).ClickAsync();
        await Expect(page.Locator("blockquote")).ToHaveTextAsync($"Svar fra {answered.Name}.");
        await page.GoBackAsync();

        // Extend one kommune's deadline through the form.
        var skive = Midtjylland.Single(p => p.Id == "skive");
        Assert.DoesNotContain(skive, Midtjylland.Take(7));
        await MatrixRow(page, skive.Name).GetByRole(AriaRole.Link, new() { Name = skive.Name, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(skive.Name);
        await AccessibleAsync(page, "party page");
        await page.GetByLabel("Ny frist (dato)").FillAsync("2019-11-07");
        await page.GetByLabel("Klokkeslæt").FillAsync("14:00");
        await page.GetByLabel("Begrundelse (valgfri)").FillAsync("Byrådsmøde 6. november");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gem ny frist" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Fristen er ændret, og parten har fået besked pr. mail.");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("torsdag den 7. november 2019 kl. 14.00");
        await Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "er ændret fra torsdag den 31. oktober 2019 kl. 12.00 til torsdag den 7. november 2019 kl. 14.00" })).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = "Tilbage til høringen Rammeaftale 2020 for det specialiserede socialområde" }).ClickAsync();
        var skiveRow = MatrixRow(page, skive.Name);
        await Expect(skiveRow.Locator("td").Nth(0)).ToHaveTextAsync("Fristforlængelse");
        // Skive's own deadline is in its row; the others share the hearing's, shown once in the facts.
        await Expect(skiveRow.Locator("td").Nth(2)).ToHaveTextAsync("Egen frist: torsdag den 7. november 2019 kl. 14.00 · 27 arbejdsdage tilbage");
        await Expect(MatrixRow(page, Midtjylland[18].Name).Locator("td").Nth(2)).ToHaveTextAsync("22 arbejdsdage tilbage");
        await Expect(page.Locator("dl.hearing-facts")).ToContainTextAsync("1 part har egen frist");
        var skiveStatus = await host.PartyAsync(id, "skive");
        Assert.Equal(("ExtensionGranted", (Instant?)Instant.FromUtc(2019, 11, 7, 13, 0)), (skiveStatus.Status, skiveStatus.Deadline));
        Assert.Single(await host.MailsAsync(id, "skive", "deadline-changed"));

        // Remind now: only the 12 that have not answered get a mail.
        await page.GetByRole(AriaRole.Button, new() { Name = "Påmind alle, der ikke har svaret (12)" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Påmindelsen er sendt til alle, der ikke har svaret.");
        await Expect(MatrixRow(page, skive.Name).Locator("details dd").Nth(1)).ToHaveTextAsync("1. okt. kl. 10.00");
        var contexts = host.Factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var reminded = await (
                from o in db.Outbox
                join t in db.PartyTasks on o.PartyTaskId equals t.Id
                where o.InstanceId == id && o.Template == "reminder"
                select t.PartyId)
            .ToListAsync();
        Assert.Equal(Midtjylland.Skip(7).Select(p => p.Id).Order(), reminded.Order());
        var reminder = Assert.Single(await host.MailsAsync(id, "skive", "reminder"));
        Assert.Contains("Svar senest torsdag den 7. november 2019 kl. 14.00.", reminder.TextBody, StringComparison.Ordinal);
        await Expect(MatrixRow(page, answered.Name).Locator("details dd").Nth(1)).ToHaveTextAsync("Ikke påmindet");

        // Across hearings: what Skive owes.
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/parter/skive").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(skive.Name);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "SAG-2019-08001" })).ToContainTextAsync("Fristforlængelse");
        await AccessibleAsync(page, "party across hearings");
        await page.GetByRole(AriaRole.Link, new() { Name = "Parter", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Parter");
        await AccessibleAsync(page, "party list");
    }

    [Fact]
    public async Task AfterTheDeadline_OverdueViewAndMatrixShowWhoIsMissing()
    {
        // Its own host: moving the clock past the deadline would close the other test's hearing.
        var own = new HearingHost();
        await own.InitializeAsync();
        try
        {
            var id = await StartHearingAsync(own, "Erhvervsfremmestrategi 2020-2023", "SAG-2019-05950", answers: 15);
            await own.AdvanceClockAsync(HearingHost.Deadline + Duration.FromHours(1));
            var page = await SignInAsync(own);

            await page.GetByRole(AriaRole.Link, new() { Name = "Overskredne svar" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("4 overskredne svar i 1 høring fra 4 parter.");
            foreach (var missing in Midtjylland.Skip(15))
            {
                await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = missing.Name }).First).ToBeVisibleAsync();
            }
            await AccessibleAsync(page, "overdue view");

            await page.GotoAsync(new Uri(own.Factory.BaseAddress, $"/hoeringer/{id}").ToString());
            await Expect(MatrixRow(page, Midtjylland[18].Name).Locator("td").Nth(0)).ToHaveTextAsync("Overskredet");
            await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("15 af 19 svar");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Påmind alle, der ikke har svaret (4)" })).ToHaveCountAsync(0);
            await AccessibleAsync(page, "closed hearing page");
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    /// <summary>Starts the host in demo mode and signs in as the demo's administrator, in a page without JavaScript.</summary>
    private async Task<IPage> SignedInToTheDemoAsync(KestrelApiFactory demo)
    {
        demo.Settings["ProcesFlow:Demo"] = "true";
        demo.Start();
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync(new Uri(demo.BaseAddress, "/").ToString());
        await page.GetByLabel("E-mail").FillAsync("admin@procesflow.local");
        await page.GetByLabel("Adgangskode").FillAsync(Workflows.Host.Demo.DemoSetup.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        return page;
    }

    [Fact]
    public async Task Demo_SignInAsTheDemoAdministrator_TheErhvervsfremmeInputShows7Of19AndItsMatrix()
    {
        using var demo = new KestrelApiFactory(TestDatabase.Sqlite);
        var page = await SignedInToTheDemoAsync(demo);

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "SAG-2019-05950" });
        await Expect(row).ToContainTextAsync("7 af 19 svar");
        await Expect(row).ToContainTextAsync("torsdag den 31. oktober 2019 kl. 12.00");
        await row.GetByRole(AriaRole.Link, new() { Name = "Strategi for decentral erhvervsfremme 2020-2023" }).ClickAsync();
        await Expect(page.Locator("table.matrix tbody tr")).ToHaveCountAsync(19);
        await Expect(MatrixRow(page, "Samsø Kommune").Locator("td").Nth(0)).ToHaveTextAsync("Ingen bemærkninger");
        await Expect(MatrixRow(page, "Skive Kommune").Locator("td").Nth(0)).ToHaveTextAsync("Påmindet");
    }

    [Fact]
    public async Task Demo_TheThreeHearingsUnderTheirKkr_FilteringByKkrFindsExactlyTheRightOne()
    {
        using var demo = new KestrelApiFactory(TestDatabase.Sqlite);
        var page = await SignedInToTheDemoAsync(demo);

        var rows = page.Locator("table.hearings-table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        (string CaseNumber, string Owner, string Kkr)[] expected =
            [("SAG-2019-05950", "KKR Midtjylland", "Midtjylland"), ("SAG-2019-04418", "KKR Sjælland", "Sjælland"), ("SAG-2019-06127", "Region Hovedstaden", "Hovedstaden")];
        foreach (var (caseNumber, owner, kkr) in expected)
        {
            var row = rows.Filter(new() { HasText = caseNumber });
            await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(owner);
            await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(kkr);
        }
        await AccessibleAsync(page, "demo overview");

        foreach (var (slug, caseNumber) in new[] { ("midtjylland", "SAG-2019-05950"), ("sjaelland", "SAG-2019-04418"), ("hovedstaden", "SAG-2019-06127") })
        {
            await page.GetByLabel("KKR/region").SelectOptionAsync(slug);
            await page.GetByRole(AriaRole.Button, new() { Name = "Vis", Exact = true }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.Locator("td").Nth(0)).ToContainTextAsync(caseNumber);
            await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("3 igangværende høringer, 1 vises efter filtrering.");
        }
        await page.GetByLabel("KKR/region").SelectOptionAsync("syddanmark");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vis", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Ingen høringer passer til filtrene.");
        await AccessibleAsync(page, "demo overview without matches");
    }

    [Fact]
    public async Task ScriptInATitleAndAPartyName_ShownAsText_NeverRun_OnTheOverviewOverdueViewAndPartyPages()
    {
        // Its own host: the hearing is made overdue by hand.
        var own = new HearingHost();
        await own.InitializeAsync();
        try
        {
            const string title = "Plan <script>alert(\"titel\")</script> & 'citat'";
            const string partyName = "Ukendt <img src=x onerror=\"alert('part')\"> 'Kommune'";
            var started = await (await own.Api.PostJsonAsync("/api/instances", new
            {
                definitionId = "standard-hearing",
                input = new { title, caseNumber = "SAG-2019-09999", sender = "KKR \"Midtjylland\"", parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
            })).ReadAsync<InstanceStarted>();
            var contexts = own.Factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
            await using (var db = await contexts.CreateDbContextAsync())
            {
                await db.PartyTasks.Where(t => t.InstanceId == started.InstanceId && t.PartyId == "skive").ExecuteUpdateAsync(u => u
                    .SetProperty(t => t.PartyId, "ukendt-part").SetProperty(t => t.PartyName, partyName).SetProperty(t => t.Status, "Overdue")
                    .SetProperty(t => t.Deadline, HearingHost.Start - Duration.FromDays(1)));
            }
            var page = await browser.NewPageAsync();
            var dialogs = new List<string>();
            page.Dialog += (_, dialog) =>
            {
                dialogs.Add(dialog.Message);
                _ = dialog.DismissAsync();
            };
            await page.GotoAsync(new Uri(own.Factory.BaseAddress, "/").ToString());
            await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
            await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "SAG-2019-09999" })).ToContainTextAsync("KKR \"Midtjylland\"");
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "SAG-2019-09999" })).ToContainTextAsync("1 overskredet svar");

            await page.GetByRole(AriaRole.Link, new() { Name = "Overskredne svar" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("1 overskredet svar i 1 høring fra 1 part.");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = partyName, Exact = true })).ToHaveCountAsync(2);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToBeVisibleAsync();
            await AccessibleAsync(page, "overdue view with a party");

            await page.GetByRole(AriaRole.Link, new() { Name = "Parter", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = partyName })).ToContainTextAsync("1");
            await page.GetByRole(AriaRole.Link, new() { Name = partyName, Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(partyName);
            await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"{partyName} mangler at svare på 1 høring, heraf 1 efter fristen.");
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "SAG-2019-09999" })).ToContainTextAsync("Overskredet");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToBeVisibleAsync();
            await AccessibleAsync(page, "party page of an overdue party");

            Assert.Empty(dialogs);
            Assert.Equal(0, await page.Locator("main script, main img").CountAsync());
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    private static ILocator MatrixRow(IPage page, string partyName) =>
        page.Locator("table.matrix tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = partyName, Exact = true }) });

    /// <summary>
    /// axe-core needs JavaScript, which the page under test runs without: a second page with the same cookies loads
    /// the same address and axe-core checks it there.
    /// </summary>
    private async Task AccessibleAsync(IPage page, string what)
    {
        var checker = await browser.NewPageAsync();
        try
        {
            var cookies = await page.Context.CookiesAsync();
            await checker.Context.AddCookiesAsync(cookies.Select(c => new Cookie
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
