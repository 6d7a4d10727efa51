using System.Collections.Concurrent;
using Hangfire;
using NodaTime;

namespace Workflows.Host.Scheduling;

/// <summary>
/// One Hangfire job per second in which timers fall due, not one per timer: 10,000 reminders due within a minute are
/// 60 jobs, each firing everything due by its second (<see cref="EngineJobs.FireDueTimersAsync"/>). Before, each timer
/// was a job of its own, five Hangfire commits each on PostgreSQL, and its own load, save and commit of the instance.
/// </summary>
/// <remarks>
/// A second is remembered here once its job is scheduled, and only while that job cannot have started yet (Hangfire
/// may start a job up to two seconds before its second: it is scheduled one early and polls in whole seconds). A timer
/// due sooner than that gets a job of its own, so a job that started, or ran on another node, never leaves a timer
/// waiting for the minutely sweep.
/// </remarks>
public sealed class TimerWakeUps(IBackgroundJobClient jobs, IClock clock)
{
    /// <summary>The job is scheduled this much before its second and waits out the rest (Hangfire polls in whole seconds).</summary>
    private static readonly Duration ScheduledAhead = Duration.FromSeconds(1);

    /// <summary>A second closer than this may have a job that started already; its timers are not folded into it.</summary>
    private static readonly Duration Settled = Duration.FromSeconds(3);

    private const int PruneAbove = 4096;

    private readonly ConcurrentDictionary<Instant, byte> scheduled = new();

    /// <summary>Makes sure a job wakes at the second <paramref name="due"/> falls in (rounded up).</summary>
    public void Schedule(Instant due)
    {
        var second = Instant.FromUnixTimeSeconds((due.ToUnixTimeMilliseconds() + 999) / 1000);
        var now = clock.GetCurrentInstant();
        if (second - now > Settled)
        {
            if (!scheduled.TryAdd(second, 0))
            {
                return;
            }
            if (scheduled.Count > PruneAbove)
            {
                foreach (var past in scheduled.Keys.Where(s => s < now))
                {
                    scheduled.TryRemove(past, out _);
                }
            }
        }
        try
        {
            jobs.Schedule<EngineJobs>(j => j.FireDueTimersAsync(second.ToUnixTimeMilliseconds(), CancellationToken.None), (second - ScheduledAhead).ToDateTimeOffset());
        }
        catch
        {
            scheduled.TryRemove(second, out _);
            throw;
        }
    }
}
