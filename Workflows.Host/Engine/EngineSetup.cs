using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Meetings;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Hosting;
using Workflows.Host.Scheduling;

namespace Workflows.Host.Engine;

public static class EngineSetup
{
    /// <summary>Options, clock, and the engine's core services.</summary>
    public static IHostApplicationBuilder AddWorkflowEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProcesFlowOptions>().BindConfiguration(ProcesFlowOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => DateTimeZoneProviders.Tzdb.GetZoneOrNull(o.TimeZone) is not null, "ProcesFlow:TimeZone is not a TZDB zone id (e.g. Europe/Copenhagen).")
            .ValidateOnStart();
        builder.Services.AddOptions<ClockOptions>().BindConfiguration(ClockOptions.SectionName)
            .Validate(o => o.Start is null || ParseStart(o.Start, DateTimeZoneProviders.Tzdb["Europe/Copenhagen"]) is not null,
                "ProcesFlow:Clock:Start must be an ISO instant (2019-10-01T08:00:00Z) or a local date-time (2019-10-01T10:00).")
            .ValidateOnStart();

        builder.Services.AddSingleton<SimulatedClock>();
        builder.Services.AddSingleton<SimulatedTime>();
        builder.Services.AddHostedService<StoredClockFollower>();
        builder.Services.AddSingleton<IClock>(sp => sp.GetRequiredService<IOptions<ClockOptions>>().Value.Mode == ClockMode.Simulated
            ? sp.GetRequiredService<SimulatedClock>()
#pragma warning disable RS0030 // The one place allowed to name the real clock.
            : SystemClock.Instance);
#pragma warning restore RS0030

        builder.Services.AddSingleton(ActivityRegistry.Default);
        builder.Services.AddSingleton<DefinitionParser>();
        builder.Services.AddSingleton<DefinitionManager>();
        builder.Services.AddSingleton<DefinitionCatalog>();
        builder.Services.AddSingleton(RetryPolicy.Default);
        builder.Services.AddSingleton(sp => new WorkflowRunner(
            sp.GetRequiredService<IClock>(), sp.GetRequiredService<DeadlineCalculator>(), sp.GetRequiredService<PartyDirectory>(),
            sp.GetRequiredService<RetryPolicy>(), sp.GetRequiredService<MeetingCalendars>()));
        builder.Services.AddSingleton<InstanceLocks>();
        builder.Services.AddSingleton<Definitions.Rehearsal.DraftRehearsal>();
        builder.Services.AddSingleton<WorkflowRuntime>();
        builder.Services.AddSingleton<DefinitionFolderLoader>();
        return builder;
    }

    /// <summary>
    /// Prepares the database and the engine before the first request: schema, simulated clock, and the
    /// definitions in <c>definitions-json/</c> (published; a changed file becomes a new version).
    /// </summary>
    public static async Task InitializeWorkflowEngineAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var services = app.Services;
        await services.GetRequiredService<Persistence.DatabaseInitializer>().InitializeAsync(cancellationToken);

        var clockOptions = services.GetRequiredService<IOptions<ClockOptions>>().Value;
        if (clockOptions.Mode == ClockMode.Simulated)
        {
            var zone = services.GetRequiredService<DateTimeZone>();
#pragma warning disable RS0030 // Without a configured start, a fresh simulated clock starts at the real now.
            var start = clockOptions.Start is { } text ? ParseStart(text, zone)!.Value : SystemClock.Instance.GetCurrentInstant();
#pragma warning restore RS0030
            await services.GetRequiredService<SimulatedTime>().InitializeAsync(start, cancellationToken);
        }

        await services.GetRequiredService<DefinitionFolderLoader>().LoadAsync(cancellationToken);
        // Files of answers a crash caught between writing and committing: made final, or removed.
        await services.GetRequiredService<Answers.AttachmentStore>().SweepAsync(cancellationToken);
        await services.GetRequiredService<Staff.StaffAccounts>().EnsureAdministratorAsync(cancellationToken);
    }

    /// <summary>An ISO instant (Z or an offset), or a local date-time in <paramref name="zone"/> with or without seconds.</summary>
    internal static Instant? ParseStart(string text, DateTimeZone zone)
    {
        if (InstantPattern.ExtendedIso.Parse(text) is { Success: true } instant)
        {
            return instant.Value;
        }
        if (OffsetDateTimePattern.ExtendedIso.Parse(text) is { Success: true } offset)
        {
            return offset.Value.ToInstant();
        }
        var local = LocalDateTimePattern.ExtendedIso.Parse(text);
        if (!local.Success)
        {
            local = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Parse(text);
        }
        return local.Success ? local.Value.InZoneLeniently(zone).ToInstant() : null;
    }
}
