using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>A failure of an activity, kept until an operator resolves it; never a silent disappearance.</summary>
public sealed record Incident(
    Guid Id,
    Guid InstanceId,
    string ActivityId,
    string ActivityType,
    string Message,
    int Attempt,
    Instant OccurredAt,
    Instant? RetryAt);
