using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;
using Workflows.Host.Api;
using Workflows.Host.Demo;
using Workflows.Host.Persistence;
using Workflows.Tests.Definitions;
using Workflows.Tests.Support;

namespace Workflows.Tests.Demo;

/// <summary>
/// Demo mode on the real host and a real SQLite file: a fresh demo database gets the 2019 hearings with their answers
/// (through the runtime and the answer service), the invitations land in the demo's pickup folder, a restart adds
/// nothing, and without demo mode nothing is seeded.
/// </summary>
public sealed partial class DemoModeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("procesflow-demo-").FullName;

    private ProcesFlowApiFactory DemoHost(bool demo = true)
    {
        // Reopen: the folder is this test's, so a second host can follow the first on the same database.
        // Demo mode always runs on its own SQLite file, whatever the configured provider.
        var factory = ProcesFlowApiFactory.Reopen(TestDatabase.Sqlite, folder);
        if (demo)
        {
            factory.Settings[DemoSetup.ConfigurationKey] = "true";
        }
        return factory;
    }

    [Fact]
    public async Task DemoOn_FreshDatabase_StartsTheHearingsWithTheirAnswers_InItsOwnDatabase()
    {
        using var factory = DemoHost();
        var client = factory.CreateApiClient();

        var instances = await (await client.GetAsync("/api/instances")).ReadAsync<List<InstanceSummary>>();
        Assert.Equal(
            ["Praksisplan for almen praksis", "Rammeaftale 2021-22 på det specialiserede social- og undervisningsområde", "Strategi for decentral erhvervsfremme 2020-2023"],
            instances.Select(i => i.Name).Order(StringComparer.Ordinal));
        // The erhvervsfremme input runs on its own definition from definitions-json/; the others are standard hearings.
        Assert.Equal(
            ["standard-hearing", "standard-hearing", "erhvervsfremmestrategi-midtjylland"],
            instances.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => i.DefinitionId));
        Assert.All(instances, i => Assert.Equal("Suspended", i.Status));

        var erhvervsfremme = await DetailsAsync(client, instances, "Strategi for decentral erhvervsfremme 2020-2023");
        Assert.Equal("SAG-2019-05950", erhvervsfremme.CorrelationId);
        Assert.Equal(19, erhvervsfremme.Parties.Count);
        Assert.Equal(7, erhvervsfremme.Parties.Count(p => p.Status is "Answered" or "NoComments"));
        Assert.Equal("samsoe", Assert.Single(erhvervsfremme.Parties, p => p.Status == "NoComments").PartyId);
        // Thursday 31 October 2019 12:00 in Copenhagen (CET, after the DST change on the 27th).
        Assert.All(erhvervsfremme.Parties, p => Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0), p.Deadline));
        // The reminder three working days before (Monday 09:00) went to the 12 without an answer at the time.
        Assert.Equal(12, erhvervsfremme.Parties.Count(p => p.Status == "Reminded"));

        var requests = await (await client.GetAsync("/api/extension-requests")).ReadAsync<List<ExtensionRequestDescription>>();
        var skive = Assert.Single(requests);
        Assert.Equal(("skive", erhvervsfremme.InstanceId, "Pending"), (skive.PartyId, skive.InstanceId, skive.Status));

        var rammeaftale = await DetailsAsync(client, instances, "Rammeaftale 2021-22 på det specialiserede social- og undervisningsområde");
        Assert.Equal(18, rammeaftale.Parties.Count);
        Assert.Contains(rammeaftale.Parties, p => p.PartyId == "region-sjaelland" && p.Status == "Answered");
        Assert.Equal(13, rammeaftale.Parties.Count(p => p.Status == "Overdue"));
        Assert.Equal("slagelse", Assert.Single(rammeaftale.Parties, p => p.Status == "AnsweredLate").PartyId);

        var praksisplan = await DetailsAsync(client, instances, "Praksisplan for almen praksis");
        Assert.Equal(29, praksisplan.Parties.Count);
        Assert.Equal(3, praksisplan.Parties.Count(p => p.Status is "Answered" or "NoComments"));

        // The answers are real: stored with their text and the receipt time on the simulated clock.
        var answers = await (await client.GetAsync($"/api/instances/{erhvervsfremme.InstanceId}/answers")).ReadAsync<List<System.Text.Json.Nodes.JsonObject>>();
        Assert.Equal(7, answers.Count);
        Assert.Contains(answers, a => a["partyId"]!.GetValue<string>() == "aarhus" && a["text"]!.GetValue<string>().Contains("grøn omstilling", StringComparison.Ordinal));

        var clock = await (await client.GetAsync("/api/clock")).ReadAsync<ClockReading>();
        Assert.Equal(Instant.FromUtc(2019, 10, 28, 9, 0), clock.Now);

        Assert.True(File.Exists(Path.Combine(folder, DemoSetup.DatabaseFileName)));
        Assert.False(File.Exists(Path.Combine(folder, "procesflow.db")), "the configured database must not receive demo data");
    }

    [Fact]
    public async Task DemoOn_AdministratorWithDemoPassword_SeesTheHearingsProgressOnTheDashboard()
    {
        using var factory = DemoHost();
        var browser = await SignedInAsync(factory);

        var dashboard = await browser.GetAsync("/");
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Strategi for decentral erhvervsfremme 2020-2023", html, StringComparison.Ordinal);
        Assert.Contains("7 af 19 svar", html, StringComparison.Ordinal);
        Assert.Contains("5 af 18 svar", html, StringComparison.Ordinal);
        Assert.Contains("3 af 29 svar", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoOn_Overview_EachHearingUnderItsKkrWithItsOwner_AndTheKkrFilterFindsExactlyIt()
    {
        using var factory = DemoHost();
        var browser = await SignedInAsync(factory);

        var rows = Workflows.Tests.Staff.OverviewTable.Rows(await browser.GetStringAsync("/"));
        // The erhvervsfremme input names neither its parties nor its sender: both come from its definition (the group
        // alle-kommuner-midtjylland, "KKR Midtjylland"); the rammeaftale goes to a group, the praksisplan to a region.
        Assert.Equal(
            [
                ("SAG-2019-04418", "Rammeaftale 2021-22 på det specialiserede social- og undervisningsområde", "KKR Sjælland", "Sjælland"),
                ("SAG-2019-05950", "Strategi for decentral erhvervsfremme 2020-2023", "KKR Midtjylland", "Midtjylland"),
                ("SAG-2019-06127", "Praksisplan for almen praksis", "Region Hovedstaden", "Hovedstaden"),
            ],
            rows.Select(r => (r.CaseNumber, r.Title, r.Owner, r.Region)).OrderBy(r => r.CaseNumber, StringComparer.Ordinal));
        // What each needs from the secretariat on Monday 28 October: the rammeaftale's deadline has passed with 13
        // answers missing and Slagelse's late one in; Skive asks for more time on the erhvervsfremme input.
        Assert.Equal(
            [
                ["Frist udløbet", "13 overskredne svar", "1 besvaret for sent"],
                ["Afventer svar", "1 anmodning om fristforlængelse"],
                ["Afventer svar"],
            ],
            rows.OrderBy(r => r.CaseNumber, StringComparer.Ordinal).Select(r => r.Status));

        async Task<List<string>> FoundAsync(string region) =>
            Workflows.Tests.Staff.OverviewTable.Rows(await browser.GetStringAsync($"/?region={region}")).Select(r => r.CaseNumber).ToList();
        Assert.Equal(["SAG-2019-05950"], await FoundAsync("midtjylland"));
        Assert.Equal(["SAG-2019-04418"], await FoundAsync("sjaelland"));
        Assert.Equal(["SAG-2019-06127"], await FoundAsync("hovedstaden"));
        Assert.Empty(await FoundAsync("syddanmark"));
        Assert.Empty(await FoundAsync("nordjylland"));
        Assert.Empty(await FoundAsync("Landsd%C3%A6kkende"));
    }

    [Fact]
    public async Task DemoOn_Invitations_AreWrittenToTheDemoPickupFolder()
    {
        using var factory = DemoHost();
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var invitations = await db.Outbox.AsNoTracking().Where(o => o.Template == "invitation").Select(o => o.Id).ToListAsync();
        Assert.Equal(19 + 18 + 29, invitations.Count);

        var pickup = Path.Combine(folder, DemoSetup.MailFolderName);
        var files = invitations.Select(id => Path.Combine(pickup, $"{id}.eml")).ToList();
        var waited = Stopwatch.StartNew();
        while (!files.All(File.Exists) && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }
        Assert.All(files, f => Assert.True(File.Exists(f), $"{f} was not written"));
        Assert.False(Directory.Exists(Path.Combine(folder, "mail-outbox")), "demo mail must not go to the normal pickup folder");

        var samples = await Task.WhenAll(files.Take(3).Select(f => MimeMessage.LoadAsync(f)));
        Assert.All(samples, m => Assert.Contains("/svar/", m.TextBody ?? "", StringComparison.Ordinal));
        string[] titles = ["erhvervsfremmestrategi", "Rammeaftale", "Praksisplan"];
        Assert.All(samples, m => Assert.Contains(titles, t => (m.Subject ?? "").Contains(t, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DemoOn_SecondStartOnSameDatabase_AddsNothing()
    {
        List<InstanceSummary> before;
        using (var first = DemoHost())
        {
            before = await (await first.CreateApiClient().GetAsync("/api/instances")).ReadAsync<List<InstanceSummary>>();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        using var second = DemoHost();
        var client = second.CreateApiClient();
        var after = await (await client.GetAsync("/api/instances")).ReadAsync<List<InstanceSummary>>();
        Assert.Equal(3, before.Count);
        Assert.Equal(before.Select(i => i.InstanceId).Order(), after.Select(i => i.InstanceId).Order());

        var details = await (await client.GetAsync($"/api/instances/{after.Single(i => i.CorrelationId == "SAG-2019-05950").InstanceId}")).ReadAsync<InstanceDetails>();
        Assert.Equal(7, details.Parties.Count(p => p.Status is "Answered" or "NoComments"));
        Assert.Single(await (await client.GetAsync("/api/extension-requests")).ReadAsync<List<ExtensionRequestDescription>>());
    }

    [Fact]
    public async Task DemoOff_NothingIsSeeded()
    {
        using var factory = DemoHost(demo: false);
        var client = factory.CreateApiClient();

        Assert.Empty(await (await client.GetAsync("/api/instances")).ReadAsync<List<InstanceSummary>>());
        Assert.True(File.Exists(Path.Combine(folder, "procesflow.db")));
        Assert.False(File.Exists(Path.Combine(folder, DemoSetup.DatabaseFileName)));
    }

    [Fact]
    public void Autumn2019_EveryAnswerAndRequest_FallsBetweenItsHearingsStartAndTheDemosNow()
    {
        var scenario = DemoScenarios.Autumn2019;
        Assert.All(scenario.Hearings, h =>
        {
            Assert.InRange(h.SentAt, scenario.ClockStart, scenario.Now);
            Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(h.Input)!["title"]);
            Assert.All(h.Answers.Select(a => a.At).Concat(h.ExtensionRequests.Select(r => r.At)), at => Assert.InRange(at, h.SentAt, scenario.Now));
            Assert.Equal(h.Answers.Count, h.Answers.Select(a => a.PartyId).Distinct().Count());
        });
    }

    [Fact]
    public void WithDemoSwitch_DemoBeforeOtherArguments_KeepsThem()
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(DemoSetup.WithDemoSwitch(["--demo", "--urls", "http://127.0.0.1:5099"]))
            .Build();

        Assert.True(DemoSetup.IsDemo(configuration));
        Assert.Equal("http://127.0.0.1:5099", configuration["urls"]);
    }

    [Fact]
    public void Settings_ConfiguredClockAndAdminPassword_AreKept_DatabaseAndMailAreMovedBeside()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Workflows"] = "Data Source=/srv/procesflow/procesflow.db",
            ["ProcesFlow:Mail:PickupDirectory"] = "/srv/procesflow/mail-outbox",
            ["ProcesFlow:Mail:Smtp:Host"] = "smtp.example.dk",
            ["ProcesFlow:Clock:Mode"] = "Simulated",
            ["ProcesFlow:Clock:Start"] = "2019-10-21T09:00",
            ["ProcesFlow:Admin:Password"] = "my own",
        }).Build();

        var settings = DemoSetup.Settings(configuration, DemoScenarios.Autumn2019);

        Assert.Equal("Data Source=/srv/procesflow/demo.db", settings["ConnectionStrings:Workflows"]);
        Assert.Equal("/srv/procesflow/demo-mail-outbox", settings["ProcesFlow:Mail:PickupDirectory"]);
        Assert.Equal("", settings["ProcesFlow:Mail:Smtp:Host"]);
        Assert.False(settings.ContainsKey("ProcesFlow:Clock:Start"));
        Assert.False(settings.ContainsKey("ProcesFlow:Admin:Password"));
        Assert.Equal(DemoSetup.ApiKey, settings["ProcesFlow:ApiKeys:0"]);
    }

    [Fact]
    public async Task CommandLineDemoSwitch_RealProcess_SeedsAndTellsHowToSignIn()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Workflows"] = $"Data Source={Path.Combine(folder, "procesflow.db")}",
            ["ProcesFlow:DefinitionsFolder"] = DefinitionsFolder.Path,
            ["ProcesFlow:Mail:PickupDirectory"] = Path.Combine(folder, "mail-outbox"),
            ["ProcesFlow:Answers:AttachmentsFolder"] = Path.Combine(folder, "attachments"),
        };
        await using var host = await HostProcess.StartAsync(folder, settings, ["--demo"]);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", DemoSetup.ApiKey);

        var instances = await (await client.GetAsync(new Uri("/api/instances", UriKind.Relative))).ReadAsync<List<InstanceSummary>>();
        Assert.Equal(3, instances.Count);
        var erhvervsfremme = await (await client.GetAsync(new Uri($"/api/instances/{instances.Single(i => i.CorrelationId == "SAG-2019-05950").InstanceId}", UriKind.Relative)))
            .ReadAsync<InstanceDetails>();
        Assert.Equal(7, erhvervsfremme.Parties.Count(p => p.Status is "Answered" or "NoComments"));
        Assert.True(File.Exists(Path.Combine(folder, DemoSetup.DatabaseFileName)));

        var waited = Stopwatch.StartNew();
        while (!host.Output.Contains("sign in as admin@procesflow.local with password procesflow-demo", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }
        Assert.Contains("sign in as admin@procesflow.local with password procesflow-demo", host.Output, StringComparison.Ordinal);
        Assert.Contains($"ProcesFlow demo at {host.BaseAddress.ToString().TrimEnd('/')}/", host.Output, StringComparison.Ordinal);
        Assert.Contains("Demo: started 'Strategi for decentral erhvervsfremme 2020-2023' (SAG-2019-05950) for 19 parties: 7 answered", host.Output, StringComparison.Ordinal);
    }

    /// <summary>A browser-like client signed in as the demo's administrator.</summary>
    private static async Task<HttpClient> SignedInAsync(ProcesFlowApiFactory factory)
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await browser.GetStringAsync("/login");
        var signIn = await browser.PostAsync("/login", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", AntiforgeryToken().Match(login).Groups[1].Value),
            new("email", "admin@procesflow.local"), new("password", DemoSetup.AdminPassword), new("returnUrl", "/"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    private static async Task<InstanceDetails> DetailsAsync(HttpClient client, List<InstanceSummary> instances, string title) =>
        await (await client.GetAsync($"/api/instances/{instances.Single(i => i.Name == title).InstanceId}")).ReadAsync<InstanceDetails>();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a background thread of a stopped host; the OS cleans temp folders.
        }
    }
}
