using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities.Control;

/// <summary>Writes a line to the instance's journal (the audit trail), e.g. "Materialet er sendt til KKR". Elsa's <c>WriteLine</c> becomes this.</summary>
public sealed class JournalNote(LiquidText text) : IActivity
{
    public static ActivityDescriptor Descriptor { get; } = new(
        "JournalNote", "Notér i journal", "Data", "Skriver en linje i forløbets journal.",
        [new("text", "text", true, "Tekst")],
        CanWait: false,
        reader => new ActivityBinding(new JournalNote(reader.Text("text")), [ActivityResult.DonePort]));

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        context.Journal(context.Render(text, "text"));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
