using Microsoft.AspNetCore.Identity;
using NodaTime;
using Workflows.Definitions.Runtime;

namespace Workflows.Host.Persistence.Rows;

// Database rows, kept apart from the core's domain types so EF Core's needs (settable properties,
// provider types) never leak into the engine. The stores translate between the two.

public sealed class DefinitionRow
{
    public required string DefinitionId { get; set; }

    public int Version { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public bool IsPublished { get; set; }

    public required string Json { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant? PublishedAt { get; set; }
}

public sealed class InstanceRow
{
    public Guid Id { get; set; }

    public required string DefinitionId { get; set; }

    public int DefinitionVersion { get; set; }

    public required string Name { get; set; }

    public string? CorrelationId { get; set; }

    public required string Status { get; set; }

    public long Revision { get; set; }

    public required string Input { get; set; }

    public required string State { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant UpdatedAt { get; set; }

    public Instant? FinishedAt { get; set; }

    /// <summary>When set, only this team's members (and everyone without a team) see the hearing.</summary>
    public string? Team { get; set; }
}

public sealed class BookmarkRow
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string Name { get; set; }

    /// <summary>Set for timers; the scheduler asks for rows with <c>ResumeAt &lt;= now</c>.</summary>
    public Instant? ResumeAt { get; set; }

    public string? Payload { get; set; }

    public Instant CreatedAt { get; set; }
}

public sealed class JournalRow
{
    public long Id { get; set; }

    public Guid InstanceId { get; set; }

    public Instant At { get; set; }

    public required string Kind { get; set; }

    public string? ActivityId { get; set; }

    public required string Message { get; set; }

    public string? Data { get; set; }

    public string? Actor { get; set; }
}

public sealed class IncidentRow
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string ActivityType { get; set; }

    public required string Message { get; set; }

    public int Attempt { get; set; }

    public Instant OccurredAt { get; set; }

    public Instant? RetryAt { get; set; }

    public Instant? ResolvedAt { get; set; }
}

/// <summary>A mail waiting to be sent (or sent): the outbox. The row's id is the stable Message-ID.</summary>
public sealed class OutboxRow
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    /// <summary>Recipients as a JSON array.</summary>
    public required string To { get; set; }

    public required string Subject { get; set; }

    public required string TextBody { get; set; }

    public string? HtmlBody { get; set; }

    /// <summary>The host template to render (invitation, reminder, …); null when subject and body are written out.</summary>
    public string? Template { get; set; }

    /// <summary>The template's data as JSON.</summary>
    public string? Model { get; set; }

    public Guid? PartyTaskId { get; set; }

    /// <summary>
    /// The complete message as first rendered. Kept, so a resend after a crash between "sent" and "marked sent"
    /// is byte for byte the same mail with the same Message-ID.
    /// </summary>
    public byte[]? Mime { get; set; }

    /// <summary><c>Pending</c>, <c>Sent</c> or <c>Failed</c> (given up; an incident says why).</summary>
    public required string Status { get; set; }

    public Instant QueuedAt { get; set; }

    /// <summary>When the next attempt is due (back-off after a failure).</summary>
    public Instant NextAttemptAt { get; set; }

    public Instant? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}

/// <summary>A party's task in a hearing or approval (see <c>Workflows.Definitions.Runtime.PartyTask</c>).</summary>
public sealed class PartyTaskRow
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string PartyId { get; set; }

    public required string PartyName { get; set; }

    /// <summary>Contact addresses as a JSON array.</summary>
    public required string Contacts { get; set; }

    public required string Status { get; set; }

    public Instant Deadline { get; set; }

    /// <summary>SHA-256 of the random token of a link sent before links were signed; null for newer tasks.</summary>
    public string? LegacyTokenHash { get; set; }

    public Instant TokenExpiresAt { get; set; }

    public Instant CreatedAt { get; set; }

    public int RemindersSent { get; set; }

    public Instant? LastRemindedAt { get; set; }

    public int RykkereSent { get; set; }

    public Instant? AnsweredAt { get; set; }

    /// <summary>In an approval or accession round: <c>approved</c> or <c>rejected</c>.</summary>
    public string? Decision { get; set; }
}

