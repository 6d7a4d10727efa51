using System.Net;
using Workflows.Host.Api;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>
/// One kommune's link opens only its own task: it can neither read nor change another party's task, answer, receipt
/// or files; and an answer's attachment can be fetched only by staff, at an address that cannot be guessed.
/// </summary>
public abstract class PartyIsolationTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected PartyIsolationTests(TestDatabase database)
    {
        factory = new(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    public void Dispose() => factory.Dispose();

    private async Task<(Guid Id, string Aarhus, string Skive)> StartAsync()
    {
        var id = (await (await factory.CreateApiClient().PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            // A third party keeps the hearing open after the first two have answered.
            input = new { title = "Praksisplan", caseNumber = "SAG-1", parties = new[] { "aarhus", "skive", "viborg" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;
        var links = (await AnswerPaths.OfOutboxAsync(factory.Services, "invitation", id)).ToDictionary(l => l.PartyId, l => l.AnswerPath);
        return (id, links["aarhus"], links["skive"]);
    }

    private async Task<(HttpClient Browser, string Receipt)> AnswerAsync(string link, string text, string fileName)
    {
        var browser = factory.CreateClient(new() { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(link);
        var form = new MultipartFormDataContent
        {
            { new StringContent(StaffSession.Token(page)), "__RequestVerificationToken" },
            { new StringContent(text), "text" },
            { new ByteArrayContent(Answers.AnswerPageTests.Pdf), "attachments", fileName },
        };
        var response = await browser.PostAsync(link, form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (browser, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task OnePartysLink_NeitherReadsNorChangesAnotherPartysTaskAnswerReceiptOrFiles()
    {
        var (id, aarhus, skive) = await StartAsync();
        var (_, skiveReceipt) = await AnswerAsync(skive, "Skives fortrolige udkast", "skive-bilag.pdf");
        var skiveAnswerId = skiveReceipt[(skiveReceipt.LastIndexOf('/') + 1)..];

        var (aarhusBrowser, _) = await AnswerAsync(aarhus, "Aarhus' svar", "aarhus-bilag.pdf");
        var aarhusPage = WebUtility.HtmlDecode(await aarhusBrowser.GetStringAsync(aarhus));
        Assert.Contains("Aarhus' svar", aarhusPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Skive", aarhusPage, StringComparison.Ordinal);
        Assert.DoesNotContain("skive-bilag.pdf", aarhusPage, StringComparison.Ordinal);

        // Skive's receipt through Aarhus' link: not found, and nothing of Skive's answer in the reply.
        var foreignReceipt = await aarhusBrowser.GetAsync($"{aarhus}/kvittering/{skiveAnswerId}");
        Assert.Equal(HttpStatusCode.NotFound, foreignReceipt.StatusCode);
        Assert.DoesNotContain("Skive", WebUtility.HtmlDecode(await foreignReceipt.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // Aarhus answering again changes Aarhus' answer only: Skive's stays current and unchanged.
        await AnswerAsync(aarhus, "Aarhus' nye svar", "aarhus-2.pdf");
        var answers = await (await factory.CreateApiClient().GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>();
        var skiveCurrent = Assert.Single(answers, a => a.PartyId == "skive");
        Assert.True(skiveCurrent.IsCurrent);
        Assert.Equal("Skives fortrolige udkast", skiveCurrent.Text);
        Assert.Equal(["skive-bilag.pdf"], skiveCurrent.Attachments.Select(f => f.FileName));
        Assert.Equal(["Aarhus' nye svar", "Aarhus' svar"], answers.Where(a => a.PartyId == "aarhus").Select(a => a.Text).Order(StringComparer.Ordinal));

        // A link altered by one character opens nothing.
        var tampered = skive[..^1] + (skive[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.NotFound, (await aarhusBrowser.GetAsync(tampered)).StatusCode);

        // The files are not reachable from a party's link at all: only staff fetch them.
        var fileUrl = skiveCurrent.Attachments.Single().Url;
        Assert.Equal(HttpStatusCode.Unauthorized, (await aarhusBrowser.GetAsync(fileUrl)).StatusCode);
    }

    [Fact]
    public async Task AnAttachmentUrl_IsRandom_AndUselessAnonymouslyOrWithAWrongKey()
    {
        var (id, aarhus, skive) = await StartAsync();
        await AnswerAsync(aarhus, "Svar", "a.pdf");
        await AnswerAsync(skive, "Svar", "b.pdf");
        var answers = await (await factory.CreateApiClient().GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>();
        var ids = answers.SelectMany(a => a.Attachments).Select(f => f.AttachmentId).ToList();
        Assert.Equal(2, ids.Count);
        // Version 4 (122 random bits), not time-ordered version 7: one file's address says nothing about the next one's.
        Assert.All(ids, i => Assert.Equal(4, i.Version));

        var url = $"/api/attachments/{ids[0]}";
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(url)).StatusCode);
        var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "pf_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateApiClient().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateApiClient().GetAsync($"/api/attachments/{Guid.NewGuid()}")).StatusCode);
    }
}

[Trait("Database", "Sqlite")]
public sealed class PartyIsolationTestsOnSqlite() : PartyIsolationTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class PartyIsolationTestsOnPostgreSql() : PartyIsolationTests(TestDatabase.PostgreSql);
