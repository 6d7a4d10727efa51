using Hangfire;
using Microsoft.Extensions.Options;
using Workflows.Definitions.Runtime;
using Workflows.Host.Hosting;

namespace Workflows.Host.Scheduling;

/// <summary>Told by the instance store what a save created, so the work it implies is scheduled (and counted) at once.</summary>
public interface IInstanceSaveObserver
{
    void Saved(WorkflowInstance instance, InstanceSaved saved);
}

/// <summary>What one committed save of an instance added.</summary>
/// <param name="NewTimers">Timer bookmarks that did not exist before this save.</param>
/// <param name="Journal">The journal lines this save recorded.</param>
/// <param name="Answers">The party answers this save stored.</param>
/// <param name="QueuedMail">Whether this save put mail in the outbox.</param>
public sealed record InstanceSaved(IReadOnlyList<Bookmark> NewTimers, IReadOnlyList<JournalEntry> Journal, IReadOnlyList<PartyAnswer> Answers, bool QueuedMail);

/// <summary>
/// Wakes the engine at new timers' due seconds (<see cref="TimerWakeUps"/>), and turns new mail into a send job now. In Simulated clock
/// mode timers are not scheduled: the clock only moves through <c>POST /api/clock/advance</c>, which fires them.
/// </summary>
internal sealed class JobScheduler(IBackgroundJobClient jobs, TimerWakeUps wakeUps, IOptions<ClockOptions> clock, ILogger<JobScheduler> logger) : IInstanceSaveObserver
{
    public void Saved(WorkflowInstance instance, InstanceSaved saved)
    {
        try
        {
            if (clock.Value.Mode == ClockMode.System)
            {
                foreach (var timer in saved.NewTimers)
                {
                    wakeUps.Schedule(timer.ResumeAt!.Value);
                }
            }
            if (saved.QueuedMail)
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
