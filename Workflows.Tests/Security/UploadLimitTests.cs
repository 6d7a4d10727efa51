using System.Net;
using System.Text;
using Workflows.Host.Api;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>
/// The documented upload limits hold end to end over real Kestrel: 10 files of 24 MB are accepted; a 26 MB file and a
/// body over the total are refused with the Danish 413 page that keeps the typed text in the form.
/// </summary>
public abstract class UploadLimitTests : IDisposable
{
    private const int Megabyte = 1024 * 1024;

    private readonly KestrelApiFactory factory;

    protected UploadLimitTests(TestDatabase database)
    {
        factory = new(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    public void Dispose() => factory.Dispose();

    /// <summary>A PDF by content, of exactly <paramref name="bytes"/> bytes.</summary>
    private static byte[] PdfOf(int bytes)
    {
        var file = new byte[bytes];
        Encoding.ASCII.GetBytes("%PDF-1.4\n").CopyTo(file, 0);
        return file;
    }

    private async Task<(HttpClient Browser, string Link, Guid Id)> StartAsync()
    {
        factory.Start();
        var api = new HttpClient { BaseAddress = factory.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Add("X-Api-Key", ProcesFlowApiFactory.ApiKey);
        var id = (await (await api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Praksisplan", caseNumber = "SAG-1", parties = new[] { "aarhus" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;
        var link = (await AnswerPaths.OfOutboxAsync(factory.Services, "invitation", id)).Single().AnswerPath;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        var browser = new HttpClient(handler) { BaseAddress = factory.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        return (browser, link, id);
    }

    private static Task<(HttpStatusCode Status, string Html)> SendAsync(HttpClient browser, string link, string text, params byte[][] files) =>
        SendAsync(browser, link, text, expectContinue: false, files);

    private static async Task<(HttpStatusCode Status, string Html)> SendAsync(HttpClient browser, string link, string text, bool expectContinue, params byte[][] files)
    {
        var page = await browser.GetStringAsync(link);
        var form = new MultipartFormDataContent
        {
            { new StringContent(StaffSession.Token(page)), "__RequestVerificationToken" },
            { new StringContent(text), "text" },
        };
        for (var i = 0; i < files.Length; i++)
        {
            form.Add(new ByteArrayContent(files[i]), "attachments", $"bilag-{i + 1}.pdf");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, link) { Content = form };
        request.Headers.ExpectContinue = expectContinue;
        var response = await browser.SendAsync(request);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task TenFilesOf24MB_AreAccepted()
    {
        var (browser, link, id) = await StartAsync();
        var file = PdfOf(24 * Megabyte);
        var (status, html) = await SendAsync(browser, link, "Vores svar med bilag", Enumerable.Repeat(file, 10).ToArray());
        Assert.True(status == HttpStatusCode.Redirect, $"{(int)status}: {html[..Math.Min(html.Length, 500)]}");
        var api = factory.CreateApiClient();
        var answer = Assert.Single(await (await api.GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
        Assert.Equal(10, answer.Attachments.Count);
        Assert.All(answer.Attachments, f => Assert.Equal(24L * Megabyte, f.Size));
    }

    [Fact]
    public async Task AFileOf26MB_IsRefusedWith413_AndTheTypedTextStaysInTheForm()
    {
        var (browser, link, id) = await StartAsync();
        var (status, html) = await SendAsync(browser, link, "Vores svar, som vi har skrevet længe på", PdfOf(26 * Megabyte));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("Filen \"bilag-1.pdf\" er for stor (højst 25 MB).", html, StringComparison.Ordinal);
        Assert.Contains(">Vores svar, som vi har skrevet længe på</textarea>", html, StringComparison.Ordinal);
        Assert.Empty(await (await factory.CreateApiClient().GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
    }

    [Fact]
    public async Task ABodyOverTheTotal_IsRefusedWith413_AndTheTypedTextStaysInTheForm()
    {
        factory.Settings["ProcesFlow:Answers:MaxTotalBytes"] = (40 * Megabyte).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (browser, link, id) = await StartAsync();
        var (status, html) = await SendAsync(browser, link, "Svar med to store bilag", PdfOf(24 * Megabyte), PdfOf(24 * Megabyte));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("Filerne fylder tilsammen for meget (højst 40 MB).", html, StringComparison.Ordinal);
        Assert.Contains(">Svar med to store bilag</textarea>", html, StringComparison.Ordinal);
        Assert.Empty(await (await factory.CreateApiClient().GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
    }

    /// <summary>
    /// Far beyond the limits the body is not read at all: a client that waits for "100 Continue" gets the Danish 413
    /// page instead (a browser, which does not wait, has its upload cut off; the page's own size check comes first).
    /// </summary>
    [Fact]
    public async Task ABodyBeyondTheRequestCeiling_IsAnsweredWithTheDanish413Page_BeforeItIsSent()
    {
        factory.Settings["ProcesFlow:Answers:MaxFileBytes"] = (1 * Megabyte).ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["ProcesFlow:Answers:MaxFiles"] = "2";
        var (browser, link, _) = await StartAsync();
        // The ceiling is 2 + 1 MB of files plus the text's room (0.4 MB) and 1 MB: 8 MB is far beyond it.
        var (status, html) = await SendAsync(browser, link, "Tekst", expectContinue: true, PdfOf(8 * Megabyte));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("<h1>Svaret er for stort</h1>", html, StringComparison.Ordinal);
        Assert.Contains("højst 2 filer på højst 1 MB, i alt højst 2 MB", html, StringComparison.Ordinal);
    }
}

[Trait("Database", "Sqlite")]
public sealed class UploadLimitTestsOnSqlite() : UploadLimitTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class UploadLimitTestsOnPostgreSql() : UploadLimitTests(TestDatabase.PostgreSql);
