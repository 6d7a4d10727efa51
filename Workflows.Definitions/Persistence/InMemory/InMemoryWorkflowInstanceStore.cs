using NodaTime;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Persistence.InMemory;

/// <summary>
/// An instance store in memory that behaves like the real ones where the engine relies on it: it keeps a
/// serialized copy (so callers cannot change stored state by accident) and enforces the revision check. It is the
/// store of a prøvekørsel (a rehearsal that must touch no real instance and send no mail) and of the core's unit tests;
/// what a save recorded (journal, incidents, mails, answers) is kept in lists for them to read.
/// </summary>
public sealed class InMemoryWorkflowInstanceStore : IWorkflowInstanceStore
{
    private readonly Dictionary<Guid, Snapshot> instances = [];

    public List<JournalEntry> Journal { get; } = [];

    public List<Incident> Incidents { get; } = [];

    public List<OutgoingEmail> Outbox { get; } = [];

    public List<PartyAnswer> Answers { get; } = [];

    /// <summary>Called inside <see cref="SaveAsync"/> before the revision check, to stage a race.</summary>
    public Func<WorkflowInstance, Task>? BeforeSave { get; set; }

    public Task<WorkflowInstance?> FindAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (instances)
        {
            return Task.FromResult(instances.TryGetValue(instanceId, out var snapshot) ? snapshot.Restore() : null);
        }
    }

    public async Task SaveAsync(WorkflowInstance instance, CancellationToken cancellationToken)
    {
        if (BeforeSave is { } hook)
        {
            await hook(instance);
        }
        lock (instances)
        {
            var storedRevision = instances.TryGetValue(instance.Id, out var existing) ? existing.Revision : 0;
            if (storedRevision != instance.Revision)
            {
                throw new ConcurrencyConflictException(instance.Id);
            }
            Journal.AddRange(instance.NewJournalEntries);
            Incidents.AddRange(instance.NewIncidents);
            Outbox.AddRange(instance.NewEmails);
            Answers.AddRange(instance.NewAnswers);
            instances[instance.Id] = Snapshot.Of(instance, storedRevision + 1);
            instance.MarkSaved(storedRevision + 1);
        }
    }

    public Task<IReadOnlyList<DueTimer>> FindDueTimersAsync(Instant now, int max, CancellationToken cancellationToken)
    {
        lock (instances)
        {
            IReadOnlyList<DueTimer> due = instances.Values
                .Where(s => s.Status is WorkflowStatus.Suspended or WorkflowStatus.Running)
                .SelectMany(s => s.Bookmarks)
                .Where(b => b.ResumeAt <= now)
                .OrderBy(b => b.ResumeAt)
                .Take(max)
                .Select(b => new DueTimer(b.InstanceId, b.Id, b.ResumeAt!.Value))
                .ToList();
            return Task.FromResult(due);
        }
    }

    public Task<Instant?> FindNextTimerAsync(CancellationToken cancellationToken)
    {
        lock (instances)
        {
            return Task.FromResult(instances.Values
                .Where(s => s.Status is WorkflowStatus.Suspended or WorkflowStatus.Running)
                .SelectMany(s => s.Bookmarks)
                .Where(b => b.ResumeAt is not null)
                .Min(b => b.ResumeAt));
        }
    }

    public Task<IReadOnlyList<Guid>> FindInterruptedAsync(Instant updatedBefore, CancellationToken cancellationToken)
    {
        lock (instances)
        {
            IReadOnlyList<Guid> ids = instances.Values
                .Where(s => s.Status == WorkflowStatus.Running && s.UpdatedAt <= updatedBefore)
                .Select(s => s.Id)
                .ToList();
            return Task.FromResult(ids);
        }
    }

    private sealed record Snapshot(
        Guid Id, string DefinitionId, int Version, string Name, string? CorrelationId, WorkflowStatus Status, long Revision,
        string Input, string State, List<Bookmark> Bookmarks, List<PartyTask> PartyTasks, Instant CreatedAt, Instant UpdatedAt, Instant? FinishedAt)
    {
        public static Snapshot Of(WorkflowInstance i, long revision) => new(
            i.Id, i.DefinitionId, i.DefinitionVersion, i.Name, i.CorrelationId, i.Status, revision,
            i.Input.ToJsonString(), ExecutionStateJson.Serialize(i.State),
            i.Bookmarks.Select(b => new Bookmark(b.Id, b.InstanceId, b.ActivityId, b.Name, b.ResumeAt, b.Payload?.DeepClone().AsObject(), b.CreatedAt)).ToList(),
            i.PartyTasks.Select(Copy).ToList(),
            i.CreatedAt, i.UpdatedAt, i.FinishedAt);

        public WorkflowInstance Restore() => WorkflowInstance.Restore(
            Id, DefinitionId, Version, Name, CorrelationId, Status, Revision,
            System.Text.Json.Nodes.JsonNode.Parse(Input)!.AsObject(), ExecutionStateJson.Deserialize(State),
            Bookmarks.Select(b => new Bookmark(b.Id, b.InstanceId, b.ActivityId, b.Name, b.ResumeAt, b.Payload?.DeepClone().AsObject(), b.CreatedAt)),
            // As the EF store returns them: by creation, then id; tasks created at one instant come in no fixed order.
            PartyTasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Select(Copy),
            CreatedAt, UpdatedAt, FinishedAt);

        private static PartyTask Copy(PartyTask t) => PartyTask.Restore(
            t.Id, t.InstanceId, t.ActivityId, t.PartyId, t.PartyName, [.. t.Contacts], t.Status, t.Deadline, t.LegacyTokenHash, t.TokenExpiresAt,
            t.CreatedAt, t.RemindersSent, t.LastRemindedAt, t.RykkereSent, t.AnsweredAt, t.Decision);
    }
}
