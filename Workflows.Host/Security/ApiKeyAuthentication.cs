using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Workflows.Host.Hosting;

namespace Workflows.Host.Security;

/// <summary>
/// Authenticates API clients by the <c>X-Api-Key</c> header: first against <c>ProcesFlow:ApiKeys</c> (the operators'
/// keys, compared in constant time, with the Administrator role), then against the keys administrators created
/// (found by their SHA-256, with their own role and team, refused after their expiry or revocation).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ProcesFlowOptions> procesFlow,
    ApiKeyStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
        }
        var presented = Encoding.UTF8.GetBytes(values[0]!);
        var matched = procesFlow.CurrentValue.ApiKeys
            .Where(k => !string.IsNullOrEmpty(k))
            .Select((key, index) => (Index: index, Match: CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(key))))
            .Where(x => x.Match)
            .Select(x => (int?)x.Index)
            .FirstOrDefault();
        if (matched is { } index)
        {
            // The journal records actors; a key is named by its position, never by its value.
            return Success(new ClaimsIdentity([new Claim(ClaimTypes.Name, $"api-key-{index + 1}"), new Claim(ClaimTypes.Role, StaffRoles.Administrator)], SchemeName));
        }
        if (await store.AuthenticateAsync(values[0]!, Context.RequestAborted) is not { } key)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, ApiKeyStore.ActorOf(key.Name)), new(ClaimTypes.Role, key.Role) };
        if (key.Team is { Length: > 0 } team)
        {
            claims.Add(new Claim(StaffRoles.TeamClaim, team));
        }
        return Success(new ClaimsIdentity(claims, SchemeName));
    }

    private static AuthenticateResult Success(ClaimsIdentity identity) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        return Task.CompletedTask;
    }
}
