using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// A party's answer (høringssvar, or a decision in an approval round) as the hearing takes it. It reaches the hearing in
/// the answer stimulus and is recorded on the instance only when the hearing accepts it, so the answer, its files' records
/// and the hearing's change are saved in one transaction: none exists without the others.
/// </summary>
/// <remarks>
/// <see cref="Id"/> is chosen by the channel that received it; <see cref="Channel"/> is <c>web</c>, <c>email</c> or
/// <c>staff</c>; <see cref="Decision"/> is <c>approved</c> or <c>rejected</c> in an approval round; <see cref="SubmittedBy"/>
/// is the e-mail's From, the name given on the page, or the staff member; <see cref="Late"/> is set by the hearing.
/// </remarks>
public sealed record PartyAnswer(
    Guid Id,
    Guid PartyTaskId,
    Instant ReceivedAt,
    string Channel,
    string? Text,
    bool NoComments,
    string? Decision,
    string? SubmittedBy,
    string? MessageId,
    IReadOnlyList<StoredAttachment> Attachments,
    bool Late = false);

/// <summary>
/// A file of an answer, already written to storage under a temporary name; <see cref="StoragePath"/> (relative to the
/// attachments folder) is where it is once the answer is saved.
/// </summary>
public sealed record StoredAttachment(Guid Id, string FileName, string ContentType, long Size, string Sha256, string StoragePath);
