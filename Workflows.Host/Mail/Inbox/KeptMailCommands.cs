using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.IO;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;
using Workflows.Host.Answers;
using Workflows.Host.Audit;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;

namespace Workflows.Host.Mail.Inbox;

/// <summary>
/// The mails the inbox kept for staff (not matched, refused, automatic): listed, assigned to a party as its answer, or
/// dismissed with a reason. One service for the API and the unmatched-mail page, so both store, refuse and audit alike.
/// </summary>
public sealed class KeptMailCommands(
    IDbContextFactory<ProcesFlowDbContext> contexts, AttachmentStore attachments, InboxProcessor processor, HearingReader hearings, IClock clock)
{
    /// <summary>The most a list shows (oldest first: the ones waiting longest).</summary>
    public const int ListLimit = 500;

    /// <summary>The kept mails still waiting for staff (or, with <paramref name="assigned"/>, the ones assigned), with their notes.</summary>
    public async Task<List<KeptMail>> ListAsync(bool assigned, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.UnmatchedMails.AsNoTracking();
        query = assigned
            ? query.Where(m => m.AssignedToPartyTaskId != null)
            : query.Where(m => m.AssignedToPartyTaskId == null && m.DismissedAt == null);
        var rows = await query.OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id).Take(ListLimit).ToListAsync(cancellationToken);

        var notes = new Dictionary<Guid, KeptMailNote?>();
        foreach (var row in rows)
        {
            notes[row.Id] = await KeptMailFiles.ReadNoteAsync(KeptMailFiles.FullPath(attachments, row.StoragePath), cancellationToken);
        }
        var taskIds = notes.Values.Select(n => n?.PartyTaskId).Concat(rows.Select(r => r.AssignedToPartyTaskId)).OfType<Guid>().Distinct().ToList();
        var tasks = await db.PartyTasks.AsNoTracking().Where(t => taskIds.Contains(t.Id))
            .Select(t => new PartyReference(t.Id, t.InstanceId, t.PartyId, t.PartyName)).ToDictionaryAsync(t => t.PartyTaskId, cancellationToken);

        return rows.Select(row =>
        {
            var note = notes[row.Id];
            return new KeptMail(
                row.Id, row.MessageId, row.From, row.Subject, row.ReceivedAt,
                note?.Result ?? InboxResult.Unmatched, note?.Reason,
                note?.PartyTaskId is { } suggested ? tasks.GetValueOrDefault(suggested) : null,
                note?.Preview, note?.Attachments ?? [],
                row.AssignedToPartyTaskId is { } assignedTo ? tasks.GetValueOrDefault(assignedTo) : null,
                row.AssignedAt, row.AssignedBy, row.StoragePath);
        }).ToList();
    }

    /// <summary>The files of a kept mail with their decoded sizes, read from the mail itself (the note keeps only the names).</summary>
    public async Task<IReadOnlyList<KeptMailFile>> FilesAsync(KeptMail mail, CancellationToken cancellationToken)
    {
        var path = KeptMailFiles.FullPath(attachments, mail.StoragePath);
        if (!File.Exists(path))
        {
            return mail.Attachments.Select(name => new KeptMailFile(name, null)).ToList();
        }
        var message = InboxMessage.Parse(await File.ReadAllBytesAsync(path, cancellationToken));
        var files = new List<KeptMailFile>();
        foreach (var (name, entity) in message.Files())
        {
            // Measured as decoded, the size the answer would store, without holding the file in memory.
            using var measure = new MeasuringStream();
            if (entity is MimePart { Content: { } content })
            {
                await content.DecodeToAsync(measure, cancellationToken);
            }
            else if (entity is MessagePart { Message: { } inner })
            {
                await inner.WriteToAsync(measure, cancellationToken);
            }
            files.Add(new KeptMailFile(AttachmentStore.SafeFileName(name), measure.Length));
        }
        return files;
    }

    /// <summary>
    /// The hearings still running whose parties a mail can be assigned to, newest first, each with its parties and
    /// whether its round asks for a decision (approval or accession).
    /// </summary>
    public async Task<List<AssignableHearing>> AssignableHearingsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string[] active = [nameof(WorkflowStatus.Running), nameof(WorkflowStatus.Suspended)];
        var tasks = await db.PartyTasks.AsNoTracking()
            .Join(db.Instances.AsNoTracking().Where(i => active.Contains(i.Status)), t => t.InstanceId, i => i.Id,
                (t, i) => new { t.InstanceId, i.Name, InstanceCreatedAt = i.CreatedAt, t.ActivityId, t.PartyId, t.PartyName, t.CreatedAt })
            .ToListAsync(cancellationToken);
        var hearingsOf = new List<AssignableHearing>();
        foreach (var instance in tasks.GroupBy(t => t.InstanceId).OrderByDescending(g => g.First().InstanceCreatedAt))
        {
            // A party in several rounds of one instance: the newest round is the one an assignment reaches (as the API does).
            var newest = instance.GroupBy(t => t.PartyId, StringComparer.Ordinal).Select(p => p.MaxBy(t => t.CreatedAt)!).ToList();
            var states = new Dictionary<string, Definitions.Activities.Hearings.HearingState?>(StringComparer.Ordinal);
            foreach (var activityId in newest.Select(t => t.ActivityId).Distinct(StringComparer.Ordinal))
            {
                states[activityId] = await hearings.StateOfAsync(instance.Key, activityId, cancellationToken);
            }
            var title = states.Values.OfType<Definitions.Activities.Hearings.HearingState>().Select(s => s.Title).FirstOrDefault() ?? instance.First().Name;
            hearingsOf.Add(new AssignableHearing(instance.Key, title,
                newest.Select(t => new AssignableParty(t.PartyId, t.PartyName, states[t.ActivityId]?.AsksForDecision == true))
                    .OrderBy(p => p.Name, DanishCollation.Comparer).ToList()));
        }
        return hearingsOf;
    }

    /// <summary>
    /// Stores a kept mail as the answer of <paramref name="partyId"/> in the instance's newest round for that party. The
    /// mail is claimed first, so two people assigning it at once cannot both store it; it is released again when the
    /// answer is refused.
    /// </summary>
    public async Task<KeptMailOutcome> AssignAsync(
        Guid mailId, Guid instanceId, string partyId, bool withoutAttachments, string? decision, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.UnmatchedMails.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mailId, cancellationToken);
        if (row is null)
        {
            return new KeptMailOutcome.NotFound($"There is no kept mail {mailId}.");
        }
        if (row.AssignedToPartyTaskId is not null)
        {
            return new KeptMailOutcome.Conflict($"The mail was already assigned by {row.AssignedBy}.");
        }
        if (row.DismissedAt is not null)
        {
            return new KeptMailOutcome.Conflict($"The mail was dismissed by {row.DismissedBy}.");
        }
        // A party can be in several hearings of one instance: the newest one is meant.
        var task = await db.PartyTasks.AsNoTracking()
            .Where(t => t.InstanceId == instanceId && t.PartyId == partyId)
            .OrderByDescending(t => t.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (task is null)
        {
            return new KeptMailOutcome.NotFound($"Instance {instanceId} has no hearing task for '{partyId}'.");
        }

        var claimed = await db.UnmatchedMails.Where(m => m.Id == mailId && m.AssignedToPartyTaskId == null && m.DismissedAt == null)
            .ExecuteUpdateAsync(set => set
                .SetProperty(m => m.AssignedToPartyTaskId, task.Id)
                .SetProperty(m => m.AssignedAt, clock.GetCurrentInstant())
                .SetProperty(m => m.AssignedBy, actor), cancellationToken);
        if (claimed == 0)
        {
            return new KeptMailOutcome.Conflict("The mail was assigned or dismissed by someone else a moment ago.");
        }

        var assigned = false;
        try
        {
            var path = KeptMailFiles.FullPath(attachments, row.StoragePath);
            if (!File.Exists(path))
            {
                return new KeptMailOutcome.Conflict($"The stored message of mail {mailId} is missing.");
            }
            var mail = InboxMessage.Parse(await File.ReadAllBytesAsync(path, cancellationToken));
            var outcome = await processor.SubmitAsync(task.Id, mail, withFiles: !withoutAttachments, cancellationToken, decision);
            switch (outcome)
            {
                case AnswerOutcome.Accepted accepted:
                    assigned = true;
                    return new KeptMailOutcome.Assigned(
                        new AssignedMail(mailId, task.Id, task.InstanceId, task.PartyId, accepted.AnswerId, accepted.Late, accepted.FileNames), task.PartyName,
                        new AuditEntry("AssignUnmatchedMail", $"mailId={mailId}", After: $"instanceId={task.InstanceId}, partyId={task.PartyId}, answerId={accepted.AnswerId}"));
                case AnswerOutcome.Held:
                    // Stored, but among the answers to handle: assigning it again would store it twice.
                    assigned = true;
                    return new KeptMailOutcome.Held("The hearing could not take the answer (it has closed or stopped); it is kept among the answers to handle.");
                case AnswerOutcome.Refused refused:
                    return new KeptMailOutcome.Refused(refused);
                default:
                    return new KeptMailOutcome.Conflict("The mail is already stored as an answer.");
            }
        }
        finally
        {
            if (!assigned)
            {
                await db.UnmatchedMails.Where(m => m.Id == mailId).ExecuteUpdateAsync(set => set
                    .SetProperty(m => m.AssignedToPartyTaskId, (Guid?)null)
                    .SetProperty(m => m.AssignedAt, (Instant?)null)
                    .SetProperty(m => m.AssignedBy, (string?)null), CancellationToken.None);
            }
        }
    }

    /// <summary>The longest reason kept (the column's width).</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>Takes a kept mail off the list as not an answer. The mail itself stays kept, with who dismissed it and why.</summary>
    public async Task<KeptMailOutcome> DismissAsync(Guid mailId, string? reason, string actor, CancellationToken cancellationToken)
    {
        var why = reason?.Trim();
        if (string.IsNullOrEmpty(why) || why.Length > MaxReasonLength)
        {
            return new KeptMailOutcome.Invalid($"A reason of 1 to {MaxReasonLength} characters is required.");
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.UnmatchedMails.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mailId, cancellationToken);
        if (row is null)
        {
            return new KeptMailOutcome.NotFound($"There is no kept mail {mailId}.");
        }
        var dismissed = await db.UnmatchedMails.Where(m => m.Id == mailId && m.AssignedToPartyTaskId == null && m.DismissedAt == null)
            .ExecuteUpdateAsync(set => set
                .SetProperty(m => m.DismissedAt, clock.GetCurrentInstant())
                .SetProperty(m => m.DismissedBy, actor)
                .SetProperty(m => m.DismissalReason, why), cancellationToken);
        return dismissed == 0
            ? new KeptMailOutcome.Conflict("The mail was already assigned or dismissed.")
            : new KeptMailOutcome.Dismissed(new AuditEntry("DismissUnmatchedMail", $"mailId={mailId}", Before: $"{row.From}: {row.Subject}", After: why));
    }
}

