namespace Workflows.Definitions.Activities.Control;

/// <summary>Where every flowchart begins (exactly one per definition).</summary>
public sealed class Start : IActivity
{
    public static ActivityDescriptor Descriptor { get; } = new(
        "Start", "Start", "Forløb", "Her begynder forløbet.", [], CanWait: false,
        _ => new ActivityBinding(new Start(), [ActivityResult.DonePort]));

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ActivityResult.Done);
}
