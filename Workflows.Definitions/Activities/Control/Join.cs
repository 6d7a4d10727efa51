using System.Text.Json.Nodes;

namespace Workflows.Definitions.Activities.Control;

/// <summary>
/// Merges branches with an explicit rule, never an implicit one (a top complaint about Elsa's joins):
/// <c>WaitAll</c> continues when every incoming connection has arrived; <c>WaitAny</c> on the first;
/// <c>Quorum</c> when <c>count</c> have arrived. When a <c>WaitAny</c> or <c>Quorum</c> join fires, the
/// branches still running towards it are cancelled (their timers and waits are removed), so a
/// "reminder or answer" race cannot fire twice.
/// </summary>
public sealed class Join(Join.JoinMode mode, int quorum) : IActivity
{
    public enum JoinMode
    {
        WaitAll,
        WaitAny,
        Quorum,
    }

    public static ActivityDescriptor Descriptor { get; } = new(
        "Join", "Saml", "Forløb", "Samler grene: når alle, den første eller et bestemt antal er nået hertil.",
        [
            new("mode", "enum", true, "Regel", ["WaitAll", "WaitAny", "Quorum"]),
            new("count", "integer", false, "Antal (ved Quorum)"),
        ],
        CanWait: false,
        reader =>
        {
            var mode = Enum.Parse<JoinMode>(reader.Literal("mode", PropertyKinds.OneOf("WaitAll", "WaitAny", "Quorum"), "WaitAll"));
            var count = reader.Literal("count", PropertyKinds.WholeNumber, 0);
            if (mode == JoinMode.Quorum && count < 1)
            {
                reader.Error("count", "a Quorum join needs a count of at least 1");
            }
            if (mode != JoinMode.Quorum && reader.Has("count"))
            {
                reader.Error("count", "is only used with mode Quorum");
            }
            return new ActivityBinding(
                new Join(mode, count),
                [ActivityResult.DonePort],
                inbound => mode == JoinMode.Quorum && count > inbound
                    ? $"the quorum {count} is larger than the {inbound} connection(s) leading into this join, so it could never be reached"
                    : null);
        });

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (context.Arrival is not { } arrival)
        {
            return ValueTask.FromResult(ActivityResult.WaitingForBranches);
        }
        if (context.State["arrived"] is not JsonArray arrived)
        {
            arrived = [];
            context.State["arrived"] = arrived;
        }
        var key = $"{arrival.FromActivityId}:{arrival.FromPort}";
        if (!arrived.Any(a => a?.GetValue<string>() == key))
        {
            arrived.Add(key);
        }

        var needed = mode switch
        {
            JoinMode.WaitAll => context.InboundConnections,
            JoinMode.WaitAny => 1,
            _ => quorum,
        };
        if (arrived.Count < needed)
        {
            return ValueTask.FromResult(ActivityResult.WaitingForBranches);
        }

        // Reset, so a join inside a loop counts afresh next time round.
        context.State.Remove("arrived");
        return ValueTask.FromResult<ActivityResult>(
            new ActivityResult.Completed([ActivityResult.DonePort], CancelUpstreamBranches: mode != JoinMode.WaitAll));
    }
}
