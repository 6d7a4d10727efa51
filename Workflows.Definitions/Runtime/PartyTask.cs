using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// One party's part in a hearing or approval: its own deadline, status and personal answer link. A row of its
/// own (not part of a blob), so the dashboard and the outstanding list read it directly.
/// </summary>
public sealed class PartyTask
{
    public PartyTask(
        Guid id, Guid instanceId, string activityId, string partyId, string partyName, IReadOnlyList<string> contacts,
        Instant deadline, Instant tokenExpiresAt, Instant createdAt)
    {
        Id = id;
        InstanceId = instanceId;
        ActivityId = activityId;
        PartyId = partyId;
        PartyName = partyName;
        Contacts = contacts;
        Deadline = deadline;
        TokenExpiresAt = tokenExpiresAt;
        CreatedAt = createdAt;
        Status = PartyTaskStatus.Sent;
    }

    public Guid Id { get; private set; }

    public Guid InstanceId { get; private set; }

    /// <summary>The hearing or approval activity the task belongs to.</summary>
    public string ActivityId { get; private set; }

    public string PartyId { get; private set; }

    public string PartyName { get; private set; }

    public IReadOnlyList<string> Contacts { get; private set; }

    public PartyTaskStatus Status { get; private set; }

    /// <summary>This party's deadline; an extension changes it for this party only.</summary>
    public Instant Deadline { get; private set; }

    /// <summary>
    /// Tasks sent before answer links were signed: SHA-256 of the random token in the party's mails, so those links keep
    /// working. Null for every newer task, whose links are signed by the host and need nothing stored.
    /// </summary>
    public string? LegacyTokenHash { get; private set; }

    public Instant TokenExpiresAt { get; private set; }

    public Instant CreatedAt { get; private set; }

    /// <summary>Reminders dealt with: sent, or skipped because their time had passed before the hearing was sent.</summary>
    public int RemindersSent { get; private set; }

    public Instant? LastRemindedAt { get; private set; }

    public int RykkereSent { get; private set; }

    public Instant? AnsweredAt { get; private set; }

    public bool IsAnswered => AnsweredAt is not null;

    /// <summary>In an approval or accession round: the party's decision, <c>approved</c> or <c>rejected</c>; null in a hearing.</summary>
    public string? Decision { get; private set; }

    /// <summary>Rebuilds a stored task (stores only).</summary>
    public static PartyTask Restore(
        Guid id, Guid instanceId, string activityId, string partyId, string partyName, IReadOnlyList<string> contacts, PartyTaskStatus status,
        Instant deadline, string? legacyTokenHash, Instant tokenExpiresAt, Instant createdAt, int remindersSent, Instant? lastRemindedAt,
        int rykkereSent, Instant? answeredAt, string? decision = null) =>
        new(id, instanceId, activityId, partyId, partyName, contacts, deadline, tokenExpiresAt, createdAt)
        {
            LegacyTokenHash = legacyTokenHash,
            Status = status,
            RemindersSent = remindersSent,
            LastRemindedAt = lastRemindedAt,
            RykkereSent = rykkereSent,
            AnsweredAt = answeredAt,
            Decision = decision,
        };

    internal void Reminded(Instant at)
    {
        RemindersSent++;
        LastRemindedAt = at;
        if (Status == PartyTaskStatus.Sent)
        {
            Status = PartyTaskStatus.Reminded;
        }
    }

    internal void SkipReminder() => RemindersSent++;

    /// <summary>A reminder sent by hand ("påmind nu"): the planned reminders stay as they are.</summary>
    internal void RemindedByHand(Instant at)
    {
        LastRemindedAt = at;
        if (Status == PartyTaskStatus.Sent)
        {
            Status = PartyTaskStatus.Reminded;
        }
    }

    /// <summary>New contact addresses (the invitation is sent again to them); a bounced party waits for its answer again.</summary>
    internal void ChangeContacts(IReadOnlyList<string> contacts)
    {
        Contacts = contacts;
        if (Status == PartyTaskStatus.Bounced)
        {
            Status = PartyTaskStatus.Sent;
        }
    }

    /// <summary>After a deadline change, reminders are planned afresh: <paramref name="handled"/> of them are already past.</summary>
    internal void ResetReminders(int handled)
    {
        RemindersSent = handled;
        RykkereSent = 0;
    }

    internal void RykkerSent(Instant at)
    {
        RykkereSent++;
        LastRemindedAt = at;
    }

    /// <summary>A mail to the party could not be delivered; it stays so (also past the deadline) until it is sent to a new address.</summary>
    internal void MarkBounced()
    {
        if (!IsAnswered)
        {
            Status = PartyTaskStatus.Bounced;
        }
    }

    internal void MarkOverdue()
    {
        // A bounced party is shown as such after the deadline too: what staff must do is fix its address.
        if (!IsAnswered && Status != PartyTaskStatus.Bounced)
        {
            Status = PartyTaskStatus.Overdue;
        }
    }

    internal void Answer(Instant at, bool noComments, string? decision = null)
    {
        AnsweredAt = at;
        Decision = decision;
        Status = at > Deadline ? PartyTaskStatus.AnsweredLate : noComments ? PartyTaskStatus.NoComments : PartyTaskStatus.Answered;
    }

    internal void ExtendTo(Instant deadline, Instant tokenExpiresAt)
    {
        Deadline = deadline;
        TokenExpiresAt = tokenExpiresAt;
        if (!IsAnswered)
        {
            Status = PartyTaskStatus.ExtensionGranted;
        }
    }

    internal void CloseTokenAt(Instant expiresAt) => TokenExpiresAt = expiresAt;
}

public enum PartyTaskStatus
{
    Sent,
    Reminded,
    Answered,
    NoComments,
    ExtensionGranted,
    Overdue,
    AnsweredLate,
    Bounced,
}
