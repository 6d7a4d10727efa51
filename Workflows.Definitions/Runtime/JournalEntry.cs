using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>One line of an instance's append-only journal: the audit trail of what happened, when and by whom.</summary>
public sealed record JournalEntry(
    Guid InstanceId,
    Instant At,
    JournalKind Kind,
    string? ActivityId,
    string Message,
    string? Data = null,
    string? Actor = null);

public enum JournalKind
{
    InstanceStarted,
    InstanceSuspended,
    InstanceFinished,
    InstanceCancelled,
    InstanceFaulted,
    InstanceRecovered,
    InstanceRetried,
    ActivityStarted,
    ActivityResumed,
    ActivityCompleted,
    ActivityWaiting,
    ActivityFailed,
    ActivityCancelled,
    ActivityNote,
    SignalReceived,
    SignalParked,
    TimerFired,
    MailQueued,
}
