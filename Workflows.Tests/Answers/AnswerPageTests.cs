using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Answers;

/// <summary>
/// The answer page over HTTP on a real host and SQLite file: what a kommune can send, and every kind of bad
/// input: wrong token, missing anti-forgery token, oversize and disguised files, script in the text, answers
/// after the deadline under each late policy, and two answers racing.
/// </summary>
public abstract partial class AnswerPageTests : IDisposable
{
    /// <summary>The smallest file that is a PDF by content.</summary>
    internal static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private readonly ProcesFlowApiFactory factory;

    protected AnswerPageTests(TestDatabase database)
    {
        factory = new(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
        factory.Settings["ProcesFlow:Answers:MaxFileBytes"] = "4096";
    }

    private async Task<(Guid InstanceId, Dictionary<string, string> Links)> StartAsync(object? latePolicy = null)
    {
        var client = factory.CreateApiClient();
        var started = await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new
            {
                title = "Praksisplan 2019",
                caseNumber = "SAG-2019-1",
                parties = new[] { "aarhus", "skive" },
                deadline = new { date = "2019-10-31", at = "12:00" },
                latePolicy = latePolicy ?? "reject",
            },
        })).ReadAsync<InstanceStarted>();
        var links = (await AnswerPaths.OfOutboxAsync(factory.Services, "invitation", started.InstanceId)).ToDictionary(l => l.PartyId, l => l.AnswerPath);
        return (started.InstanceId, links);
    }

    private IDbContextFactory<ProcesFlowDbContext> Contexts => factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();

    /// <summary>Opens the page (which sets the anti-forgery cookie) and posts the form with its token.</summary>
    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(HttpClient browser, string link, string? text = null,
        (string Name, byte[] Content)[]? files = null, bool noComments = false, bool withToken = true, string path = "")
    {
        var page = await browser.GetStringAsync(link);
        var form = new MultipartFormDataContent();
        if (withToken)
        {
            form.Add(new StringContent(AntiforgeryToken().Match(page).Groups[1].Value), "__RequestVerificationToken");
        }
        if (text is not null)
        {
            form.Add(new StringContent(text), path.Length == 0 ? "text" : "reason");
        }
        if (noComments)
        {
            form.Add(new StringContent("true"), "noComments");
        }
        foreach (var (name, content) in files ?? [])
        {
            form.Add(new ByteArrayContent(content), "attachments", name);
        }
        var response = await browser.PostAsync(link + path, form);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private async Task<List<PartyStatus>> PartiesAsync(Guid instanceId) =>
        (await (await factory.CreateApiClient().GetAsync($"/api/instances/{instanceId}")).ReadAsync<InstanceDetails>()).Parties;

    [Fact]
    public async Task Answer_RedirectsToItsReceipt_WhichARefreshShowsAgainWithoutAnsweringTwice()
    {
        var (id, links) = await StartAsync();
        var browser = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(links["aarhus"]);
        var form = new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent("Aarhus Kommune støtter planen."), "text" },
        };

        var posted = await browser.PostAsync(links["aarhus"], form);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var receipt = posted.Headers.Location!.ToString();
        Assert.StartsWith(links["aarhus"] + "/kvittering/", receipt, StringComparison.Ordinal);
        for (var refresh = 0; refresh < 2; refresh++)
        {
            var html = WebUtility.HtmlDecode(await browser.GetStringAsync(receipt));
            Assert.Contains("Vi har modtaget høringssvaret fra Aarhus Kommune tirsdag den 1. oktober 2019 kl. 10.00", html, StringComparison.Ordinal);
        }
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(1, await db.Answers.CountAsync(a => a.InstanceId == id));

        // Another party's link cannot show this receipt.
        var answerId = receipt[(receipt.LastIndexOf('/') + 1)..];
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"{links["skive"]}/kvittering/{answerId}")).StatusCode);
    }

    [Fact]
    public async Task Answer_WithTextAndPdf_GivesReceipt_StoresFileOutsideWebRoot_AndQueuesReceiptMail()
    {
        var (id, links) = await StartAsync();
        var (status, html) = await PostAsync(factory.CreateClient(), links["aarhus"], "Aarhus Kommune støtter planen.", [("høringssvar.pdf", Pdf)]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Vi har modtaget høringssvaret fra Aarhus Kommune tirsdag den 1. oktober 2019 kl. 10.00", html, StringComparison.Ordinal);
        Assert.Contains("høringssvar.pdf", html, StringComparison.Ordinal);
        Assert.Equal("Answered", (await PartiesAsync(id)).Single(p => p.PartyId == "aarhus").Status);

        await using var db = await Contexts.CreateDbContextAsync();
        var answer = await db.Answers.SingleAsync(a => a.InstanceId == id);
        Assert.Equal(("web", "Aarhus Kommune støtter planen.", false), (answer.Channel, answer.Text, answer.Late));
        var attachment = await db.Attachments.SingleAsync(a => a.AnswerId == answer.Id);
        Assert.Equal("application/pdf", attachment.ContentType);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(Path.Combine(factory.Folder, "attachments", attachment.StoragePath)));
        var receipt = JsonNode.Parse((await db.Outbox.SingleAsync(o => o.InstanceId == id && o.Template == "receipt")).Model!)!;
        Assert.Equal("høringssvar.pdf", receipt["receipt"]!["attachments"]![0]!.GetValue<string>());
        // Attachments are never served from the web root; staff get them through the API, anonymous visitors do not.
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync($"/attachments/{attachment.StoragePath}")).StatusCode);
        var listed = Assert.Single(await (await factory.CreateApiClient().GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
        Assert.Equal(("aarhus", "høringssvar.pdf"), (listed.PartyId, Assert.Single(listed.Attachments).FileName));
        Assert.Equal(Pdf, await factory.CreateApiClient().GetByteArrayAsync(listed.Attachments[0].Url));
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(listed.Attachments[0].Url)).StatusCode);
    }

    [Fact]
    public async Task NoComments_FromTheConfirmationForm_SetsTheStatus()
    {
        var (id, links) = await StartAsync();
        var (status, _) = await PostAsync(factory.CreateClient(), links["skive"], noComments: true);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("NoComments", (await PartiesAsync(id)).Single(p => p.PartyId == "skive").Status);
    }

    [Fact]
    public async Task WrongToken_Is404_ForPageAndPost()
    {
        await StartAsync();
        var browser = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/svar/" + new string('A', 43))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync("/svar/" + new string('A', 43), new FormUrlEncodedContent([new("text", "x")]))).StatusCode);
    }

    [Fact]
    public async Task MissingAntiforgeryToken_Is400_AndNothingIsStored()
    {
        var (id, links) = await StartAsync();
        var (status, html) = await PostAsync(factory.CreateClient(), links["aarhus"], "Svar", withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Siden er udløbet", html, StringComparison.Ordinal);
        Assert.Equal("Sent", (await PartiesAsync(id)).Single(p => p.PartyId == "aarhus").Status);
    }

    [Fact]
    public async Task OversizeFile_Is413_WithAClearMessage_AndNothingIsStored()
    {
        var (id, links) = await StartAsync();
        var big = Pdf.Concat(new byte[5000]).ToArray();
        var (status, html) = await PostAsync(factory.CreateClient(), links["aarhus"], "Svar", [("stor.pdf", big)]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("Filen \"stor.pdf\" er for stor", html, StringComparison.Ordinal);
        await AssertNothingStoredAsync(id);
    }

    [Theory]
    [InlineData("svar.pdf", "MZ\u0090\u0000 this is a Windows program")]
    [InlineData("svar.docx", "PK\u0003\u0004 not really a zip")]
    [InlineData("svar.pdf", "")]
    public async Task DisguisedFileType_IsRefusedByContent_NotName(string name, string content)
    {
        var (id, links) = await StartAsync();
        var (status, html) = await PostAsync(factory.CreateClient(), links["aarhus"], "Svar", [(name, Encoding.Latin1.GetBytes(content))]);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains($"Filen \"{name}\" er ikke en fil, vi kan modtage", html, StringComparison.Ordinal);
        await AssertNothingStoredAsync(id);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(factory.Folder, "attachments"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ScriptInText_IsShownAsTextNeverAsMarkup()
    {
        var (_, links) = await StartAsync();
        var browser = factory.CreateClient();
        await PostAsync(browser, links["aarhus"], "<script>alert('x')</script> Vi er enige.");
        var page = await browser.GetStringAsync(links["aarhus"]);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Vi er enige.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyAnswer_IsRefusedWithGuidance()
    {
        var (_, links) = await StartAsync();
        var (status, html) = await PostAsync(factory.CreateClient(), links["aarhus"], "   ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Svaret er tomt", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterDeadline_UnderReject_AFormOpenedBeforeIt_GetsTheDanishRefusal_AndNothingIsStored()
    {
        var (id, links) = await StartAsync();
        // The kommune opens the page before the deadline (cookie and form token) and sends the answer after it.
        var browser = factory.CreateClient();
        var form = await browser.GetStringAsync(links["aarhus"]);
        await factory.CreateApiClient().PostJsonAsync("/api/clock/advance", new { to = "2019-11-01T08:00:00Z" });

        var post = await browser.PostAsync(links["aarhus"], new FormUrlEncodedContent(
            [new("__RequestVerificationToken", AntiforgeryToken().Match(form).Groups[1].Value), new("text", "For sent")]));

        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Contains("Fristen er overskredet, og høringen modtager ikke svar efter fristen. Kontakt afsenderen.", WebUtility.HtmlDecode(await post.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal("Overdue", (await PartiesAsync(id)).Single(p => p.PartyId == "aarhus").Status);
        await AssertNothingStoredAsync(id);

        // Opened after the deadline, the page says so and offers no form.
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync(links["aarhus"]));
        Assert.Contains("Fristen er overskredet", page, StringComparison.Ordinal);
        Assert.Contains("Høringen modtager ikke flere svar", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterDeadline_UnderAcceptUntil_IsAcceptedAndMarkedLate()
    {
        var (id, links) = await StartAsync(new { mode = "acceptUntil", until = new { date = "2019-11-14", at = "12:00" } });
        await factory.CreateApiClient().PostJsonAsync("/api/clock/advance", new { to = "2019-11-04T08:00:00Z" });

        var (status, html) = await PostAsync(factory.CreateClient(), links["skive"], "Undskyld forsinkelsen.");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("registreret som for sent", html, StringComparison.Ordinal);
        Assert.Equal("AnsweredLate", (await PartiesAsync(id)).Single(p => p.PartyId == "skive").Status);
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.True((await db.Answers.SingleAsync(a => a.InstanceId == id)).Late);
    }

    [Fact]
    public async Task SameFormSentTwice_IsStoredOnce_AndTheResendGetsTheFirstReceipt()
    {
        // A browser resends a form whose answer did not come back (the node died after storing it): the same fields again.
        var (id, links) = await StartAsync();
        var browser = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(links["aarhus"]);
        MultipartFormDataContent Form() => new()
        {
            { new StringContent(AntiforgeryToken().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent(SubmissionKey().Match(page).Groups[1].Value), "submission" },
            { new StringContent("Aarhus Kommune støtter planen."), "text" },
        };

        var first = await browser.PostAsync(links["aarhus"], Form());
        var again = await browser.PostAsync(links["aarhus"], Form());

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (first.StatusCode, again.StatusCode));
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(1, await db.Answers.CountAsync(a => a.InstanceId == id));
    }

    [Fact]
    public async Task TwoAnswersRacing_BothAreKept_TheLaterReplacesTheEarlier()
    {
        var (id, links) = await StartAsync();
        var first = factory.CreateClient();
        var second = factory.CreateClient();
        var results = await Task.WhenAll(
            PostAsync(first, links["aarhus"], "Første udgave"),
            PostAsync(second, links["aarhus"], "Anden udgave"));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        await using var db = await Contexts.CreateDbContextAsync();
        var answers = await db.Answers.Where(a => a.InstanceId == id).ToListAsync();
        Assert.Equal(2, answers.Count);
        Assert.Single(answers, a => a.ReplacedBy is null);
        Assert.Equal("Answered", (await PartiesAsync(id)).Single(p => p.PartyId == "aarhus").Status);
    }

    [Fact]
    public async Task ExtensionRequest_FromThePage_IsGrantedByTheOwner_AndOnlyThatPartyGetsTheNewDeadline()
    {
        var (id, links) = await StartAsync();
        var (status, html) = await PostAsync(factory.CreateClient(), links["skive"], "Byrådet behandler sagen først den 5. november.", path: "/fristforlaengelse");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Anmodning om fristforlængelse modtaget", html, StringComparison.Ordinal);

        var api = factory.CreateApiClient();
        var request = Assert.Single(await (await api.GetAsync($"/api/extension-requests?instanceId={id}")).ReadAsync<List<ExtensionRequestDescription>>());
        Assert.Equal(("skive", "Byrådet behandler sagen først den 5. november."), (request.PartyId, request.Reason));

        var granted = await (await api.PostJsonAsync($"/api/extension-requests/{request.RequestId}/grant", new { deadline = new { date = "2019-11-07", at = "12:00" } })).ReadAsync<ExtensionDecision>();
        Assert.Equal("Granted", granted.Status);
        var parties = await PartiesAsync(id);
        Assert.Equal(("ExtensionGranted", NodaTime.Instant.FromUtc(2019, 11, 7, 11, 0)), (parties.Single(p => p.PartyId == "skive").Status, parties.Single(p => p.PartyId == "skive").Deadline!.Value));
        Assert.Equal(NodaTime.Instant.FromUtc(2019, 10, 31, 11, 0), parties.Single(p => p.PartyId == "aarhus").Deadline);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/extension-requests/{request.RequestId}/refuse", null)).StatusCode);
    }

    public void Dispose() => factory.Dispose();

    private async Task AssertNothingStoredAsync(Guid instanceId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Empty(await db.Answers.Where(a => a.InstanceId == instanceId).ToListAsync());
        Assert.Empty(await db.Attachments.ToListAsync());
    }

    [GeneratedRegex("name=\"submission\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex SubmissionKey();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

[Trait("Database", "Sqlite")]
public sealed class AnswerPageTestsOnSqlite() : AnswerPageTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class AnswerPageTestsOnPostgreSql() : AnswerPageTests(TestDatabase.PostgreSql);
