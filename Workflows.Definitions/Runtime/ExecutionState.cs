using System.Text.Json.Nodes;
using Workflows.Definitions.Activities;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// The part of an instance that is only ever read whole: what is scheduled to run, each activity's own state,
/// the variables, and signals that arrived before anyone waited for them. Stored as one JSON document
/// (camelCase, see <see cref="ExecutionStateJson"/>).
/// </summary>
public sealed class ExecutionState
{
    /// <summary>Activities scheduled to run, in order.</summary>
    public List<WorkItem> Queue { get; init; } = [];

    /// <summary>Per-activity durable state (a join's arrivals, a retry's attempt count).</summary>
    public Dictionary<string, JsonObject> Activities { get; init; } = [];

    public JsonObject Variables { get; init; } = [];

    /// <summary>Activities that recorded an arrival and wait for more branches without a bookmark (joins).</summary>
    public List<string> Pending { get; init; } = [];

    /// <summary>Work that failed beyond its retries; an operator's retry puts it back in the queue.</summary>
    public List<WorkItem> Failed { get; init; } = [];

    /// <summary>Signals that arrived while nothing waited for them; the first bookmark with their name consumes them.</summary>
    public List<ParkedSignal> ParkedSignals { get; init; } = [];
}

/// <summary>An activity to run: entered through a connection, or resumed from a bookmark; <paramref name="Attempt"/> counts retries.</summary>
public sealed record WorkItem(
    string ActivityId,
    Arrival? Arrival,
    Resumption? Resumption = null,
    int Attempt = 0);

public sealed record ParkedSignal(
    string Name,
    JsonNode? Payload,
    string ReceivedAt);
