using System.Text.Json.Nodes;
using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// A running (or finished) workflow: pinned to one definition version, changed only by the engine, saved
/// with optimistic concurrency on <see cref="Revision"/>.
/// </summary>
public sealed class WorkflowInstance
{
    private readonly List<JournalEntry> newJournal = [];
    private readonly List<Incident> newIncidents = [];
    private readonly List<OutgoingEmail> newEmails = [];
    private readonly List<PartyAnswer> newAnswers = [];

    public WorkflowInstance(
        Guid id,
        string definitionId,
        int definitionVersion,
        string name,
        string? correlationId,
        JsonObject input,
        ExecutionState state,
        Instant createdAt)
    {
        Id = id;
        DefinitionId = definitionId;
        DefinitionVersion = definitionVersion;
        Name = name;
        CorrelationId = correlationId;
        Input = input;
        State = state;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        Status = WorkflowStatus.Running;
    }

    public Guid Id { get; private set; }

    public string DefinitionId { get; private set; }

    public int DefinitionVersion { get; private set; }

    /// <summary>What people call this instance: the hearing's title, or the definition's name.</summary>
    public string Name { get; private set; }

    /// <summary>An outside key such as a case number (<c>SAG-2019-05950</c>).</summary>
    public string? CorrelationId { get; private set; }

    public WorkflowStatus Status { get; private set; }

    /// <summary>Incremented by every save; a save that expected another revision fails and is retried on fresh state.</summary>
    public long Revision { get; private set; }

    public JsonObject Input { get; private set; }

    public ExecutionState State { get; private set; }

    public List<Bookmark> Bookmarks { get; private set; } = [];

    /// <summary>The party tasks of this instance's hearings and approvals.</summary>
    public List<PartyTask> PartyTasks { get; private set; } = [];

    public Instant CreatedAt { get; private set; }

    public Instant UpdatedAt { get; private set; }

    public Instant? FinishedAt { get; private set; }

    public bool IsEnded => Status is WorkflowStatus.Finished or WorkflowStatus.Cancelled;

    /// <summary>Journal entries added since the last save.</summary>
    public IReadOnlyList<JournalEntry> NewJournalEntries => newJournal;

    public IReadOnlyList<Incident> NewIncidents => newIncidents;

    public IReadOnlyList<OutgoingEmail> NewEmails => newEmails;

    /// <summary>Answers a hearing accepted since the last save; saved with the instance, in the same transaction.</summary>
    public IReadOnlyList<PartyAnswer> NewAnswers => newAnswers;

    /// <summary>Rebuilds a stored instance (stores only).</summary>
    public static WorkflowInstance Restore(
        Guid id, string definitionId, int definitionVersion, string name, string? correlationId, WorkflowStatus status, long revision,
        JsonObject input, ExecutionState state, IEnumerable<Bookmark> bookmarks, IEnumerable<PartyTask> partyTasks,
        Instant createdAt, Instant updatedAt, Instant? finishedAt) =>
        new(id, definitionId, definitionVersion, name, correlationId, input, state, createdAt)
        {
            Status = status,
            Revision = revision,
            Bookmarks = [.. bookmarks],
            PartyTasks = [.. partyTasks],
            UpdatedAt = updatedAt,
            FinishedAt = finishedAt,
        };

    /// <summary>Called by a store after a successful save.</summary>
    public void MarkSaved(long revision)
    {
        Revision = revision;
        newJournal.Clear();
        newIncidents.Clear();
        newEmails.Clear();
        newAnswers.Clear();
    }

    internal void SetStatus(WorkflowStatus status, Instant now)
    {
        Status = status;
        UpdatedAt = now;
        FinishedAt = status is WorkflowStatus.Finished or WorkflowStatus.Cancelled ? now : null;
    }

    internal void Touch(Instant now) => UpdatedAt = now;

    internal void Record(JournalEntry entry) => newJournal.Add(entry);

    internal void Record(Incident incident) => newIncidents.Add(incident);

    internal void Record(OutgoingEmail email) => newEmails.Add(email);

    internal void Record(PartyAnswer answer) => newAnswers.Add(answer);
}
