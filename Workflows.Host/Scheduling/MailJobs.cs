using Hangfire;
using Microsoft.Extensions.Options;
using Workflows.Host.Hosting;
using Workflows.Host.Mail;

namespace Workflows.Host.Scheduling;

/// <summary>
/// Sends what is due in the outbox; when a failed mail has a later retry, schedules itself for then. Runs of it may
/// overlap, on one node or several: the dispatcher claims each row before sending it, so no Hangfire lock is taken
/// (a lock left by a killed node would stop every node's mail until it expired).
/// </summary>
public sealed class MailJobs(OutboxDispatcher dispatcher, IBackgroundJobClient jobs, IOptions<ClockOptions> clock)
{
    public const string RecurringJobId = "outbox";

    [AutomaticRetry(Attempts = 0)]
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        var result = await dispatcher.SendDueAsync(cancellationToken);
        if (result.NextAttemptAt is { } next && clock.Value.Mode == ClockMode.System)
        {
            jobs.Schedule<MailJobs>(j => j.SendAsync(CancellationToken.None), next.ToDateTimeOffset());
        }
    }
}
