using Workflows.Definitions.Calendar;

namespace Workflows.Definitions.Activities.Waiting;

/// <summary>
/// Waits until a Danish deadline: an absolute date and time (<c>{ "date": "2019-10-31", "at": "12:00" }</c>)
/// or one relative to when the wait begins (<c>{ "workingDays": 10, "at": "12:00" }</c>, days, weeks, ISO week).
/// Warnings (a deadline on a helligdag) go to the journal.
/// </summary>
public sealed class WaitUntil(Property<DeadlineSpec?> deadline) : IActivity
{
    public static PropertyKind<DeadlineSpec?> DeadlineKind { get; } = new("deadline", DeadlineJson.Parse);

    public static ActivityDescriptor Descriptor { get; } = new(
        "WaitUntil", "Afvent frist", "Tid", "Venter til en frist efter dansk kalender og arbejdsdage.",
        [new("deadline", "deadline", true, "Frist")],
        CanWait: true,
        reader => new ActivityBinding(new WaitUntil(reader.Get("deadline", DeadlineKind, null)), [ActivityResult.DonePort]));

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (context.Resumption is not null)
        {
            return ValueTask.FromResult(ActivityResult.Done);
        }
        var spec = deadline.Evaluate(context) ?? throw new ActivityPropertyException("deadline", "has no value");
        // A plain wait is not a hearing: the minimum hearing period does not apply to it.
        var resolved = context.Calendar.WithoutHearingMinimum().Resolve(spec, context.Now);
        context.Journal($"Frist: {resolved.Text}");
        foreach (var warning in resolved.Warnings)
        {
            context.Journal($"Advarsel: {warning}");
        }
        return ValueTask.FromResult(ActivityResult.WaitUntil(resolved.Instant, "deadline"));
    }
}
