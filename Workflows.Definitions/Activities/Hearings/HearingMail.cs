using System.Text.Json.Nodes;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Activities.Hearings;

/// <summary>
/// The mails of a round: which template, to whom, with which model. The model names the party task; the host adds the
/// party's signed answer link when it renders the mail, so no working link is kept in the instance or the outbox.
/// </summary>
internal sealed class HearingMail(ActivityContext context, HearingState state)
{
    public void Invitation(PartyTask task) => Queue(task, state.Template("invitation"), Model(task));

    /// <summary>A planned or a hand-sent reminder (before the deadline) or rykker (after it).</summary>
    public void Reminder(PartyTask task, string kind, int number)
    {
        var model = Model(task);
        model["reminderNumber"] = number;
        Queue(task, state.Template(kind), model);
    }

    public void DeadlineChanged(PartyTask task, Deadline previous, int sequence)
    {
        var model = Model(task);
        model["previousDeadline"] = DeadlineModel(previous);
        model["sequence"] = sequence;
        Queue(task, "deadline-changed", model);
    }

    public void ExtensionRefused(PartyTask task, string? reason)
    {
        var model = Model(task);
        model["requestReason"] = reason;
        Queue(task, "extension-refused", model);
    }

    /// <summary>The kvittering, to the party's contacts or to whoever mailed the answer.</summary>
    public void Receipt(PartyTask task, PartyAnswer answer, string? replyTo)
    {
        var model = Model(task);
        model["receipt"] = new JsonObject
        {
            ["receivedAt"] = DeadlineModel(Deadline.FromInstant(answer.ReceivedAt, context.Zone)),
            ["noComments"] = answer.NoComments,
            ["decision"] = task.Decision,
            ["late"] = answer.Late,
            ["text"] = answer.Text is { Length: > 2000 } text ? string.Concat(text.AsSpan(0, 2000), " …") : answer.Text,
            ["attachments"] = new JsonArray(answer.Attachments.Select(a => (JsonNode)a.FileName).ToArray()),
        };
        context.QueueTemplatedEmail(replyTo is null ? task.Contacts : [replyTo], state.Template("receipt"), model, task.Id);
    }

    private void Queue(PartyTask task, string template, JsonObject model) => context.QueueTemplatedEmail(task.Contacts, template, model, task.Id);

    private JsonObject Model(PartyTask task) => new()
    {
        ["title"] = state.Title,
        ["caseNumber"] = state.CaseNumber,
        ["sender"] = state.Sender,
        ["message"] = state.Message,
        ["material"] = new JsonArray(state.Material.Select(m => (JsonNode)new JsonObject { ["title"] = m.Title, ["url"] = m.Url }).ToArray()),
        ["partyId"] = task.PartyId,
        ["partyName"] = task.PartyName,
        ["partyTaskId"] = task.Id.ToString(),
        ["deadline"] = DeadlineModel(Deadline.FromInstant(task.Deadline, context.Zone)),
        ["sequence"] = state.SequenceOf(task.Id),
        ["ask"] = state.Ask,
        ["effectiveDate"] = state.EffectiveAt is { } effectiveAt ? DanishText.Date(Deadline.FromInstant(effectiveAt, context.Zone).Local.Date) : null,
    };

    private static JsonObject DeadlineModel(Deadline deadline) => new()
    {
        ["instant"] = InstantPattern.ExtendedIso.Format(deadline.Instant),
        ["local"] = LocalDateTimePattern.ExtendedIso.Format(deadline.Local),
        ["text"] = deadline.Text,
    };
}
