using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using NodaTime;
using NodaTime.Text;
using Workflows.Host.Answers;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Mail.Inbox;

/// <summary>What became of one mail in the answer inbox.</summary>
public enum InboxResult
{
    /// <summary>Stored as the party's answer.</summary>
    Answered,

    /// <summary>Stored as an answer before (same Message-ID): nothing new.</summary>
    Duplicate,

    /// <summary>Not matched to a party task: kept for staff to assign.</summary>
    Unmatched,

    /// <summary>Matched, but the answer service refused it (hearing closed, file type, …): kept with the reason.</summary>
    Refused,

    /// <summary>Matched, but the hearing could not take it (closed, stopped, ended): kept among the answers staff handle, not counted.</summary>
    Held,

    /// <summary>Written by a machine (out-of-office, bounce): kept, never counted as an answer.</summary>
    Automatic,

    /// <summary>A mail server's report that a mail to a party could not be delivered: the party is marked bounced; the report is kept.</summary>
    Bounced,

    /// <summary>Kept before (same Message-ID): nothing new.</summary>
    AlreadyKept,
}

/// <param name="MessageId">The mail's Message-ID (without angle brackets).</param>
/// <param name="Result">What became of it.</param>
/// <param name="PartyTaskId">The party task it was matched to, if any.</param>
/// <param name="AnswerId">The answer it became (or already was).</param>
/// <param name="KeptMailId">The unmatched-mail row it is kept as, for staff.</param>
/// <param name="Reason">Why it was kept rather than stored as an answer (Danish, for staff).</param>
/// <param name="MatchedBy">How it was matched: <c>plus-address</c> or <c>in-reply-to</c>.</param>
public sealed record InboxOutcome(
    string MessageId, InboxResult Result, Guid? PartyTaskId = null, Guid? AnswerId = null, Guid? KeptMailId = null, string? Reason = null, string? MatchedBy = null);

/// <summary>
/// What the inbox keeps next to a kept mail's <c>.eml</c> (a <c>.json</c> file of the same name): why it was kept and
/// what staff need to decide about it without opening the raw mail.
/// </summary>
public sealed record KeptMailNote(InboxResult Result, string Reason, Guid? PartyTaskId, string? MatchedBy, string? Preview, IReadOnlyList<string> Attachments);

