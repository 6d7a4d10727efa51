using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Workflows.Host.Hosting;

namespace Workflows.Host.Security;

/// <summary>
/// Authenticates API clients by the <c>X-Api-Key</c> header against <c>ProcesFlow:ApiKeys</c>. Keys are compared
/// in constant time so response timing reveals nothing about a key.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ProcesFlowOptions> procesFlow)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var presented = Encoding.UTF8.GetBytes(values[0]!);
        var matched = procesFlow.CurrentValue.ApiKeys
            .Where(k => !string.IsNullOrEmpty(k))
            .Select((key, index) => (Index: index, Match: CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(key))))
            .Where(x => x.Match)
            .Select(x => (int?)x.Index)
            .FirstOrDefault();
        if (matched is not { } index)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }
        // The journal records actors; a key is named by its position, never by its value.
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"api-key-{index + 1}")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        return Task.CompletedTask;
    }
}

public static class SecuritySetup
{
    /// <summary>API clients (an <c>X-Api-Key</c>) or signed-in staff.</summary>
    public const string ApiPolicy = "Api";

    /// <summary>Signed-in staff only (the web UI, the Hangfire dashboard).</summary>
    public const string StaffPolicy = "Staff";

    public const string StaffScheme = "Staff";

    public static IHostApplicationBuilder AddProcesFlowSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<Staff.AdminOptions>().BindConfiguration(Staff.AdminOptions.SectionName)
            .Validate(o => o.Email.Contains('@', StringComparison.Ordinal), "ProcesFlow:Admin:Email must be an e-mail address.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Staff.StaffAccounts>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(StaffScheme, options =>
            {
                options.Cookie.Name = "procesflow-staff";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.LoginPath = "/login";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                // An API call is answered 401, not redirected to a sign-in page.
                options.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return Task.CompletedTask;
                    }
                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, StaffScheme).RequireAuthenticatedUser())
            .AddPolicy(StaffPolicy, policy => policy.AddAuthenticationSchemes(StaffScheme).RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>Who did it, for the journal: the signed-in user or the API key's name.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
