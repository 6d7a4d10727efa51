using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Workflows.Host.Scheduling;

namespace Workflows.Host.Operations;

/// <summary>
/// What an operator runs ProcesFlow with: readiness (<c>/health/ready</c>: database, Hangfire, mail), the
/// <see cref="ProcesFlowMetrics.MeterName"/> meter and ASP.NET Core and runtime metrics through OpenTelemetry
/// (exported over OTLP, with the logs, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), and log scopes with the instance and party
/// a request is about.
/// </summary>
public static class OperationsSetup
{
    public const string ReadinessRoute = "/health/ready";

    private const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NodeIdentity>();
        builder.Services.AddSingleton<ProcesFlowMetrics>();
        builder.Services.AddSingleton<IInstanceSaveObserver, InstanceMetrics>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadiness>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(10))
            .AddCheck<HangfireReadiness>("hangfire", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(10))
            .AddCheck<MailReadiness>("mail", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(10));

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ProcesFlow"))
            .WithMetrics(meters => meters
                .AddMeter(ProcesFlowMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The logs go along, with their scopes (instance, party, outbox row) as attributes.
            telemetry.WithLogging(_ => { }, logging => logging.IncludeScopes = true).UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// Readiness for load balancers and orchestrators, which carry no key: it names each part and says whether it is
    /// up, never why (the reason is in the log). 503 when the database or Hangfire is down; mail down only degrades.
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks(ReadinessRoute, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReadinessAsync,
        }).WithTags("Health").AllowAnonymous();
        return app;
    }

    /// <summary>Every log line written while a request runs carries the instance and party of its route, if any.</summary>
    public static WebApplication UseLogScopes(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ProcesFlow.Requests");
        app.Use(async (context, next) =>
        {
            var values = context.Request.RouteValues;
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (values.TryGetValue("instanceId", out var instanceId))
            {
                scope[LogScopes.InstanceId] = instanceId;
            }
            if (values.TryGetValue("partyId", out var partyId))
            {
                scope[LogScopes.PartyId] = partyId;
            }
            using (scope.Count > 0 ? logger.BeginScope(scope) : null)
            {
                await next(context);
            }
        });
        return app;
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            ready = report.Status != HealthStatus.Unhealthy,
            down = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).Order(StringComparer.Ordinal).ToList(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
