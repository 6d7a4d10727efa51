using Workflows.Definitions.Activities.Control;
using Workflows.Definitions.Activities.Decisions;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Activities.Messaging;
using Workflows.Definitions.Activities.Waiting;

namespace Workflows.Definitions.Activities;

/// <summary>The activity types a definition may use, by their <c>type</c> name.</summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, ActivityDescriptor> descriptors;

    public ActivityRegistry(IEnumerable<ActivityDescriptor> descriptors)
    {
        this.descriptors = descriptors.ToDictionary(d => d.Type, StringComparer.Ordinal);
    }

    /// <summary>The generic activities of the engine (DESIGN §2).</summary>
    public static IReadOnlyList<ActivityDescriptor> Core { get; } =
    [
        Start.Descriptor,
        Finish.Descriptor,
        SetVariable.Descriptor,
        If.Descriptor,
        Switch.Descriptor,
        Fork.Descriptor,
        Join.Descriptor,
        Delay.Descriptor,
        WaitUntil.Descriptor,
        WaitForSignal.Descriptor,
        SendEmail.Descriptor,
        Hearing.Descriptor,
        Approval.Descriptor,
        Decision.Descriptor,
        UserTask.Descriptor,
    ];

    public static ActivityRegistry Default { get; } = new(Core);

    public IEnumerable<ActivityDescriptor> All => descriptors.Values;

    public ActivityDescriptor? Find(string type) => descriptors.GetValueOrDefault(type);

    /// <summary>A known type that is spelled almost like <paramref name="type"/>, for "did you mean".</summary>
    public string? Suggest(string type) =>
        descriptors.Keys
            .Select(k => (Key: k, Distance: EditDistance(k.ToUpperInvariant(), type.ToUpperInvariant())))
            .Where(x => x.Distance <= Math.Max(2, type.Length / 3))
            .OrderBy(x => x.Distance)
            .Select(x => x.Key)
            .FirstOrDefault();

    internal static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
