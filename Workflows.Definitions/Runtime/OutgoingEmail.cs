using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// A mail an activity asked for. It is an outbox row, saved with the instance in one transaction; the host
/// sends it afterwards, so a crash can delay a mail but never lose it.
/// </summary>
public sealed record OutgoingEmail(
    Guid Id,
    Guid InstanceId,
    string ActivityId,
    IReadOnlyList<string> To,
    string Subject,
    string TextBody,
    string? HtmlBody,
    Instant QueuedAt);
