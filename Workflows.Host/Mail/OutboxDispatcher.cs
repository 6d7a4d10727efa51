using System.Net.Sockets;
using System.Text.Json;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Host.Answers;
using Workflows.Host.Hosting;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Mail;

/// <summary>What one <see cref="OutboxDispatcher.SendDueAsync"/> did.</summary>
/// <param name="Sent">Mails delivered (to the SMTP server or the pickup directory).</param>
/// <param name="Failed">Failed attempts: each such row waits for its next attempt or, with its retries used up, was given up.</param>
/// <param name="NextAttemptAt">The earliest pending row's next attempt, for scheduling the next run; null when nothing waits.</param>
public sealed record OutboxRunResult(int Sent, int Failed, Instant? NextAttemptAt);

/// <summary>
/// Sends the outbox: due <c>Pending</c> rows, oldest first, in batches over one connection each. A row's message is
/// composed once and stored before it is sent, so a resend after a crash is the same bytes with the same Message-ID.
/// </summary>
/// <remarks>
/// Concurrency: calls on one dispatcher are serialised by a semaphore (a second caller waits, then finds nothing due).
/// Across processes each row is claimed before it is sent, by a conditional update that moves its
/// <c>NextAttemptAt</c> past now for <see cref="MailOptions.ClaimDuration"/>; a row whose claim does not succeed
/// belongs to someone else. A sender that dies mid-batch leaves its rows claimed until the claim runs out. On PostgreSQL
/// the claim is taken under a per-row lock held for the batch (<see cref="OutboxRowLocks"/>), because a claim measured on
/// a simulated clock can run out in the middle of a send.
/// </remarks>
public sealed class OutboxDispatcher(
    IDbContextFactory<ProcesFlowDbContext> contexts,
    IClock clock,
    IOptions<MailOptions> mailOptions,
    IOptions<ProcesFlowOptions> procesFlowOptions,
    AnswerLinks answerLinks,
    IMailBounceRecorder bounces,
    Operations.ProcesFlowMetrics metrics,
    IOptions<DatabaseOptions> database,
    ILogger<OutboxDispatcher> logger) : IDisposable
{
    public const string ActivityType = "SendEmail";

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly MailOptions options = mailOptions.Value;
    private readonly MailComposer composer = new(
        mailOptions.Value, procesFlowOptions.Value.PublicBaseUrl,
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(procesFlowOptions.Value.TimeZone) ?? DateTimeZone.Utc,
        answerLinks.Create);

    /// <summary>Sends every due mail: batch after batch until none is due or the server is unreachable.</summary>
    public async Task<OutboxRunResult> SendDueAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            int sent = 0, failed = 0;
            while (true)
            {
                var batch = await SendBatchAsync(cancellationToken);
                metrics.MailsSent(batch.Sent);
                metrics.MailsFailed(batch.Failed);
                sent += batch.Sent;
                failed += batch.Failed;
                if (batch.Taken < options.BatchSize || batch.TransportFailed)
                {
                    break;
                }
            }
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var next = await db.Outbox.Where(o => o.Status == OutboxStatus.Pending)
                .OrderBy(o => o.NextAttemptAt).Select(o => (Instant?)o.NextAttemptAt).FirstOrDefaultAsync(cancellationToken);
            return new OutboxRunResult(sent, failed, next);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private async Task<BatchResult> SendBatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = await db.Outbox.AsNoTracking()
            .Where(o => o.Status == OutboxStatus.Pending && o.NextAttemptAt <= now)
            .OrderBy(o => o.QueuedAt).ThenBy(o => o.Id)
            .Take(options.BatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return new BatchResult(0, 0, 0, TransportFailed: false);
        }

        // Claim: whoever holds the row's lock and then moves NextAttemptAt from the value it read owns the row for this
        // batch. The lock comes first: a row another node is sending is skipped even when its claim has run out.
        await using var locks = await OutboxRowLocks.OpenAsync(contexts, database.Value.Provider, cancellationToken);
        var claimedUntil = now + Duration.FromTimeSpan(options.ClaimDuration);
        var claimed = new List<OutboxRow>();
        foreach (var row in due)
        {
            if (!await locks.TryTakeAsync(row.Id, cancellationToken))
            {
                continue;
            }
            var won = await db.Outbox
                .Where(o => o.Id == row.Id && o.Status == OutboxStatus.Pending && o.NextAttemptAt == row.NextAttemptAt)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.NextAttemptAt, claimedUntil), cancellationToken);
            if (won == 1)
            {
                claimed.Add(row);
            }
        }

        int sent = 0, failed = 0;
        var ready = new List<(OutboxRow Row, byte[] Mime)>();
        foreach (var row in claimed)
        {
            if (row.Mime is { } stored)
            {
                ready.Add((row, stored));
                continue;
            }
            byte[] mime;
            try
            {
                mime = composer.Compose(row, now);
            }
            catch (MailComposeException exception)
            {
                await RecordFailureAsync(db, row, $"The mail could not be composed: {exception.Message}", cancellationToken);
                failed++;
                continue;
            }
            // Stored before it is sent: every later attempt sends these bytes.
            await db.Outbox.Where(o => o.Id == row.Id).ExecuteUpdateAsync(set => set.SetProperty(o => o.Mime, mime), cancellationToken);
            ready.Add((row, mime));
        }
        if (ready.Count == 0)
        {
            return new BatchResult(due.Count, sent, failed, TransportFailed: false);
        }

        IMailConnection connection;
        try
        {
            connection = await Transport().ConnectAsync(cancellationToken);
        }
        catch (Exception exception) when (IsDeliveryFailure(exception, cancellationToken))
        {
            var error = Describe(exception, connecting: true);
            logger.LogWarning("Mail: {Error} ({Count} mails wait for their next attempt).", error, ready.Count);
            foreach (var (row, _) in ready)
            {
                await RecordFailureAsync(db, row, error, cancellationToken);
            }
            return new BatchResult(due.Count, sent, failed + ready.Count, TransportFailed: true);
        }

        await using (connection)
        {
            for (var i = 0; i < ready.Count; i++)
            {
                var (row, mime) = ready[i];
                using var scope = logger.BeginScope(Operations.LogScopes.Mail(row.Id, row.InstanceId, row.PartyTaskId));
                try
                {
                    await connection.SendAsync(row.Id, mime, cancellationToken);
                }
                catch (SmtpCommandException refused) when (row.PartyTaskId is { } partyTaskId && IsPermanentRecipientRefusal(refused))
                {
                    // The server will never take this address: no retries; the party is marked bounced for staff to fix.
                    var error = Describe(refused, connecting: false);
                    var address = refused.Mailbox?.Address ?? Recipients(row);
                    var recorded = await bounces.RecordAsync(partyTaskId, address, $"{(int)refused.StatusCode} {FirstLine(refused.Message)}", cancellationToken);
                    await GiveUpAsync(db, row, row.Attempts + 1, error, withIncident: !recorded, cancellationToken);
                    failed++;
                    continue;
                }
                catch (Exception exception) when (IsDeliveryFailure(exception, cancellationToken))
                {
                    var error = Describe(exception, connecting: false);
                    await RecordFailureAsync(db, row, error, cancellationToken);
                    failed++;
                    if (!connection.IsConnected)
                    {
                        // The server went away: the rest of the batch fails this attempt without trying.
                        logger.LogWarning("Mail: {Error} ({Count} mails wait for their next attempt).", error, ready.Count - i);
                        foreach (var (rest, _) in ready.Skip(i + 1))
                        {
                            await RecordFailureAsync(db, rest, $"Not sent: the connection was lost ({error})", cancellationToken);
                            failed++;
                        }
                        return new BatchResult(due.Count, sent, failed, TransportFailed: true);
                    }
                    continue;
                }
                var sentAt = clock.GetCurrentInstant();
                await db.Outbox.Where(o => o.Id == row.Id && o.Status == OutboxStatus.Pending).ExecuteUpdateAsync(set => set
                    .SetProperty(o => o.Status, OutboxStatus.Sent)
                    .SetProperty(o => o.SentAt, sentAt)
                    .SetProperty(o => o.Attempts, row.Attempts + 1)
                    .SetProperty(o => o.LastError, (string?)null), cancellationToken);
                sent++;
            }
        }
        return new BatchResult(due.Count, sent, failed, TransportFailed: false);
    }

    /// <summary>One more failed attempt: back off by the next delay, or give up with an incident when none is left.</summary>
    private async Task RecordFailureAsync(ProcesFlowDbContext db, OutboxRow row, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var attempts = row.Attempts + 1;
        var delays = options.GetRetryDelays();
        error = Shorten(error);
        if (attempts <= delays.Count)
        {
            var nextAttemptAt = now + Duration.FromTimeSpan(delays[attempts - 1]);
            await db.Outbox.Where(o => o.Id == row.Id && o.Status == OutboxStatus.Pending).ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Attempts, attempts)
                .SetProperty(o => o.LastError, error)
                .SetProperty(o => o.NextAttemptAt, nextAttemptAt), cancellationToken);
            return;
        }

        await GiveUpAsync(db, row, attempts, error, withIncident: true, cancellationToken);
    }

    /// <summary>
    /// No more attempts: the row is failed, with an incident unless something else shows the failure (a bounced party
    /// on its hearing).
    /// </summary>
    private async Task GiveUpAsync(ProcesFlowDbContext db, OutboxRow row, int attempts, string error, bool withIncident, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        error = Shorten(error);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.Outbox.Where(o => o.Id == row.Id && o.Status == OutboxStatus.Pending).ExecuteUpdateAsync(set => set
            .SetProperty(o => o.Status, OutboxStatus.Failed)
            .SetProperty(o => o.Attempts, attempts)
            .SetProperty(o => o.LastError, error), cancellationToken);
        if (updated == 1 && withIncident)
        {
            var what = row.Template is { } template ? $"the '{template}' mail" : $"the mail \"{row.Subject}\"";
            db.Incidents.Add(new IncidentRow
            {
                Id = Guid.CreateVersion7(),
                InstanceId = row.InstanceId,
                ActivityId = row.ActivityId,
                ActivityType = ActivityType,
                Message = $"Gave up sending {what} to {Recipients(row)} after {attempts} attempts. Last error: {error}",
                Attempt = attempts,
                OccurredAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            logger.LogError("Mail: gave up on outbox row {Id} to {To} after {Attempts} attempts: {Error}", row.Id, Recipients(row), attempts, error);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private IMailTransport Transport() => options.UsesSmtp
        ? new SmtpMailTransport(options.Smtp)
        : new PickupDirectoryTransport(options.PickupDirectory);

    /// <summary>A 5xx refusal of a recipient (RFC 5321: permanent): trying again later would get the same answer.</summary>
    private static bool IsPermanentRecipientRefusal(SmtpCommandException exception) =>
        exception.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)exception.StatusCode is >= 500 and < 600;

    /// <summary>Anything that goes wrong delivering counts as a failed attempt, except the caller cancelling.</summary>
    private static bool IsDeliveryFailure(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>A short, plain message for <c>LastError</c> and the incident; no stack trace.</summary>
    private string Describe(Exception exception, bool connecting)
    {
        var server = options.UsesSmtp ? $"the SMTP server {options.Smtp.Host}:{options.Smtp.Port}" : $"the pickup directory {options.PickupDirectory}";
        var detail = FirstLine(exception.Message);
        return exception switch
        {
            SmtpCommandException command => $"Refused by {server} ({(int)command.StatusCode} {command.ErrorCode}{(command.Mailbox is { } m ? $", {m.Address}" : "")}): {detail}",
            AuthenticationException => $"The user name or password was not accepted by {server}: {detail}",
            SocketException or SslHandshakeException when connecting => $"Could not connect to {server}: {detail}",
            OperationCanceledException or TimeoutException => $"No answer in time from {server}.",
            ServiceNotConnectedException or IOException or SocketException or SmtpProtocolException => $"Lost the connection to {server}: {detail}",
            UnauthorizedAccessException => $"Could not write to {server}: {detail}",
            _ => $"Could not send through {server}: {exception.GetType().Name}: {detail}",
        };
    }

    private static string Shorten(string error) => error.Length > 1000 ? error[..1000] : error;

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string Recipients(OutboxRow row)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(row.To) is { Count: > 0 } to ? string.Join(", ", to) : row.To;
        }
        catch (JsonException)
        {
            return row.To;
        }
    }

    private sealed record BatchResult(int Taken, int Sent, int Failed, bool TransportFailed);
}
