using Hangfire;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Definitions.Runtime;

namespace Workflows.Host.Scheduling;

/// <summary>
/// The Hangfire jobs that wake the engine. They are thin: the engine's database decides what is due, so a job
/// that runs twice, late, or on another node does no harm (a timer fires once; see <see cref="WorkflowRuntime.FireTimerAsync"/>).
/// </summary>
public sealed class EngineJobs(WorkflowRuntime runtime, IClock clock, IOptions<SchedulingOptions> options, ILogger<EngineJobs> logger)
{
    public const string SweepJobId = "engine-sweep";

    /// <summary>The longest a timer job waits for its due time when Hangfire starts it early.</summary>
    private static readonly Duration EarlyStartTolerance = Duration.FromSeconds(5);

    /// <summary>
    /// Fires one timer, scheduled by Hangfire at its due time. Hangfire keeps schedules in whole seconds, so the
    /// job can start up to a second early: it then waits out the rest rather than leave the timer to the sweep.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task FireTimerAsync(Guid instanceId, Guid bookmarkId, long dueUnixMilliseconds, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(Operations.LogScopes.Instance(instanceId));
        var early = Instant.FromUnixTimeMilliseconds(dueUnixMilliseconds) - clock.GetCurrentInstant();
        if (early > Duration.Zero && early <= EarlyStartTolerance)
        {
            await Task.Delay(early.ToTimeSpan(), cancellationToken);
        }
        await runtime.FireTimerAsync(instanceId, bookmarkId, cancellationToken);
    }

    /// <summary>
    /// The safety net, every minute and at start-up: fires every due timer (also those whose Hangfire job was
    /// lost with an in-memory Hangfire storage) and resumes instances a dead process left running.
    /// </summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var recovered = await runtime.RecoverInterruptedAsync(Duration.FromTimeSpan(options.Value.InterruptedAfter), cancellationToken);
        var fired = await runtime.FireDueTimersAsync(cancellationToken);
        if (recovered + fired > 0)
        {
            logger.LogInformation("Sweep resumed {Recovered} interrupted instance(s) and fired {Fired} due timer(s)", recovered, fired);
        }
    }
}
