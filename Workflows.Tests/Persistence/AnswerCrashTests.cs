using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using Workflows.Host.Api;
using Workflows.Host.Hearings;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;

namespace Workflows.Tests.Persistence;

/// <summary>
/// An answer is never lost and never counted twice, whatever moment the host dies at. Real processes on one SQLite file:
/// the host is held at a point of an answer's intake (<see cref="FaultInjectionOptions"/>) and killed there with SIGKILL,
/// and a new process on the same database and folders carries on.
/// </summary>
public abstract partial class AnswerCrashTests(TestDatabase database) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("procesflow-answer-crash-").FullName;
    private readonly byte[] pdf = MinimalPdf.Create("Aarhus Kommunes høringssvar");

    private string Attachments => Path.Combine(folder, "attachments");

    private Dictionary<string, string> Settings(string? holdAnswer) => TestDatabases.Settings(database, folder, new()
    {
        ["ProcesFlow:ApiKeys:0"] = ProcesFlowApiFactory.ApiKey,
        ["ProcesFlow:DefinitionsFolder"] = Path.Combine(folder, "no-definitions"),
        ["ProcesFlow:Mail:PickupDirectory"] = Path.Combine(folder, "mail-outbox"),
        ["ProcesFlow:Answers:AttachmentsFolder"] = Attachments,
        ["ProcesFlow:FaultInjection:HoldAnswer"] = holdAnswer ?? "",
        ["Logging:LogLevel:Default"] = "Warning",
    });

    [Fact]
    public async Task KilledBeforeTheAnswerCommits_NothingOfItRemains_AndTheKommuneCanAnswerOnce()
    {
        var (id, link) = await KillWhileAnsweringAsync(FaultInjectionOptions.BeforeAnswerCommit);

        await using var second = await HostProcess.StartAsync(folder, Settings(null));
        var api = Client(second);
        // The answer never committed: no answer, the party still waits, and the file written for it is gone.
        Assert.Empty(await (await api.GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
        Assert.Equal("Sent", await StatusAsync(api, id, "aarhus"));
        Assert.Empty(Directory.EnumerateFiles(Attachments, "*", SearchOption.AllDirectories));

        // The kommune saw no receipt, so it sends again: taken once.
        Assert.Equal(HttpStatusCode.Redirect, (await AnswerAsync(second, link)).StatusCode);
        var answer = Assert.Single(await (await api.GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
        Assert.Equal("Answered", await StatusAsync(api, id, "aarhus"));
        Assert.Equal(pdf, await api.GetByteArrayAsync(Assert.Single(answer.Attachments).Url));
    }

    [Fact]
    public async Task KilledAfterTheAnswerCommitted_ItIsCountedOnce_AndItsFileIsMadeFinalAtRestart()
    {
        var (id, _) = await KillWhileAnsweringAsync(FaultInjectionOptions.AfterAnswerCommit);

        await using var second = await HostProcess.StartAsync(folder, Settings(null));
        var api = Client(second);
        var answer = Assert.Single(await (await api.GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
        Assert.Equal(("Aarhus Kommune støtter planen.", true), (answer.Text, answer.IsCurrent));
        Assert.Equal("Answered", await StatusAsync(api, id, "aarhus"));
        Assert.Equal(pdf, await api.GetByteArrayAsync(Assert.Single(answer.Attachments).Url));
        Assert.Empty(Directory.EnumerateFiles(Attachments, "*.part", SearchOption.AllDirectories));
        var journal = await (await api.GetAsync($"/api/instances/{id}/journal")).ReadAsync<List<JournalLine>>();
        Assert.Single(journal, j => j.Message == "Aarhus Kommune har afgivet høringssvar.");
    }

    /// <summary>Starts a hearing, answers Aarhus's invitation with a text and a PDF, and kills the host held at <paramref name="point"/>.</summary>
    private async Task<(Guid InstanceId, string Link)> KillWhileAnsweringAsync(string point)
    {
        await using var first = await HostProcess.StartAsync(folder, Settings(point));
        var api = Client(first);
        var id = await HearingFlows.PublishAndStartAsync(api, "crash", HearingFlows.OneHearing("crash",
            """ "parties": ["aarhus", "skive"], "deadline": { "workingDays": 10, "at": "12:00" } """));
        var link = await InvitationLinkAsync("aarhus", first);

        // The request never returns: the host stops for good at the point, and is killed there.
        var pending = AnswerAsync(first, link);
        await WaitForAsync(() => first.Output.Contains($"answer held {point}", StringComparison.Ordinal), first, $"the host to hold the answer {point}");
        Assert.Single(Directory.EnumerateFiles(Attachments, "*.part", SearchOption.AllDirectories));
        await first.KillAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
        return (id, link);
    }

    /// <summary>Opens the answer page as a browser does (cookie and form token), then posts a text and a PDF.</summary>
    private async Task<HttpResponseMessage> AnswerAsync(HostProcess host, string link)
    {
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = host.BaseAddress };
        var page = await browser.GetStringAsync(link);
        var form = new MultipartFormDataContent
        {
            { new StringContent(FormToken().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent("Aarhus Kommune støtter planen."), "text" },
            { new ByteArrayContent(pdf), "attachments", "hoeringssvar.pdf" },
        };
        return await browser.PostAsync(link, form);
    }

    /// <summary>The party's answer link, read from its invitation as the kommune gets it (the pickup folder's .eml).</summary>
    private async Task<string> InvitationLinkAsync(string partyId, HostProcess host)
    {
        string? link = null;
        await WaitForAsync(() =>
        {
            var mails = Directory.Exists(Path.Combine(folder, "mail-outbox")) ? Directory.GetFiles(Path.Combine(folder, "mail-outbox"), "*.eml") : [];
            link = mails.Select(path => MimeMessage.Load(path))
                .Where(m => m.To.Mailboxes.Any(a => a.Address.Contains(partyId, StringComparison.Ordinal)))
                .Select(m => AnswerLink().Match(m.TextBody ?? "").Value)
                .FirstOrDefault(l => l.Length > 0);
            return link is not null;
        }, host, $"the invitation to {partyId}");
        return link!;
    }

    private static async Task<string> StatusAsync(HttpClient api, Guid id, string partyId) =>
        (await (await api.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>()).Parties.Single(p => p.PartyId == partyId).Status;

    private static async Task WaitForAsync(Func<bool> done, HostProcess host, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(60), $"Waited 60 s for {what}.\n{host.Output}");
            await Task.Delay(100);
        }
    }

    private static HttpClient Client(HostProcess host)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ProcesFlowApiFactory.ApiKey);
        return client;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestDatabases.Drop(database, folder);
        Directory.Delete(folder, recursive: true);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex(@"/svar/[A-Za-z0-9_\-]+")]
    private static partial Regex AnswerLink();
}

[Trait("Database", "Sqlite")]
public sealed class AnswerCrashTestsOnSqlite() : AnswerCrashTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class AnswerCrashTestsOnPostgreSql() : AnswerCrashTests(TestDatabase.PostgreSql);
