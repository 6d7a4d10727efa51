namespace Workflows.Definitions.Activities.Waiting;

/// <summary>
/// Waits until a signal with this name is sent to the instance (<c>POST /api/instances/{id}/signals/{name}</c>).
/// A signal that arrived before the wait began is not lost: it is parked and consumed here.
/// </summary>
public sealed class WaitForSignal(string signal, string? resultVariable) : IActivity
{
    public static ActivityDescriptor Descriptor { get; } = new(
        "WaitForSignal", "Afvent signal", "Tid", "Venter, til forløbet modtager et navngivet signal.",
        [
            new("signal", "string", true, "Signal"),
            new("resultVariable", "string", false, "Gem indhold i variabel"),
        ],
        CanWait: true,
        reader =>
        {
            var signal = reader.Literal("signal", PropertyKinds.PlainText, "");
            if (reader.Has("signal") && signal.Trim().Length == 0)
            {
                reader.Error("signal", "must not be empty");
            }
            var variable = reader.VariableName("resultVariable");
            return new ActivityBinding(new WaitForSignal(signal, variable), [ActivityResult.DonePort]);
        });

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (context.Resumption is not { } resumption)
        {
            return ValueTask.FromResult(ActivityResult.WaitForSignal(signal));
        }
        if (resultVariable is not null)
        {
            context.Variables[resultVariable] = resumption.Payload?.DeepClone();
        }
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