/// <summary>A kept mail as staff see it. <see cref="StoragePath"/> is where its <c>.eml</c> lies under the attachments folder.</summary>
public sealed record KeptMail(
    Guid Id, string MessageId, string From, string Subject, Instant ReceivedAt, InboxResult Status, string? Reason, PartyReference? Suggested,
    string? Preview, IReadOnlyList<string> Attachments, PartyReference? AssignedTo, Instant? AssignedAt, string? AssignedBy, string StoragePath);

/// <summary>A file of a kept mail; <see cref="Size"/> in bytes, null when the mail itself is missing.</summary>
public sealed record KeptMailFile(string Name, long? Size);

public sealed record AssignableHearing(Guid InstanceId, string Title, IReadOnlyList<AssignableParty> Parties);

/// <param name="PartyId">The party's id.</param>
/// <param name="Name">The party's name.</param>
/// <param name="AsksForDecision">Its round asks for a decision (approved or not), which a mail does not carry by itself.</param>
public sealed record AssignableParty(string PartyId, string Name, bool AsksForDecision);

public sealed record PartyReference(Guid PartyTaskId, Guid InstanceId, string PartyId, string PartyName);

public sealed record AssignedMail(Guid MailId, Guid PartyTaskId, Guid InstanceId, string PartyId, Guid AnswerId, bool Late, IReadOnlyList<string> Attachments);

/// <summary>What came of a command on a kept mail; the API and the page put it in their own words. A done command carries its audit line.</summary>
public abstract record KeptMailOutcome
{
    private KeptMailOutcome()
    {
    }

    public sealed record Assigned(AssignedMail Mail, string PartyName, AuditEntry Audit) : KeptMailOutcome;

    public sealed record Dismissed(AuditEntry Audit) : KeptMailOutcome;

    /// <summary>Stored, but the hearing could not count it: it is among the answers staff handle on the hearing.</summary>
    public sealed record Held(string Reason) : KeptMailOutcome;

    public sealed record Refused(AnswerOutcome.Refused Answer) : KeptMailOutcome;

    public sealed record NotFound(string Reason) : KeptMailOutcome;

    public sealed record Conflict(string Reason) : KeptMailOutcome;

    public sealed record Invalid(string Reason) : KeptMailOutcome;
}
