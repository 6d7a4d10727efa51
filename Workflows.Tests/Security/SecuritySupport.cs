using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;
using Workflows.Host.Staff;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>Staff accounts and API keys of each role on a real host, signed in through the real sign-in form.</summary>
internal static class SecuritySupport
{
    public const string Password = "Et-Langt-Kodeord-2019";

    public static string EmailOf(string role, string? team = null) =>
        $"{(role == StaffRoles.Reader ? "laeser" : role.ToLowerInvariant())}{(team is null ? "" : "-" + team)}@kkr.example";

    /// <summary>Creates an account of <paramref name="role"/> through the accounts service, as the administration page does.</summary>
    public static async Task<StaffAccount> CreateUserAsync(ProcesFlowApiFactory factory, string role, string? team = null)
    {
        var (user, error) = await factory.Services.GetRequiredService<StaffAccounts>().CreateAsync(EmailOf(role, team), role, role, team, Password, CancellationToken.None);
        Assert.True(user is not null, error);
        return user!;
    }

    /// <summary>A browser-like client (cookies, no automatic redirects) signed in as a new account of <paramref name="role"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(ProcesFlowApiFactory factory, string role, string? team = null)
    {
        await CreateUserAsync(factory, role, team);
        return await SignInAsync(factory, EmailOf(role, team), Password);
    }

    public static async Task<HttpClient> SignInAsync(ProcesFlowApiFactory factory, string email, string password)
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync("/login");
        var response = await browser.PostAsync("/login", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", StaffSession.Token(page)), new("email", email), new("password", password), new("returnUrl", "/"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    /// <summary>A client with a new API key of <paramref name="role"/>, created as an administrator creates it.</summary>
    public static async Task<(HttpClient Client, string Name)> KeyClientAsync(ProcesFlowApiFactory factory, string role, string? team = null, Instant? expiresAt = null)
    {
        var name = $"system-{role}-{team ?? "alle"}";
        var (_, key) = await factory.Services.GetRequiredService<ApiKeyStore>().CreateAsync(name, role, team, expiresAt, "test", CancellationToken.None);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return (client, name);
    }

    /// <summary>
    /// Starts the erhvervsfremme seed and moves the simulated clock to Friday 1 November 2019 12:00, when the input's
    /// deadline has passed and the styregruppe's decision is waiting to be recorded. Returns the instance.
    /// </summary>
    public static async Task<Guid> WaitingForTheStyregruppeAsync(ProcesFlowApiFactory factory)
    {
        var api = factory.CreateApiClient();
        var id = (await (await api.PostJsonAsync("/api/instances", new
        {
            definitionId = "erhvervsfremmestrategi-midtjylland",
            input = new { caseNumber = "SAG-2019-05950" },
        })).ReadAsync<Workflows.Host.Api.InstanceStarted>()).InstanceId;
        await api.PostJsonAsync("/api/clock/advance", new { to = Instant.FromUtc(2019, 11, 1, 11, 0).ToString() });
        return id;
    }

    public static async Task<List<AuditRow>> AuditAsync(ProcesFlowApiFactory factory)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        return await db.Audit.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>The one line of <paramref name="action"/> (fails, listing every line, when there is not exactly one).</summary>
    public static async Task<AuditRow> SingleAsync(ProcesFlowApiFactory factory, string action)
    {
        var all = await AuditAsync(factory);
        var matching = all.Where(a => a.Action == action).ToList();
        Assert.True(matching.Count == 1, $"Expected one '{action}' line; the trail has: {string.Join(" | ", all.Select(a => $"{a.Actor} {a.Action} {a.Target}"))}");
        return matching[0];
    }
}
