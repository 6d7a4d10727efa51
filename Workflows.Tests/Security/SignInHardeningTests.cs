using System.Net;
using Workflows.Host.Security;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>Lockout after failed sign-ins, the sign-in form's own rate limit, security headers, anti-forgery on the administration forms.</summary>
public abstract class SignInHardeningTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected SignInHardeningTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    public void Dispose() => factory.Dispose();

    private static async Task<HttpResponseMessage> TryAsync(HttpClient browser, string password)
    {
        var page = await browser.GetStringAsync("/login");
        return await browser.PostAsync("/login", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", StaffSession.Token(page)), new("email", StaffSession.Email), new("password", password), new("returnUrl", "/")]));
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_UntilTheLockoutHasPassed()
    {
        var browser = StaffSession.Anonymous(factory);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(browser, "forkert-" + i)).StatusCode);
        }
        var locked = await TryAsync(browser, StaffSession.Password);
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
        Assert.Contains("Kontoen er midlertidigt låst efter for mange forkerte forsøg. Prøv igen efter tirsdag den 1. oktober 2019 kl. 10.15.",
            WebUtility.HtmlDecode(await locked.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(["SignInFailed", "SignInFailed", "SignInFailed", "SignInFailed", "SignInFailedLocked", "SignInLockedOut"],
            (await SecuritySupport.AuditAsync(factory)).Select(a => a.Action));

        await factory.CreateApiClient().PostJsonAsync("/api/clock/advance", new { by = "PT15M" });
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(browser, StaffSession.Password)).StatusCode);
    }

    [Fact]
    public async Task TheSignInForm_HasItsOwnRateLimit_ApartFromTheAnswerPages()
    {
        factory.Settings["ProcesFlow:SignIn:AttemptsPerMinute"] = "3";
        var browser = StaffSession.Anonymous(factory);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(browser, "forkert")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(browser, StaffSession.Password)).StatusCode);
        // The answer pages count on their own: a link still opens.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/svar/ikke-et-link")).StatusCode);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/svar/ikke-et-link")]
    [InlineData("/health")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        var response = await StaffSession.Anonymous(factory).GetAsync(path);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", SecurityHeaders.ContentSecurityPolicy.Split(';').Single(p => p.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task TheStaffCookie_IsHttpOnlyAndSameSite()
    {
        var browser = StaffSession.Anonymous(factory);
        var response = await TryAsync(browser, StaffSession.Password);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("procesflow-staff=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AdministrationForms_WithoutTheAntiforgeryToken_ChangeNothing()
    {
        var admin = await StaffSession.SignedInAsync(factory);
        var response = await admin.PostAsync("/admin/brugere", new FormUrlEncodedContent(
            [new("email", "snydt@kkr.example"), new("role", StaffRoles.Administrator), new("password", "Et-Langt-Kodeord-1")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Siden var udløbet", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.DoesNotContain("snydt@kkr.example", await admin.GetStringAsync("/admin"), StringComparison.Ordinal);
    }
}

[Trait("Database", "Sqlite")]
public sealed class SignInHardeningTestsOnSqlite() : SignInHardeningTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class SignInHardeningTestsOnPostgreSql() : SignInHardeningTests(TestDatabase.PostgreSql);
