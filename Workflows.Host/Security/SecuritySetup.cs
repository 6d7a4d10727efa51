using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Hosting;

namespace Workflows.Host.Security;

public static class SecuritySetup
{
    /// <summary>API clients (an <c>X-Api-Key</c>) or signed-in staff, any role: reading.</summary>
    public const string ApiPolicy = "Api";

    /// <summary>API: design and publish definitions (Administrator, Procesejer).</summary>
    public const string ApiDesignPolicy = "Api.Design";

    /// <summary>API: start and cancel hearings (Administrator, Procesejer, Sekretariat).</summary>
    public const string ApiStartPolicy = "Api.Start";

    /// <summary>API: run hearings (Administrator, Sekretariat).</summary>
    public const string ApiRunPolicy = "Api.Run";

    /// <summary>API: administration (Administrator).</summary>
    public const string ApiAdminPolicy = "Api.Admin";

    /// <summary>Signed-in staff only, any role (the web UI pages that read).</summary>
    public const string StaffPolicy = "Staff";

    /// <summary>Signed-in staff who run hearings (the dashboard's buttons).</summary>
    public const string StaffRunPolicy = "Staff.Run";

    /// <summary>Signed-in administrators (the administration pages, the Hangfire dashboard, the API reference).</summary>
    public const string StaffAdminPolicy = "Staff.Admin";

    public const string StaffScheme = "Staff";

    public static IHostApplicationBuilder AddProcesFlowSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<Staff.AdminOptions>().BindConfiguration(Staff.AdminOptions.SectionName)
            .Validate(o => o.Email.Contains('@', StringComparison.Ordinal), "ProcesFlow:Admin:Email must be an e-mail address.")
            .ValidateOnStart();
        builder.Services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.SectionName)
            .Validate(o => o.MaxFailedAttempts > 0 && o.LockoutMinutes > 0 && o.AttemptsPerMinute > 0, "ProcesFlow:SignIn limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Staff.StaffAccounts>();
        // Identity's UserManager and its EF stores over the engine database (one scoped context per use).
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContext());
        builder.Services.AddIdentityCore<StaffUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // The user name is the e-mail address, which may hold any letter (æ, ø, å).
                options.User.AllowedUserNameCharacters = "";
                options.Password.RequiredLength = Staff.StaffAccounts.MinimumPasswordLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<ProcesFlowDbContext>();
        builder.Services.AddSingleton<ApiKeyStore>();
        var secure = builder.Configuration[$"{ProcesFlowOptions.SectionName}:PublicBaseUrl"]?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(StaffScheme, options =>
            {
                options.Cookie.Name = "procesflow-staff";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = secure;
                options.LoginPath = "/login";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = ValidateStaffAsync;
                // An API call is answered 401, not redirected to a sign-in page.
                options.Events.OnRedirectToLogin = context =>
                {
                    if (IsApi(context.Request))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return Task.CompletedTask;
                    }
                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
                // A role that may not: 403 with a Danish page, never a redirect.
                options.Events.OnRedirectToAccessDenied = async context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    if (!IsApi(context.Request))
                    {
                        await ErrorPages.WriteForbiddenAsync(context.HttpContext);
                    }
                };
            });
        string[] both = [ApiKeyAuthenticationHandler.SchemeName, StaffScheme];
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(both).RequireRole(StaffRoles.All))
            .AddPolicy(ApiDesignPolicy, policy => policy.AddAuthenticationSchemes(both).RequireRole(StaffRoles.Administrator, StaffRoles.ProcessOwner))
            .AddPolicy(ApiStartPolicy, policy => policy.AddAuthenticationSchemes(both).RequireRole(StaffRoles.Administrator, StaffRoles.ProcessOwner, StaffRoles.Secretariat))
            .AddPolicy(ApiRunPolicy, policy => policy.AddAuthenticationSchemes(both).RequireRole(StaffRoles.Administrator, StaffRoles.Secretariat))
            .AddPolicy(ApiAdminPolicy, policy => policy.AddAuthenticationSchemes(both).RequireRole(StaffRoles.Administrator))
            .AddPolicy(StaffPolicy, policy => policy.AddAuthenticationSchemes(StaffScheme).RequireRole(StaffRoles.All))
            .AddPolicy(StaffRunPolicy, policy => policy.AddAuthenticationSchemes(StaffScheme).RequireRole(StaffRoles.Administrator, StaffRoles.Secretariat))
            .AddPolicy(StaffAdminPolicy, policy => policy.AddAuthenticationSchemes(StaffScheme).RequireRole(StaffRoles.Administrator));
        return builder;
    }

    /// <summary>
    /// A signed-in session ends when its account is deactivated or its role or team changed: the cookie is checked
    /// against the account at most once a minute.
    /// </summary>
    private static async Task ValidateStaffAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<Staff.StaffAccounts>();
        if (!await accounts.IsCurrentAsync(context.Principal!, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(StaffScheme);
        }
    }

    /// <summary>An API client's request (the API and its OpenAPI document): answered 401/403, never sent to the sign-in page.</summary>
    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi");

    /// <summary>Who did it, for the journal and the audit trail: the signed-in user or the API key's name.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}

/// <summary><c>ProcesFlow:SignIn</c>: lockout after failed sign-ins, and the rate limit of the sign-in form.</summary>
public sealed class SignInOptions
{
    public const string SectionName = "ProcesFlow:SignIn";

    /// <summary>Wrong passwords in a row before the account is locked.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Sign-in attempts per client address per minute (answered 429 beyond).</summary>
    public int AttemptsPerMinute { get; set; } = 20;
}