/// <summary>The simulated clock's current instant, so a restart continues where it stopped.</summary>
public sealed class ClockRow
{
    public int Id { get; set; }

    public Instant Now { get; set; }
}

/// <summary>The states of an outbox row.</summary>
public static class OutboxStatus
{
    public const string Pending = "Pending";
    public const string Sent = "Sent";
    public const string Failed = "Failed";
}

/// <summary>A høringssvar as received: on the answer page, by e-mail, or registered by staff.</summary>
public sealed class AnswerRow
{
    public Guid Id { get; set; }

    public Guid PartyTaskId { get; set; }

    public Guid InstanceId { get; set; }

    public Instant ReceivedAt { get; set; }

    /// <summary><c>web</c>, <c>email</c> or <c>staff</c>.</summary>
    public required string Channel { get; set; }

    /// <summary>The text exactly as sent; it is sanitised when shown, never trusted as HTML.</summary>
    public string? Text { get; set; }

    /// <summary>In an approval or accession round: <c>approved</c> or <c>rejected</c>.</summary>
    public string? Decision { get; set; }

    public bool NoComments { get; set; }

    public bool Late { get; set; }

    /// <summary>Who sent it: the e-mail's From, or what the person wrote on the page.</summary>
    public string? SubmittedBy { get; set; }

    /// <summary>The Message-ID of an e-mail answer; unique, so the same mail read twice is stored once.</summary>
    public string? MessageId { get; set; }

    /// <summary>A later answer from the same party replaces this one (kept for the history).</summary>
    public Guid? ReplacedBy { get; set; }

    /// <summary>
    /// Set when the hearing could not take the answer (it had closed, the instance had stopped with an error or was
    /// cancelled): the answer is kept for staff to handle and is not counted; see <see cref="HeldAnswerReasons"/>.
    /// </summary>
    public string? HeldReason { get; set; }

    /// <summary>When and by whom staff handled a held answer.</summary>
    public Instant? HandledAt { get; set; }

    public string? HandledBy { get; set; }

    /// <summary>The row of an answer a hearing took (<paramref name="heldReason"/> null) or could not take.</summary>
    public static AnswerRow From(PartyAnswer answer, Guid instanceId, string? heldReason = null) => new()
    {
        Id = answer.Id,
        PartyTaskId = answer.PartyTaskId,
        InstanceId = instanceId,
        ReceivedAt = answer.ReceivedAt,
        Channel = answer.Channel,
        Text = answer.Text,
        NoComments = answer.NoComments,
        Decision = answer.Decision,
        Late = answer.Late,
        SubmittedBy = answer.SubmittedBy,
        MessageId = answer.MessageId,
        HeldReason = heldReason,
    };
}

/// <summary>Why an answer was kept for staff instead of counted.</summary>
public static class HeldAnswerReasons
{
    /// <summary>The hearing had closed (its deadline passed while the answer was on its way).</summary>
    public const string Closed = "Closed";

    /// <summary>The instance had stopped with an error; the answer waits until staff have dealt with the incident.</summary>
    public const string Faulted = "Faulted";

    /// <summary>The process had finished or was cancelled.</summary>
    public const string Ended = "Ended";
}

/// <summary>One key of ASP.NET Core Data Protection's key ring, as the XML it writes.</summary>
public sealed class DataProtectionKeyRow
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public required string Xml { get; set; }
}

/// <summary>A file that came with an answer, stored outside the web root and served only to staff.</summary>
public sealed class AttachmentRow
{
    public Guid Id { get; set; }

