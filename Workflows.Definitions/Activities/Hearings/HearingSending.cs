using System.Text.Json;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Activities.Hearings;

/// <summary>
/// Sends a round: evaluates its properties, resolves the parties and the deadline, creates one party task each and
/// queues the invitations. Every property problem faults the step naming the property, before anything is sent.
/// </summary>
internal static class HearingSending
{
    public static HearingState Send(ActivityContext context, HearingSettings settings)
    {
        var title = context.Render(settings.Title, "title").Trim();
        if (title.Length == 0)
        {
            throw new ActivityPropertyException("title", "is empty");
        }
        var selector = settings.Parties.Evaluate(context) ?? throw new ActivityPropertyException("parties", "has no value");
        var resolution = context.Parties.Resolve(JsonSerializer.Deserialize<JsonElement>(selector.ToJsonString()));
        if (!resolution.Succeeded)
        {
            throw new ActivityPropertyException("parties", string.Join("; ", resolution.Errors.Select(e => e.Message)));
        }
        if (resolution.Parties.Count == 0)
        {
            throw new ActivityPropertyException("parties", "names no parties");
        }
        var spec = settings.Deadline.Evaluate(context) ?? throw new ActivityPropertyException("deadline", "has no value");
        var deadline = context.Calendar.Resolve(spec, context.Now);
        if (deadline.Instant <= context.Now)
        {
            throw new ActivityPropertyException("deadline", $"{deadline.Text} has already passed");
        }
        var latePolicy = settings.LatePolicy.Evaluate(context);
        var closeAt = latePolicy.Until is { } until ? NodaTime.Instant.Max(context.Calendar.Resolve(until, context.Now).Instant, deadline.Instant) : deadline.Instant;
        var quorum = settings.Quorum.Evaluate(context) ?? resolution.Parties.Count;
        if (quorum > resolution.Parties.Count)
        {
            throw new ActivityPropertyException("quorum", $"is {quorum}, more than the {resolution.Parties.Count} parties");
        }
        var effective = settings.EffectiveDate.Evaluate(context) is { } effectiveSpec ? context.Calendar.WithoutHearingMinimum().Resolve(effectiveSpec, context.Now) : null;

        var state = new HearingState
        {
            Title = title,
            // Empty texts are kept as null: Liquid treats "" as true, and templates ask "{% if sender %}".
            CaseNumber = NullIfEmpty(context.Render(settings.CaseNumber, "caseNumber").Trim()),
            Sender = NullIfEmpty(context.Render(settings.Sender, "sender").Trim()),
            Message = NullIfEmpty(context.Render(settings.Message, "message").Trim()),
            Material = settings.Material.Evaluate(context),
            Reminders = settings.Reminders.Evaluate(context),
            Rykkere = settings.Rykker.Evaluate(context),
            LatePolicy = latePolicy.Mode,
            CloseAt = closeAt,
            Ask = settings.Ask,
            Quorum = settings.Ask == HearingAsk.Answer ? null : quorum,
            EffectiveAt = effective?.Instant,
        };

        var count = resolution.Parties.Count;
        context.Journal(settings.Ask switch
        {
            HearingAsk.Approval => $"'{title}' sendes til godkendelse hos {count} parter med frist {deadline.Text}; godkendt når {quorum} af {count} har godkendt.",
            HearingAsk.Accession => $"'{title}' sendes til tiltrædelse hos {count} parter med frist {deadline.Text}{(effective is null ? "" : $"; træder i kraft {DanishText.Date(effective.Local.Date)}")}.",
            _ => $"Høringen '{title}' sendes til {count} parter med frist {deadline.Text}.",
        });
        foreach (var warning in deadline.Warnings)
        {
            context.Journal($"Advarsel: {warning}");
        }
        var mail = new HearingMail(context, state);
        foreach (var party in resolution.Parties)
        {
            var task = new PartyTask(Guid.CreateVersion7(), context.InstanceId, context.ActivityId, party.Id, party.Name, party.Contacts,
                deadline.Instant, closeAt + HearingRules.TokenGrace, context.Now);
            context.PartyTasks.Add(task);
            // Reminders whose time has already passed when the round is sent are skipped, not sent late.
            for (var i = HearingRules.RemindersPast(context.Calendar, state, task, context.Now); i > 0; i--)
            {
                task.SkipReminder();
            }
            state.Parties.Add(task.Id);
            mail.Invitation(task);
        }
        return state;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
