namespace Workflows.Definitions.Activities.Control;

/// <summary>Starts every named branch at once.</summary>
public sealed class Fork(IReadOnlyList<string> branches) : IActivity
{
    public static ActivityDescriptor Descriptor { get; } = new(
        "Fork", "Del op", "Forløb", "Starter flere grene samtidig.",
        [new("branches", "textList", true, "Grene")],
        CanWait: false,
        reader =>
        {
            var branches = reader.Literal("branches", PropertyKinds.TextList, []);
            if (branches.Count == 0 && reader.Has("branches"))
            {
                reader.Error("branches", "must name at least one branch");
            }
            if (branches.Distinct().Count() != branches.Count)
            {
                reader.Error("branches", "names a branch twice");
            }
            return new ActivityBinding(new Fork(branches), branches.Distinct().ToList());
        });

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ActivityResult>(new ActivityResult.Completed(branches));
}
