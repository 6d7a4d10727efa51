using Hangfire;
using Microsoft.Extensions.Options;
using Workflows.Definitions.Runtime;
using Workflows.Host.Hosting;

namespace Workflows.Host.Scheduling;

/// <summary>Told by the instance store what a save created, so the work it implies is scheduled at once.</summary>
public interface IInstanceSaveObserver
{
    void Saved(WorkflowInstance instance, IReadOnlyList<Bookmark> newTimers, bool queuedMail);
}

/// <summary>
/// Turns new timers into Hangfire jobs at their due time, and new mail into a send job now. In Simulated clock
/// mode timers are not scheduled: the clock only moves through <c>POST /api/clock/advance</c>, which fires them.
/// </summary>
internal sealed class JobScheduler(IBackgroundJobClient jobs, IOptions<ClockOptions> clock, ILogger<JobScheduler> logger) : IInstanceSaveObserver
{
    public void Saved(WorkflowInstance instance, IReadOnlyList<Bookmark> newTimers, bool queuedMail)
    {
        try
        {
            if (clock.Value.Mode == ClockMode.System)
            {
                foreach (var timer in newTimers)
                {
                    var due = timer.ResumeAt!.Value;
                    jobs.Schedule<EngineJobs>(j => j.FireTimerAsync(timer.InstanceId, timer.Id, due.ToUnixTimeMilliseconds(), CancellationToken.None), due.ToDateTimeOffset());
                }
            }
            if (queuedMail)
            {
                jobs.Enqueue<MailJobs>(j => j.SendAsync(CancellationToken.None));
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The save has committed; the minutely sweep and mail job pick up what could not be scheduled now.
            logger.LogWarning(exception, "Scheduling jobs for instance {InstanceId} failed; the sweep will pick them up", instance.Id);
        }
    }
}
