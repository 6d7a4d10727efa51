using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Scalar.AspNetCore;
using Workflows.Host.Admin;
using Workflows.Host.Answers;
using Workflows.Host.Api;
using Workflows.Host.Audit;
using Workflows.Host.Designer;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Pages;
using Workflows.Host.Operations;
using Workflows.Host.Rehearsal;
using Workflows.Host.Security;
using Workflows.Host.Staff;

namespace Workflows.Host.Hosting;

public static class WebSetup
{
    /// <summary>JSON (NodaTime, enums as text), problem details, OpenAPI.</summary>
    public static IHostApplicationBuilder AddProcesFlowWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        builder.Services.AddProblemDetails();
        builder.AddProcesFlowPages();
        builder.Services.AddOpenApi(ApiDocument.Configure);
        builder.Services.AddExceptionHandler<ErrorPages.PageExceptionHandler>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddRateLimiter(o =>
        {
            // Per client address, apart from the answer pages' limit: enough for a person, too few to guess passwords.
            o.AddPolicy(StaffPages.SignInRateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value.AttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        return builder;
    }

    /// <summary>
    /// The routes: <c>/health</c> (liveness) and <c>/health/ready</c> (readiness) for anyone, <c>/api/*</c> for API clients by
    /// role (<see cref="RoutePermissions"/>), the OpenAPI document for API clients and its browsable UI for administrators.
    /// An unexpected error or an unknown address becomes a Danish page for a browser (<see cref="ErrorPages"/>) and
    /// problem details for an API client, never a stack trace; every successful change lands in the audit trail.
    /// </summary>
    public static WebApplication MapProcesFlow(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseLogScopes();
        app.UseDanishStatusCodePages();
        app.UseSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: it authenticates the staff cookie where a policy names it, so the user is known here.
        app.UseTeamScope();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.UseMiddleware<AuditMiddleware>();

        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").AllowAnonymous();
        app.MapOperations();
        app.MapDesignSystem();
        app.MapAnswerPages();
        app.MapStaffPages();
        app.MapAdminPages();
        app.MapInboxPages();
        app.MapDesignerPages();
        app.MapOpenApi().RequireAuthorization(SecuritySetup.ApiPolicy);
        // The API reference (its page and its script) for administrators only, whatever the package marks anonymous.
        var reference = app.MapGroup("").RequireAuthorization(SecuritySetup.StaffAdminPolicy).ExcludeFromDescription();
        ((IEndpointConventionBuilder)reference).Finally(endpoint =>
        {
            foreach (var anonymous in endpoint.Metadata.OfType<IAllowAnonymous>().ToList())
            {
                endpoint.Metadata.Remove(anonymous);
            }
        });
        reference.MapScalarApiReference();

        var api = app.MapGroup("/api").RequireAuthorization(SecuritySetup.ApiPolicy);
        RoutePermissions.ApplyToApi(api);
        api.MapDefinitionsApi();
        api.MapRehearsalApi();
        api.MapElsaApi();
        api.MapInstancesApi();
        api.MapHearingsApi();
        api.MapExtensionRequestsApi();
        api.MapInboxApi();
        api.MapAnswersApi();
        api.MapReportsApi();
        api.MapCalendarApi();
        api.MapPartiesApi();
        api.MapClockApi();
        api.MapDecisionsApi();
        return app;
    }
}