    public Guid AnswerId { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    /// <summary>SHA-256 of the content, hex.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Relative to the attachments folder.</summary>
    public required string StoragePath { get; set; }

    public static AttachmentRow From(StoredAttachment file, Guid answerId) => new()
    {
        Id = file.Id,
        AnswerId = answerId,
        FileName = file.FileName,
        ContentType = file.ContentType,
        Size = file.Size,
        Sha256 = file.Sha256,
        StoragePath = file.StoragePath,
    };
}

/// <summary>The states of an extension request.</summary>
public static class ExtensionRequestStatus
{
    public const string Pending = "Pending";
    public const string Granted = "Granted";
    public const string Refused = "Refused";
}

/// <summary>A party's request for a longer deadline, until the process owner grants or refuses it.</summary>
public sealed class ExtensionRequestRow
{
    public Guid Id { get; set; }

    public Guid PartyTaskId { get; set; }

    public Guid InstanceId { get; set; }

    public Instant RequestedAt { get; set; }

    public required string Reason { get; set; }

    /// <summary>The deadline asked for, as deadline JSON, if the party proposed one.</summary>
    public string? RequestedDeadline { get; set; }

    /// <summary><c>Pending</c>, <c>Granted</c> or <c>Refused</c>.</summary>
    public required string Status { get; set; }

    public string? DecidedBy { get; set; }

    public Instant? DecidedAt { get; set; }
}

/// <summary>An e-mail in the answer inbox that could not be matched to a party task; staff assign it by hand.</summary>
public sealed class UnmatchedMailRow
{
    public Guid Id { get; set; }

    public required string MessageId { get; set; }

    public required string From { get; set; }

    public required string Subject { get; set; }

    public Instant ReceivedAt { get; set; }

    /// <summary>The raw message, relative to the attachments folder.</summary>
    public required string StoragePath { get; set; }

    public Guid? AssignedToPartyTaskId { get; set; }

    public Instant? AssignedAt { get; set; }

    public string? AssignedBy { get; set; }

    /// <summary>When staff dismissed the mail as not an answer (it stays kept, with the reason, but leaves the list).</summary>
    public Instant? DismissedAt { get; set; }

    public string? DismissedBy { get; set; }

    public string? DismissalReason { get; set; }
}

/// <summary>
/// A member of staff who signs in to the web UI (secretariat, process owner, operator): an ASP.NET Core Identity user
/// (e-mail as user name, password hash, security stamp, lockout) with the engine's own fields. The role is an Identity
/// role (<see cref="Security.StaffRoles"/>).
/// </summary>
public sealed class StaffUser : IdentityUser<Guid>
{
    public string Name { get; set; } = "";

    /// <summary>The team (e.g. one KKR secretariat) whose hearings alone this user sees; null sees every hearing.</summary>
    public string? Team { get; set; }

    public Instant CreatedAt { get; set; }

    /// <summary>A deactivated account cannot sign in; it is kept so the audit trail keeps naming it.</summary>
    public Instant? DeactivatedAt { get; set; }
}

/// <summary>An API key created by an administrator. Only the SHA-256 of the key is stored; the key is shown once.</summary>
public sealed class ApiKeyRow
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Role { get; set; }

    public string? Team { get; set; }

    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public required string Hash { get; set; }

    public required string CreatedBy { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant? ExpiresAt { get; set; }

    public Instant? LastUsedAt { get; set; }

    public Instant? RevokedAt { get; set; }
}

/// <summary>One line of the audit trail: append-only (the database refuses updates and deletes).</summary>
public sealed class AuditRow
{
    public long Id { get; set; }

    public Instant At { get; set; }

    /// <summary>Who: a staff member's e-mail, <c>api-key:NAME</c>, <c>part:PARTY</c>, <c>mail:ADDRESS</c> or <c>system</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>What, as a stable English name (<c>PublishDefinition</c>, <c>SignInFailed</c>, …).</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to (ids), as text.</summary>
    public string? Target { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }

    /// <summary>From where: the client's IP address.</summary>
    public string? Address { get; set; }
}
