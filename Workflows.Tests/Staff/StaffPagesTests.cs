using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Workflows.Host.Api;
using Workflows.Tests.Support;

namespace Workflows.Tests.Staff;

/// <summary>Staff sign-in, the start page with the hearings' progress, and what anonymous visitors get.</summary>
public abstract partial class StaffPagesTests : IDisposable
{
    private const string Email = "sekretariat@kkr-midtjylland.example";
    private const string Password = "Korrekt-Hest-Batteri-42";

    private readonly ProcesFlowApiFactory factory;

    protected StaffPagesTests(TestDatabase database)
    {
        factory = new(database);
        factory.Settings["ProcesFlow:Admin:Email"] = Email;
        factory.Settings["ProcesFlow:Admin:Password"] = Password;
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string email, string password, string returnUrl = "/")
    {
        var page = await browser.GetStringAsync("/login");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        return await browser.PostAsync("/login", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", token), new("email", email), new("password", password), new("returnUrl", returnUrl),
        ]));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/hangfire")]
    public async Task AnonymousVisitor_IsSentToTheSignInPage(string path)
    {
        var response = await Browser().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var signIn = await Browser().GetStringAsync("/login");
        Assert.Contains("<input class=\"form-input\" id=\"email\" name=\"email\" type=\"email\"", signIn, StringComparison.Ordinal);
        Assert.Contains("<input class=\"form-input\" id=\"password\" name=\"password\" type=\"password\"", signIn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordOrUnknownEmail_IsRefusedTheSameWay()
    {
        var wrongPassword = await SignInAsync(Browser(), Email, "forkert");
        var unknownEmail = await SignInAsync(Browser(), "ukendt@example.dk", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownEmail.StatusCode);
        Assert.Contains("E-mail eller adgangskode er forkert.", await wrongPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedIn_StartPageShowsTheHearingsProgress_AndTheApiAndHangfireOpen()
    {
        var api = factory.CreateApiClient();
        var started = await (await api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Erhvervsfremmestrategi", caseNumber = "SAG-2019-05950", parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>();
        await (await api.PostJsonAsync($"/api/instances/{started.InstanceId}/parties/aarhus/answer", new { text = "Enig." })).ReadAsync<SignalResult>();

        var browser = Browser();
        var signedIn = await SignInAsync(browser, Email.ToUpperInvariant(), Password, "/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/hangfire", signedIn.Headers.Location!.OriginalString);

        var overview = await browser.GetStringAsync("/");
        Assert.Contains("Erhvervsfremmestrategi", overview, StringComparison.Ordinal);
        Assert.Contains("SAG-2019-05950", overview, StringComparison.Ordinal);
        Assert.Contains("1 af 2 svar", overview, StringComparison.Ordinal);
        Assert.Contains("torsdag den 31. oktober 2019 kl. 12.00", overview, StringComparison.Ordinal);
        Assert.Contains("22 arbejdsdage tilbage", overview, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/definitions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task SignInReturnUrl_ToAnotherSite_IsIgnored()
    {
        var response = await SignInAsync(Browser(), Email, Password, "//evil.example/");
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ApiWithoutKeyOrCookie_Is401NotARedirect()
    {
        var response = await Browser().GetAsync("/api/instances");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public void Dispose() => factory.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

[Trait("Database", "Sqlite")]
public sealed class StaffPagesTestsOnSqlite() : StaffPagesTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class StaffPagesTestsOnPostgreSql() : StaffPagesTests(TestDatabase.PostgreSql);