/// <summary>
/// Turns one mail from the answer inbox into a party's answer, or keeps it visible for staff (never drops it). Matching, in order:
/// a verified plus-address tag (<see cref="ReplyTags"/>) in To, Cc or the delivery headers; then In-Reply-To and
/// References naming the Message-ID of an outbox mail about a party task. Idempotent by Message-ID: a mail already
/// stored as an answer is a <see cref="InboxResult.Duplicate"/>, one already kept is <see cref="InboxResult.AlreadyKept"/>.
/// Kept for staff instead of answering: mail written by a machine (out-of-office, bounces: they quote the invitation
/// like a reply does), a further mail from a party that has already answered (it could be a "thank you" to the
/// receipt), and whatever the answer service refuses (hearing closed, a file that is not what it claims).
/// </summary>
public sealed class InboxProcessor(
    IDbContextFactory<ProcesFlowDbContext> contexts,
    HearingCommands answers,
    AttachmentStore attachments,
    IClock clock,
    IOptions<MailOptions> mailOptions,
    Audit.AuditTrail audit,
    ILogger<InboxProcessor> logger)
{
    private static readonly string[] DeliveryHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"];
    private static readonly InstantPattern MonthFolder = InstantPattern.CreateWithInvariantCulture("uuuu'/'MM");

    /// <summary>Reads, matches and stores one raw message.</summary>
    public async Task<InboxOutcome> ProcessAsync(byte[] raw, CancellationToken cancellationToken)
    {
        var mail = InboxMessage.Parse(raw);
        if (await KnownAsync(mail.MessageId, cancellationToken) is { } known)
        {
            return known;
        }
        var (partyTaskId, matchedBy, problem) = await MatchAsync(mail.Message, cancellationToken);
        if (DeliveryReport.Read(mail.Message) is { Failures.Count: > 0 } report)
        {
            return await BounceAsync(mail, raw, report, partyTaskId, matchedBy, cancellationToken);
        }
        if (mail.AutomaticReason() is { } automatic)
        {
            return await KeepAsync(mail, raw, InboxResult.Automatic, automatic, partyTaskId, matchedBy, cancellationToken);
        }
        if (partyTaskId is not { } taskId)
        {
            return await KeepAsync(mail, raw, InboxResult.Unmatched,
                problem ?? "Mailen kunne ikke knyttes til en høringspart: den er hverken sendt til en personlig svar-adresse eller et svar på en mail fra ProcesFlow.",
                null, null, cancellationToken);
        }

        if (await AlreadyAnsweredAsync(taskId, cancellationToken))
        {
            // By mail, a second message is as often "thanks for the receipt" or a follow-up as a new answer: it does not
            // replace the answer by itself. Staff assign it if it should (the answer page replaces answers explicitly).
            return await KeepAsync(mail, raw, InboxResult.Refused,
                "Parten har allerede svaret, og en ny mail erstatter ikke svaret af sig selv (det kan være en tak for kvitteringen eller en opfølgning). Tildel mailen til parten, hvis den skal erstatte svaret.",
                taskId, matchedBy, cancellationToken);
        }

        AnswerOutcome outcome;
        try
        {
            outcome = await SubmitAsync(taskId, mail, withFiles: true, cancellationToken);
        }
        catch (DbUpdateException exception)
        {
            // Another poller stored the same mail a moment earlier (the Message-ID is unique).
            return await KnownAsync(mail.MessageId, cancellationToken) ?? throw new InvalidOperationException($"Storing mail {mail.MessageId} failed.", exception);
        }
        switch (outcome)
        {
            case AnswerOutcome.Accepted accepted:
                logger.LogInformation("Inbox: mail {MessageId} from {From} is the answer of party task {PartyTaskId} (matched by {MatchedBy}).", mail.MessageId, mail.FromAddress, taskId, matchedBy);
                await audit.RecordAsync(new Audit.AuditEntry("AnswerReceivedByMail", $"partyTaskId={taskId}", After: $"answerId={accepted.AnswerId}, matched by {matchedBy}", Actor: $"mail:{mail.FromAddress}"), cancellationToken);
                return new InboxOutcome(mail.MessageId, InboxResult.Answered, taskId, accepted.AnswerId, MatchedBy: matchedBy);
            case AnswerOutcome.Duplicate duplicate:
                return new InboxOutcome(mail.MessageId, InboxResult.Duplicate, taskId, duplicate.AnswerId, MatchedBy: matchedBy);
            case AnswerOutcome.Held held:
                logger.LogWarning("Inbox: mail {MessageId} answers party task {PartyTaskId}, but the hearing could not take it ({Reason}); it is kept for staff.", mail.MessageId, taskId, held.Reason);
                return new InboxOutcome(mail.MessageId, InboxResult.Held, taskId, held.AnswerId, MatchedBy: matchedBy);
            case AnswerOutcome.Refused refused:
                return await KeepAsync(mail, raw, InboxResult.Refused, refused.Reason, taskId, matchedBy, cancellationToken);
            default:
                throw new InvalidOperationException($"Unexpected answer outcome {outcome}.");
        }
    }

    /// <summary>
    /// A delivery status notification: the party whose mail it returns (by the returned mail's Message-ID, else by the
    /// tagged address it was sent back to) is marked bounced with the failed address and the server's reason. The report
    /// itself is kept for staff either way.
    /// </summary>
    private async Task<InboxOutcome> BounceAsync(
        InboxMessage mail, byte[] raw, DeliveryReport report, Guid? taggedTaskId, string? matchedBy, CancellationToken cancellationToken)
    {
        var failure = report.Failures[0];
        var taskId = await PartyTaskOfOutboxMailAsync(report.OriginalMessageId, cancellationToken) ?? taggedTaskId;
        if (taskId is null)
        {
            return await KeepAsync(mail, raw, InboxResult.Automatic,
                $"En mailserver melder, at en mail til {failure.Address} ikke kunne leveres ({failure.Reason}), men mailen kunne ikke knyttes til en høringspart.",
                null, null, cancellationToken);
        }
        var outcome = await answers.RecordBounceAsync(taskId.Value, failure.Address, failure.Reason, cancellationToken);
        var reason = outcome == HearingCommandOutcome.Done
            ? $"Mailen til {failure.Address} kunne ikke leveres ({failure.Reason}). Parten er markeret »Afvist mail«; send invitationen igen til en rettet adresse."
            : $"Mailen til {failure.Address} kunne ikke leveres ({failure.Reason}); høringen tager ikke imod det nu ({outcome}).";
        return await KeepAsync(mail, raw, InboxResult.Bounced, reason, taskId, report.OriginalMessageId is null ? matchedBy : "delivery-status", cancellationToken);
    }

    private async Task<Guid?> PartyTaskOfOutboxMailAsync(string? messageId, CancellationToken cancellationToken)
    {
        if (OutboxId(messageId) is not { } outboxId)
        {
            return null;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().Where(o => o.Id == outboxId).Select(o => o.PartyTaskId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>What became of a Message-ID before: stored as an answer, or kept; null when it is new.</summary>
    public async Task<InboxOutcome?> KnownAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var answer = await db.Answers.AsNoTracking().Where(a => a.MessageId == messageId)
            .Select(a => new { a.Id, a.PartyTaskId }).FirstOrDefaultAsync(cancellationToken);
        if (answer is not null)
        {
            return new InboxOutcome(messageId, InboxResult.Duplicate, answer.PartyTaskId, answer.Id);
        }
        var kept = await db.UnmatchedMails.AsNoTracking().Where(m => m.MessageId == messageId)
            .Select(m => new { m.Id, m.AssignedToPartyTaskId }).FirstOrDefaultAsync(cancellationToken);
        return kept is null ? null : new InboxOutcome(messageId, InboxResult.AlreadyKept, kept.AssignedToPartyTaskId, KeptMailId: kept.Id);
    }

    /// <summary>
    /// Hands a mail to the answer service as <paramref name="partyTaskId"/>'s answer: the reply text, the files
    /// (checked there by content), the sender, and the Message-ID that makes it idempotent. The receipt goes to the sender.
    /// A mail carries no decision of its own: in an approval round staff read it and give the <paramref name="decision"/>.
    /// </summary>
    public async Task<AnswerOutcome> SubmitAsync(Guid partyTaskId, InboxMessage mail, bool withFiles, CancellationToken cancellationToken, string? decision = null)
    {
        var files = withFiles ? await mail.DecodeFilesAsync(cancellationToken) : [];
        try
        {
            return await answers.SubmitAnswerAsync(partyTaskId, new AnswerSubmission(
                mail.Text(), NoComments: false, files, "email",
                SubmittedBy: mail.From.Length > 0 ? mail.From : null, MessageId: mail.MessageId, ReplyTo: mail.FromAddress, Decision: decision), cancellationToken);
        }
        finally
        {
            foreach (var file in files)
            {
                await file.Content.DisposeAsync();
            }
        }
    }

    /// <summary>The party task a mail answers, how that was found, or why none was.</summary>
    public async Task<(Guid? PartyTaskId, string? MatchedBy, string? Problem)> MatchAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string? problem = null;

        // (a) A plus-address tag, verified by its MAC.
        if (ReplyTags.Key(mailOptions.Value.Imap) is { } key)
        {
            var tagged = Recipients(message).Select(address => ReplyTags.Verify(key, address)).OfType<Guid>().Distinct().ToList();
            var existing = await db.PartyTasks.AsNoTracking().Where(t => tagged.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
            if (existing.Count == 1)
            {
                return (existing[0], "plus-address", null);
            }
            if (existing.Count > 1)
            {
                problem = "Mailen er sendt til flere parters svar-adresser på én gang; vælg selv den rigtige part.";
            }
            else if (Recipients(message).Any(LooksTagged))
            {
                problem = "Mailen er sendt til en svar-adresse, hvis kode ikke kan bekræftes (ændret eller fra en anden installation).";
            }
        }

        // (b) A reply to one of our mails: In-Reply-To first (the direct parent), then References from the newest.
        var referenced = new List<Guid>();
        foreach (var id in new[] { message.InReplyTo }.Concat(message.References.Reverse()))
        {
            if (OutboxId(id) is { } outboxId && !referenced.Contains(outboxId))
            {
                referenced.Add(outboxId);
            }
        }
        if (problem is null && referenced.Count > 0)
        {
            var rows = await db.Outbox.AsNoTracking().Where(o => referenced.Contains(o.Id) && o.PartyTaskId != null)
                .Select(o => new { o.Id, o.PartyTaskId }).ToListAsync(cancellationToken);
            foreach (var id in referenced)
            {
                if (rows.FirstOrDefault(r => r.Id == id)?.PartyTaskId is { } taskId
                    && await db.PartyTasks.AsNoTracking().AnyAsync(t => t.Id == taskId, cancellationToken))
                {
                    return (taskId, "in-reply-to", null);
                }
            }
        }
        return (null, null, problem);
    }

    private async Task<bool> AlreadyAnsweredAsync(Guid partyTaskId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PartyTasks.AsNoTracking().AnyAsync(t => t.Id == partyTaskId && t.AnsweredAt != null, cancellationToken);
    }

    /// <summary>Keeps a mail for staff: the raw <c>.eml</c> and a note beside it under the attachments folder, and a row.</summary>
    private async Task<InboxOutcome> KeepAsync(
        InboxMessage mail, byte[] raw, InboxResult result, string reason, Guid? partyTaskId, string? matchedBy, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetCurrentInstant();
        var relative = $"inbox/{MonthFolder.Format(now)}/{id:N}.eml";
        var path = KeptMailFiles.FullPath(attachments, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, raw, cancellationToken);
        var text = mail.Text();
        var note = new KeptMailNote(result, reason, partyTaskId, matchedBy,
            text is null ? null : text.Length <= 500 ? text : string.Concat(text.AsSpan(0, 500), " …"),
            mail.Files().Select(f => AttachmentStore.SafeFileName(f.FileName)).ToList());
        await File.WriteAllTextAsync(KeptMailFiles.NotePath(path), JsonSerializer.Serialize(note, KeptMailFiles.Json), cancellationToken);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.UnmatchedMails.Add(new UnmatchedMailRow
        {
            Id = id,
            MessageId = mail.MessageId,
            From = mail.From,
            Subject = mail.Subject,
            ReceivedAt = now,
            StoragePath = relative,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception)
        {
            File.Delete(path);
            File.Delete(KeptMailFiles.NotePath(path));
            return await KnownAsync(mail.MessageId, cancellationToken) ?? throw new InvalidOperationException($"Keeping mail {mail.MessageId} failed.", exception);
        }
        logger.LogWarning("Inbox: mail {MessageId} from {From} ({Subject}) is kept for staff as {Result}: {Reason}", mail.MessageId, mail.FromAddress, mail.Subject, result, reason);
        return new InboxOutcome(mail.MessageId, result, partyTaskId, KeptMailId: id, Reason: reason, MatchedBy: matchedBy);
    }

    /// <summary>Every address the mail was sent to: To, Cc, and the delivery headers mail servers add.</summary>
    private static IEnumerable<string> Recipients(MimeMessage message)
    {
        var lists = new List<InternetAddressList> { message.To, message.Cc };
        foreach (var header in message.Headers.Where(h => DeliveryHeaders.Contains(h.Field, StringComparer.OrdinalIgnoreCase)))
        {
            if (InternetAddressList.TryParse(header.Value, out var parsed))
            {
                lists.Add(parsed);
            }
        }
        return lists.SelectMany(l => l.Mailboxes).Select(m => m.Address).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static bool LooksTagged(string address)
    {
        var at = address.LastIndexOf('@');
        var local = at < 0 ? address : address[..at];
        var plus = local.LastIndexOf('+');
        return plus >= 0 && local.Length - plus - 1 == ReplyTags.TagLength;
    }

    /// <summary>The outbox row a Message-ID of ours names (<c>{id:N}@domain</c>), or null.</summary>
    private static Guid? OutboxId(string? messageId)
    {
        if (string.IsNullOrEmpty(messageId))
        {
            return null;
        }
        var at = messageId.IndexOf('@', StringComparison.Ordinal);
        var local = (at < 0 ? messageId : messageId[..at]).Trim('<', '>', ' ');
        return local.Length == 32 && Guid.TryParseExact(local, "N", out var id) ? id : null;
    }
}
