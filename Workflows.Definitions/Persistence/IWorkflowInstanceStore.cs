using NodaTime;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Persistence;

/// <summary>What the engine needs from instance storage, and nothing more (queries for people live in the host).</summary>
public interface IWorkflowInstanceStore
{
    Task<WorkflowInstance?> FindAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the instance, its bookmarks and everything it recorded since the last save (journal, incidents,
    /// outbox mails) in one transaction, if the stored revision is still <see cref="WorkflowInstance.Revision"/>;
    /// otherwise throws <see cref="ConcurrencyConflictException"/> and saves nothing.
    /// </summary>
    Task SaveAsync(WorkflowInstance instance, CancellationToken cancellationToken);

    /// <summary>Timer bookmarks due at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<DueTimer>> FindDueTimersAsync(Instant now, int max, CancellationToken cancellationToken);

    /// <summary>The earliest pending timer, if any (the simulated clock advances timer by timer).</summary>
    Task<Instant?> FindNextTimerAsync(CancellationToken cancellationToken);

    /// <summary>Instances left in <see cref="WorkflowStatus.Running"/> (a process died mid-step).</summary>
    Task<IReadOnlyList<Guid>> FindInterruptedAsync(Instant updatedBefore, CancellationToken cancellationToken);
}

public sealed record DueTimer(Guid InstanceId, Guid BookmarkId, Instant ResumeAt);

/// <summary>Another writer saved the instance first; reload and apply the change again.</summary>
public sealed class ConcurrencyConflictException(Guid instanceId)
    : Exception($"Workflow instance {instanceId} was changed by another writer.")
{
    public Guid InstanceId { get; } = instanceId;
}
