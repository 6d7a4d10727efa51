namespace Workflows.Definitions.Activities.Control;

/// <summary>Ends the whole instance at once, cancelling every other branch and wait.</summary>
public sealed class Finish : IActivity
{
    public static ActivityDescriptor Descriptor { get; } = new(
        "Finish", "Afslut", "Forløb", "Afslutter forløbet; alle andre grene og ventetider annulleres.", [], CanWait: false,
        _ => new ActivityBinding(new Finish(), []));

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ActivityResult.Finish);
}
