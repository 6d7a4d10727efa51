using Hangfire;
using Microsoft.Extensions.Options;
using Workflows.Host.Hosting;
using Workflows.Host.Mail;

namespace Workflows.Host.Scheduling;

/// <summary>Sends what is due in the outbox; when a failed mail has a later retry, schedules itself for then.</summary>
public sealed class MailJobs(OutboxDispatcher dispatcher, IBackgroundJobClient jobs, IOptions<ClockOptions> clock)
{
    public const string RecurringJobId = "outbox";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
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
