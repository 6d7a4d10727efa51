namespace Workflows.Definitions.Definitions;

/// <summary>The graph of a definition: activities, connections, and the questions the engine asks of them.</summary>
public sealed class Flowchart
{
    private readonly Dictionary<string, FlowActivity> activities;
    private readonly ILookup<(string Activity, string Port), Connection> outbound;
    private readonly Dictionary<string, int> inboundCounts;
    private readonly Dictionary<string, IReadOnlySet<string>> ancestors = [];

    internal Flowchart(IReadOnlyList<FlowActivity> activities, IReadOnlyList<Connection> connections)
    {
        this.activities = activities.ToDictionary(a => a.Id, StringComparer.Ordinal);
        Activities = activities;
        Connections = connections;
        outbound = connections.ToLookup(c => (c.Source.Activity, c.Source.Port));
        inboundCounts = connections.Distinct().GroupBy(c => c.Target.Activity).ToDictionary(g => g.Key, g => g.Count());
        Start = activities.First(a => a.Type == "Start");
    }

    public IReadOnlyList<FlowActivity> Activities { get; }

    public IReadOnlyList<Connection> Connections { get; }

    public FlowActivity Start { get; }

    public FlowActivity? Find(string activityId) => activities.GetValueOrDefault(activityId);

    public IEnumerable<Connection> From(string activityId, string port) => outbound[(activityId, port)];

    public int InboundCount(string activityId) => inboundCounts.GetValueOrDefault(activityId);

    /// <summary>Every activity from which <paramref name="activityId"/> can be reached (its upstream branches).</summary>
    public IReadOnlySet<string> AncestorsOf(string activityId)
    {
        lock (ancestors)
        {
            if (ancestors.TryGetValue(activityId, out var known))
            {
                return known;
            }
            var found = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>([activityId]);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                foreach (var connection in Connections.Where(c => c.Target.Activity == current))
                {
                    if (found.Add(connection.Source.Activity))
                    {
                        pending.Push(connection.Source.Activity);
                    }
                }
            }
            found.Remove(activityId);
            ancestors[activityId] = found;
            return found;
        }
    }
}
