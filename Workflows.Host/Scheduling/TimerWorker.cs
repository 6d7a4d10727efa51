using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Definitions.Runtime;

namespace Workflows.Host.Scheduling;

/// <summary><c>ProcesFlow:Scheduling</c>.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "ProcesFlow:Scheduling";

    /// <summary>How often the database is asked for due timers; a timer fires at most this late.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An instance left <c>Running</c> for this long was interrupted (its process died) and is resumed.</summary>
    public TimeSpan InterruptedAfter { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Wakes the engine: fires due timers and resumes interrupted instances. The database is the only source of
/// truth for timers, so nothing is lost when this process stops; the next one picks up where it left off.
/// </summary>
internal sealed class TimerWorker(WorkflowRuntime runtime, IOptions<SchedulingOptions> options, ILogger<TimerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interruptedAfter = Duration.FromTimeSpan(options.Value.InterruptedAfter);
        var round = 0;
        using var timer = new PeriodicTimer(options.Value.PollInterval);

        // At start-up nothing of ours is running yet: whatever is left Running was interrupted.
        await RecoverAsync(Duration.Zero, stoppingToken);
        do
        {
            try
            {
                var fired = await runtime.FireDueTimersAsync(stoppingToken);
                if (fired > 0)
                {
                    logger.LogInformation("Fired {Count} timer(s)", fired);
                }
                // Now and then, look for instances another node left behind.
                if (++round % 60 == 0)
                {
                    await RecoverAsync(interruptedAfter, stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Never let one bad round stop the scheduler; the next round tries again.
                logger.LogError(exception, "Firing due timers failed; retrying in {Interval}", options.Value.PollInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RecoverAsync(Duration olderThan, CancellationToken cancellationToken)
    {
        try
        {
            var recovered = await runtime.RecoverInterruptedAsync(olderThan, cancellationToken);
            if (recovered > 0)
            {
                logger.LogWarning("Resumed {Count} interrupted instance(s)", recovered);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Resuming interrupted instances failed");
        }
    }
}
