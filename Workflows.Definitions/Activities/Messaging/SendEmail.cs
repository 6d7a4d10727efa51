using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities.Messaging;

/// <summary>
/// Queues a mail in the outbox. The subject and body are Liquid texts
/// (<c>Høring om {{ input.title }}</c>); the recipients are literal addresses or an expression.
/// Sending happens after the step is saved, by the host's mail sender, with retries.
/// </summary>
public sealed class SendEmail(Property<IReadOnlyList<string>> to, LiquidText subject, LiquidText body) : IActivity
{
    public static ActivityDescriptor Descriptor { get; } = new(
        "SendEmail", "Send e-mail", "Kommunikation", "Sender en e-mail (via udbakken, med genforsøg).",
        [
            new("to", "textList", true, "Til"),
            new("subject", "text", true, "Emne"),
            new("body", "text", true, "Tekst"),
        ],
        CanWait: false,
        reader => new ActivityBinding(
            new SendEmail(reader.Get("to", PropertyKinds.TextList, []), reader.Text("subject"), reader.Text("body")),
            [ActivityResult.DonePort]));

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var recipients = to.Evaluate(context).Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
        if (recipients.Count == 0)
        {
            throw new ActivityPropertyException("to", "gave no recipients");
        }
        var invalid = recipients.FirstOrDefault(a => !LooksLikeAddress(a));
        if (invalid is not null)
        {
            throw new ActivityPropertyException("to", $"'{invalid}' is not an e-mail address");
        }
        context.QueueEmail(recipients, context.Render(subject, "subject"), context.Render(body, "body"));
        return ValueTask.FromResult(ActivityResult.Done);
    }


    private static bool LooksLikeAddress(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == address.LastIndexOf('@') && address.IndexOf('.', at) > at + 1 && !address.Any(char.IsWhiteSpace);
    }
}
