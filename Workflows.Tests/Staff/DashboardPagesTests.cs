using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Staff;

/// <summary>The dashboard pages over real HTTP on the real host: who may see them, and what bad input gets.</summary>
public abstract class DashboardPagesTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected DashboardPagesTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    private async Task<Guid> StartHearingAsync()
    {
        var started = await (await factory.CreateApiClient().PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Rammeaftale 2020", caseNumber = "SAG-2019-07311", sender = "KKR Midtjylland", parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>();
        return started.InstanceId;
    }

    [Fact]
    public async Task Anonymous_EveryDashboardPageAndAction_IsSentToSignIn_AndChangesNothing()
    {
        var id = await StartHearingAsync();
        var anonymous = StaffSession.Anonymous(factory);
        string[] pages =
        [
            "/", "/?q=Rammeaftale&status=overskredet", $"/hoeringer/{id}", $"/hoeringer/{id}/parter/aarhus", "/parter", "/parter/aarhus", "/parter/vaelg?part=aarhus",
            "/overskredet",
        ];
        foreach (var page in pages)
        {
            var response = await anonymous.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {page}: {response.StatusCode}");
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
        string[] actions = [$"/hoeringer/{id}/paamind", $"/hoeringer/{id}/parter/aarhus/paamind", $"/hoeringer/{id}/parter/aarhus/frist", $"/hoeringer/{id}/parter/aarhus/svar", $"/hoeringer/{id}/parter/aarhus/invitation", $"/hoeringer/{id}/fristforlaengelser/{Guid.NewGuid()}/imoedekom"];
        foreach (var action in actions)
        {
            var response = await anonymous.PostAsync(action, new FormUrlEncodedContent([new("dato", "2019-11-07"), new("tekst", "Svar"), new("adresse", "x@example.dk")]));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"POST {action}: {response.StatusCode}");
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
        // The exports are API routes: refused with 401, not redirected.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/instances/{id}/answers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/instances/{id}/memo")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/instances/{id}/matrix?format=xlsx")).StatusCode);

        var details = await (await factory.CreateApiClient().GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        Assert.All(details.Parties, p => Assert.Equal("Sent", p.Status));
    }

    [Fact]
    public async Task BadInput_ClearDanishMessageOnThePage_NothingChanges()
    {
        var id = await StartHearingAsync();
        var browser = await StaffSession.SignedInAsync(factory);
        var partyPage = $"/hoeringer/{id}/parter/skive";
        var token = StaffSession.Token(await browser.GetStringAsync(partyPage));

        async Task<(HttpStatusCode Status, string Body)> PostAsync(string action, params (string, string)[] fields)
        {
            var response = await browser.PostAsync($"{partyPage}/{action}", new FormUrlEncodedContent(
                fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)).Append(new("__RequestVerificationToken", token))));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var notADate = await PostAsync("frist", ("dato", "den 7. nov"), ("tid", "12:00"));
        Assert.Equal(HttpStatusCode.BadRequest, notADate.Status);
        Assert.Contains("Ny frist: &quot;den 7. nov&quot; er ikke en dato. Skriv den som 31-10-2019.", notADate.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", notADate.Body, StringComparison.Ordinal);

        var badTime = await PostAsync("frist", ("dato", "2019-11-07"), ("tid", "25:99"));
        Assert.Contains("Klokkeslættet &quot;25:99&quot; kan ikke læses. Skriv det som 12:00.", badTime.Body, StringComparison.Ordinal);

        var past = await PostAsync("frist", ("dato", "2019-09-30"), ("tid", "12:00"));
        Assert.Contains("Den nye frist, mandag den 30. september 2019 kl. 12.00, er allerede passeret. Vælg en senere frist.", past.Body, StringComparison.Ordinal);

        var badAddress = await PostAsync("invitation", ("adresse", "skive kommune"));
        Assert.Equal(HttpStatusCode.BadRequest, badAddress.Status);
        Assert.Contains("&quot;skive kommune&quot; er ikke en gyldig e-mailadresse.", badAddress.Body, StringComparison.Ordinal);

        var empty = await PostAsync("svar", ("tekst", "  "));
        Assert.Contains("Svaret er tomt.", empty.Body, StringComparison.Ordinal);

        var forged = await browser.PostAsync($"{partyPage}/frist", new FormUrlEncodedContent([new("dato", "2019-11-07"), new("__RequestVerificationToken", "forfalsket")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Siden var udløbet, så intet blev ændret. Prøv igen.", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var badFilter = await browser.GetAsync("/?fra=i-morgen&region=atlantis");
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        var filterPage = await badFilter.Content.ReadAsStringAsync();
        Assert.Contains("Frist fra: &quot;i-morgen&quot; er ikke en dato.", filterPage, StringComparison.Ordinal);
        Assert.Contains("Vælg en region fra listen.", filterPage, StringComparison.Ordinal);

        var unknownHearing = await browser.GetAsync($"/hoeringer/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknownHearing.StatusCode);
        Assert.Contains("Der er ingen høring med dette nummer.", await unknownHearing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var details = await (await factory.CreateApiClient().GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        var skive = details.Parties.Single(p => p.PartyId == "skive");
        Assert.Equal(("Sent", (NodaTime.Instant?)HearingDeadline), (skive.Status, skive.Deadline));
    }

    [Fact]
    public async Task PaperAnswer_RegisteredThroughTheForm_ShownWithItsText_AndCountedOnTheOverview()
    {
        var id = await StartHearingAsync();
        var browser = await StaffSession.SignedInAsync(factory);
        var partyPage = $"/hoeringer/{id}/parter/aarhus";
        var token = StaffSession.Token(await browser.GetStringAsync(partyPage));
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Aarhus Kommune har ingen indvendinger.\nBrev af 3. oktober."), "tekst" },
        };

        var response = await browser.PostAsync($"{partyPage}/svar", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{partyPage}?udfoert=svar", response.Headers.Location!.OriginalString);
        var page = await browser.GetStringAsync(response.Headers.Location.OriginalString);
        Assert.Contains("Svaret er registreret", page, StringComparison.Ordinal);
        // The renderer writes the line break as a character reference; the quote keeps it (white-space: pre-wrap).
        Assert.Contains("<blockquote class=\"quoted-text\">Aarhus Kommune har ingen indvendinger.\nBrev af 3. oktober.</blockquote>", System.Net.WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("registreret af sekretariatet fra sekretariat@kkr-midtjylland.example", page, StringComparison.Ordinal);
        Assert.Contains("1 af 2 svar", await browser.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal("Answered", (await (await factory.CreateApiClient().GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>()).Parties.Single(p => p.PartyId == "aarhus").Status);
    }

    [Fact]
    public async Task ResendInvitation_ToANewAddress_ThroughTheForm_NewAddressShownAndMailed()
    {
        var id = await StartHearingAsync();
        var browser = await StaffSession.SignedInAsync(factory);
        var partyPage = $"/hoeringer/{id}/parter/skive";
        var token = StaffSession.Token(await browser.GetStringAsync(partyPage));

        var response = await browser.PostAsync($"{partyPage}/invitation", new FormUrlEncodedContent([new("adresse", "hoering@skive.example"), new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await browser.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Invitationen er sendt igen til den nye adresse.", page, StringComparison.Ordinal);
        Assert.Contains("<dt>E-mail</dt><dd>hoering@skive.example</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<td>Invitation</td><td>hoering@skive.example</td>", page, StringComparison.Ordinal);
        Assert.Contains("Invitationen til Skive Kommune er sendt igen til hoering@skive.example", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemindAndResendThroughTheApi_RefusedForAnsweredPartiesAndBadAddresses()
    {
        var id = await StartHearingAsync();
        var api = factory.CreateApiClient();
        await (await api.PostJsonAsync($"/api/instances/{id}/parties/aarhus/answer", new { noComments = true })).ReadAsync<SignalResult>();

        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/instances/{id}/parties/aarhus/remind", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/instances/{id}/parties/skive/remind", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/instances/{id}/remind", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/instances/{id}/parties/odense/remind", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostJsonAsync($"/api/instances/{id}/parties/skive/resend-invitation", new { to = new[] { "ikke en adresse" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/instances/{id}/parties/skive/resend-invitation", new { to = new[] { "hoering@skive.example" } })).StatusCode);

        var journal = (await (await api.GetAsync($"/api/instances/{id}/journal")).ReadAsync<List<JournalLine>>()).Select(j => j.Message).ToList();
        Assert.Equal(2, journal.Count(m => m == "Påmindelse sendt nu til Skive Kommune af api-key-1."));
        Assert.DoesNotContain(journal, m => m.Contains("Påmindelse sendt nu til Aarhus", StringComparison.Ordinal));
        Assert.Contains(journal, m => m.StartsWith("Invitationen til Skive Kommune er sendt igen til hoering@skive.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExtensionRequest_CountedOnTheOverview_FilteredByStatus_ListedOnTheHearing()
    {
        var id = await StartHearingAsync();
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        Guid skive;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            skive = await db.PartyTasks.Where(t => t.InstanceId == id && t.PartyId == "skive").Select(t => t.Id).SingleAsync();
        }
        var requested = await factory.Services.GetRequiredService<HearingCommands>().RequestExtensionAsync(skive, "Byrådet behandler sagen 6. november.", null, CancellationToken.None);
        Assert.IsType<AnswerOutcome.Accepted>(requested);
        var browser = await StaffSession.SignedInAsync(factory);

        var overview = await browser.GetStringAsync("/?status=fristforlaengelse");
        Assert.Contains("Rammeaftale 2020", overview, StringComparison.Ordinal);
        // The one open request, and nothing else to act on: no overdue or late answer, no fault.
        Assert.Equal(["Afventer svar", "1 anmodning om fristforlængelse"], Assert.Single(OverviewTable.Rows(overview)).Status);
        Assert.Contains("Ingen høringer passer til filtrene.", await browser.GetStringAsync("/?status=fejl"), StringComparison.Ordinal);

        var hearing = await browser.GetStringAsync($"/hoeringer/{id}");
        Assert.Contains($"<a href=\"/hoeringer/{id}/parter/skive\">Skive Kommune</a>, tirsdag den 1. oktober 2019 kl. 10.00: Byrådet behandler sagen 6. november.", hearing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtensionRequests_GrantedWithTheWishedDate_OrRefused_FromTheHearingPage()
    {
        var id = await StartHearingAsync();
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        var answers = factory.Services.GetRequiredService<HearingCommands>();
        Dictionary<string, Guid> tasks;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            tasks = await db.PartyTasks.Where(t => t.InstanceId == id).ToDictionaryAsync(t => t.PartyId, t => t.Id);
        }
        Assert.IsType<AnswerOutcome.Accepted>(await answers.RequestExtensionAsync(tasks["skive"], "Byrådet behandler sagen 6. november.", new System.Text.Json.Nodes.JsonObject { ["date"] = "2019-11-07" }, CancellationToken.None));
        Assert.IsType<AnswerOutcome.Accepted>(await answers.RequestExtensionAsync(tasks["aarhus"], "Vi vil gerne have mere tid.", null, CancellationToken.None));
        var browser = await StaffSession.SignedInAsync(factory);

        var hearing = await browser.GetStringAsync($"/hoeringer/{id}");
        Assert.Contains("Imødekom: ny frist torsdag den 7. november 2019", hearing, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/hoeringer/{id}/parter/aarhus\">Sæt en ny frist for Aarhus Kommune</a>", hearing, StringComparison.Ordinal);
        Guid skiveRequest, aarhusRequest;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            skiveRequest = await db.ExtensionRequests.Where(r => r.PartyTaskId == tasks["skive"]).Select(r => r.Id).SingleAsync();
            aarhusRequest = await db.ExtensionRequests.Where(r => r.PartyTaskId == tasks["aarhus"]).Select(r => r.Id).SingleAsync();
        }

        var granted = await browser.PostAsync($"/hoeringer/{id}/fristforlaengelser/{skiveRequest}/imoedekom",
            new FormUrlEncodedContent([new("__RequestVerificationToken", StaffSession.Token(hearing))]));
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        Assert.Contains("Fristforlængelsen er givet, og parten har fået besked pr. mail.", await browser.GetStringAsync(granted.Headers.Location!.ToString()), StringComparison.Ordinal);
        var refused = await browser.PostAsync($"/hoeringer/{id}/fristforlaengelser/{aarhusRequest}/afslaa",
            new FormUrlEncodedContent([new("__RequestVerificationToken", StaffSession.Token(hearing))]));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);

        // Deciding the same request again says so, in Danish, and changes nothing.
        var again = await browser.PostAsync($"/hoeringer/{id}/fristforlaengelser/{skiveRequest}/afslaa",
            new FormUrlEncodedContent([new("__RequestVerificationToken", StaffSession.Token(hearing))]));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Anmodningen er allerede afgjort", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using (var db = await contexts.CreateDbContextAsync())
        {
            var skive = await db.PartyTasks.SingleAsync(t => t.Id == tasks["skive"]);
            Assert.Equal("ExtensionGranted", skive.Status);
            Assert.True(skive.Deadline > HearingDeadline);
            Assert.Equal(["Granted", "Refused"], await db.ExtensionRequests.Where(r => r.InstanceId == id).OrderBy(r => r.PartyTaskId == tasks["aarhus"]).Select(r => r.Status).ToListAsync());
            Assert.Equal(HearingDeadline, (await db.PartyTasks.SingleAsync(t => t.Id == tasks["aarhus"])).Deadline);

            // Aarhus is told its deadline stands; Skive is told its new one.
            var refusal = await db.Outbox.SingleAsync(o => o.PartyTaskId == tasks["aarhus"] && o.Template == "extension-refused");
            var model = System.Text.Json.Nodes.JsonNode.Parse(refusal.Model!)!;
            Assert.Equal("torsdag den 31. oktober 2019 kl. 12.00", model["deadline"]!["text"]!.GetValue<string>());
            Assert.Equal("Vi vil gerne have mere tid.", model["requestReason"]!.GetValue<string>());
            Assert.Single(await db.Outbox.Where(o => o.PartyTaskId == tasks["skive"] && o.Template == "deadline-changed").ToListAsync());
        }
    }

    [Fact]
    public async Task RegionAndOwner_FromTheDefinitionAGroupOrTheInput_ShownAndFilteredByKkr()
    {
        var api = factory.CreateApiClient();
        async Task<Guid> StartAsync(string definitionId, object input) =>
            (await (await api.PostJsonAsync("/api/instances", new { definitionId, input })).ReadAsync<InstanceStarted>()).InstanceId;
        // No sender and no parties in the input: the definition's hearing names "KKR Midtjylland" and the group alle-kommuner-midtjylland.
        var definition = await StartAsync("erhvervsfremmestrategi-midtjylland", new { title = "Erhvervsfremme fra definitionen", caseNumber = "SAG-DEF" });
        var group = await StartAsync("standard-hearing", new
        {
            title = "Rammeaftale til en gruppe",
            caseNumber = "SAG-GRUPPE",
            sender = "KKR Sjælland",
            parties = "byraad-og-regionsraad-sjaelland",
            deadline = new { date = "2019-10-31", at = "12:00" },
        });
        var mixed = await StartAsync("standard-hearing", new
        {
            title = "Høring på tværs",
            caseNumber = "SAG-TVAERS",
            parties = new[] { "aarhus", "holbaek" },
            deadline = new { date = "2019-10-31", at = "12:00" },
        });
        var national = await StartAsync("standard-hearing", new
        {
            title = "Høring af ministerier",
            caseNumber = "SAG-STAT",
            parties = new[] { "ufm", "kl" },
            deadline = new { date = "2019-10-31", at = "12:00" },
        });
        var browser = await StaffSession.SignedInAsync(factory);

        var rows = OverviewTable.Rows(await browser.GetStringAsync("/"));
        Assert.Equal(
            [
                (definition, "SAG-DEF", "KKR Midtjylland", "Midtjylland"),
                (group, "SAG-GRUPPE", "KKR Sjælland", "Sjælland"),
                (national, "SAG-STAT", "Ikke angivet", "Landsdækkende"),
                (mixed, "SAG-TVAERS", "Ikke angivet", "Flere regioner"),
            ],
            rows.Select(r => (r.Id, r.CaseNumber, r.Owner, r.Region)).OrderBy(r => r.CaseNumber, StringComparer.Ordinal));

        async Task<List<string>> FoundAsync(string query) => OverviewTable.Rows(await browser.GetStringAsync(query)).Select(r => r.CaseNumber).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["SAG-DEF", "SAG-TVAERS"], await FoundAsync("/?region=midtjylland"));
        Assert.Equal(["SAG-GRUPPE", "SAG-TVAERS"], await FoundAsync("/?region=sjaelland"));
        Assert.Empty(await FoundAsync("/?region=syddanmark"));
        Assert.Equal(["SAG-TVAERS"], await FoundAsync($"/?region={Uri.EscapeDataString("Flere regioner")}"));
        Assert.Equal(["SAG-STAT"], await FoundAsync("/?region=Landsd%C3%A6kkende"));
        Assert.Equal(["SAG-DEF"], await FoundAsync($"/?ansvarlig={Uri.EscapeDataString("KKR Midtjylland")}"));
    }

    [Fact]
    public async Task ScriptAndQuotes_InTitleOwnerCaseNumberAndPartyNames_AreEncodedOnTheOverviewOverdueAndPartyPages()
    {
        const string title = "Plan <script>alert(\"titel\")</script> & 'citat'";
        const string caseNumber = "SAG-\"><script>alert(1)</script>";
        const string sender = "<script>alert('ejer')</script> \"KKR\"";
        const string overdueName = "Ukendt <script>alert(\"part\")</script> 'Kommune'";
        const string bouncedName = "Aarhus \"<img src=x onerror=alert(2)>\"";
        var started = await (await factory.CreateApiClient().PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title, caseNumber, sender, parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>();
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            // Names as a kommune or a contacts file could give them: one party overdue (under an id the directory does
            // not know, so its page shows the stored name), one whose mail bounced.
            await db.PartyTasks.Where(t => t.InstanceId == started.InstanceId && t.PartyId == "skive").ExecuteUpdateAsync(u => u
                .SetProperty(t => t.PartyId, "ukendt-part").SetProperty(t => t.PartyName, overdueName).SetProperty(t => t.Status, "Overdue")
                .SetProperty(t => t.Deadline, NodaTime.Instant.FromUtc(2019, 9, 30, 10, 0)));
            await db.PartyTasks.Where(t => t.InstanceId == started.InstanceId && t.PartyId == "aarhus").ExecuteUpdateAsync(u => u
                .SetProperty(t => t.PartyName, bouncedName).SetProperty(t => t.Status, "Bounced").SetProperty(t => t.Contacts, "[\"\\\"<b>@aarhus.example\"]"));
        }
        var browser = await StaffSession.SignedInAsync(factory);

        var overview = await browser.GetStringAsync("/");
        var overdue = await browser.GetStringAsync("/overskredet");
        var parties = await browser.GetStringAsync("/parter");
        var party = await browser.GetStringAsync("/parter/ukendt-part");

        static string Encoded(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#x27;", StringComparison.Ordinal);
        foreach (var (page, html, texts) in new[]
        {
            ("overview", overview, new[] { title, caseNumber, sender, bouncedName, "\"<b>@aarhus.example" }),
            ("overdue view", overdue, [title, caseNumber, overdueName]),
            ("party list", parties, [overdueName]),
            ("party page", party, [title, caseNumber, overdueName]),
        })
        {
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
            Assert.All(texts, text => Assert.True(html.Contains(Encoded(text), StringComparison.Ordinal), $"{page}: {text} is not shown encoded"));
        }
        // The owner is also a choice of the filter, encoded in the attribute as in the text.
        Assert.Contains($"<option value=\"{Encoded(sender)}\">{Encoded(sender)}</option>", overview, StringComparison.Ordinal);
        Assert.Contains($"<h1>{Encoded(overdueName)}</h1>", party, StringComparison.Ordinal);
        Assert.Contains($"<title>{Encoded(overdueName)} – ProcesFlow</title>", party, StringComparison.Ordinal);
    }

    private static readonly NodaTime.Instant HearingDeadline = NodaTime.Instant.FromUtc(2019, 10, 31, 11, 0);

    public void Dispose() => factory.Dispose();
}

[Trait("Database", "Sqlite")]
public sealed class DashboardPagesTestsOnSqlite() : DashboardPagesTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class DashboardPagesTestsOnPostgreSql() : DashboardPagesTests(TestDatabase.PostgreSql);
