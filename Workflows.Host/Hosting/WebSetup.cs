using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Scalar.AspNetCore;
using Workflows.Host.Answers;
using Workflows.Host.Api;
using Workflows.Host.Designer;
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
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// The routes: <c>/health</c> for anyone, <c>/api/*</c> for API clients, the OpenAPI document and its browsable UI.
    /// An unexpected error becomes a plain problem details response, never a stack trace.
    /// </summary>
    public static WebApplication MapProcesFlow(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").AllowAnonymous();
        app.MapAnswerPages();
        app.MapStaffPages();
        app.MapDesignerPages();
        app.MapOpenApi();
        app.MapScalarApiReference();

        var api = app.MapGroup("/api").RequireAuthorization(SecuritySetup.ApiPolicy);
        api.MapDefinitionsApi();
        api.MapRehearsalApi();
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
