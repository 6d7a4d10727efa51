using Hangfire;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Definitions.Runtime;

namespace Workflows.Host.Scheduling;

/// <summary>
/// The Hangfire jobs that wake the engine. They are thin: the engine's database decides what is due, so a job
/// that runs twice, late, or on another node does no harm (a timer fires once; see <see cref="WorkflowRuntime.FireTimerAsync"/>),
/// and one job fires every timer that is due, not only the one it was scheduled for.
/// </summary>
public sealed class EngineJobs(WorkflowRuntime runtime, IClock clock, IOptions<SchedulingOptions> options, ILogger<EngineJobs> logger)
{
    public const string SweepJobId = "engine-sweep";

    /// <summary>The longest a timer job waits for its due time when Hangfire starts it early.</summary>
    private static readonly Duration EarlyStartTolerance = Duration.FromSeconds(5);

    /// <summary>
    /// Instances whose due timers fire at once. On SQLite their saves share commits (<c>SqliteGroupCommit</c>), so
    /// a burst of reminders costs a few durable commits a second instead of one each; more would only queue for the CPU.
    /// </summary>
    public const int FiringParallelism = 16;

    /// <summary>
    /// Wakes at a due second (see <see cref="TimerWakeUps"/>) and fires every timer due by then, whichever instance it
    /// belongs to. Hangfire keeps schedules in whole seconds and polls for them, so the job is scheduled a second early
    /// and waits out the rest here rather than start late.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task FireDueTimersAsync(long dueUnixMilliseconds, CancellationToken cancellationToken)
    {
        var due = Instant.FromUnixTimeMilliseconds(dueUnixMilliseconds);
        var early = due - clock.GetCurrentInstant();
        if (early > Duration.Zero && early <= EarlyStartTolerance)
        {
            await Task.Delay(early.ToTimeSpan(), cancellationToken);
        }
        await runtime.FireDueTimersAsync(FiringParallelism, cancellationToken);
    }

    /// <summary>A timer job scheduled by a version before timers were woken by the second; it fires whatever is due.</summary>
    [AutomaticRetry(Attempts = 3)]
    public Task FireTimerAsync(Guid instanceId, Guid bookmarkId, long dueUnixMilliseconds, CancellationToken cancellationToken) =>
        FireDueTimersAsync(dueUnixMilliseconds, cancellationToken);

    /// <summary>
    /// The safety net, every minute and at start-up: fires every due timer (also those whose Hangfire job was
    /// lost with an in-memory Hangfire storage) and resumes instances a dead process left running.
    /// </summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var recovered = await runtime.RecoverInterruptedAsync(Duration.FromTimeSpan(options.Value.InterruptedAfter), cancellationToken);
        var fired = await runtime.FireDueTimersAsync(FiringParallelism, cancellationToken);
        if (recovered + fired > 0)
        {
            logger.LogInformation("Sweep resumed {Recovered} interrupted instance(s) and fired {Fired} due timer(s)", recovered, fired);
        }
    }
}
