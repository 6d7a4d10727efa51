using System.Net.Sockets;
using Hangfire;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Workflows.Host.Mail.Inbox;

/// <summary>
/// The Hangfire job that reads the answer inbox (recurring, every minute). Does nothing when no IMAP host is
/// configured. An unreachable or refusing server is logged and tried again at the next run; nothing is lost, because
/// the mail stays on the server until it has been handled.
/// </summary>
public sealed class InboxJobs(InboxReader reader, ILogger<InboxJobs> logger)
{
    public const string RecurringJobId = "answer-inbox";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await reader.PollAsync(cancellationToken);
            if (result.Messages.Count > 0 || result.Failed > 0)
            {
                logger.LogInformation("Inbox: {Count} mails read ({Answered} answers, {Kept} kept for staff, {Failed} to try again, {Remaining} waiting).",
                    result.Messages.Count, result.Messages.Count(m => m.Result == InboxResult.Answered),
                    result.Messages.Count(m => m.Result is InboxResult.Unmatched or InboxResult.Refused or InboxResult.Automatic or InboxResult.Held), result.Failed, result.Remaining);
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or TimeoutException or ImapProtocolException
            or ImapCommandException or AuthenticationException or SslHandshakeException or ServiceNotConnectedException or FolderNotFoundException)
        {
            logger.LogWarning("Inbox: the answer inbox could not be read ({Error}); tried again at the next run.", exception.Message);
        }
    }
}
