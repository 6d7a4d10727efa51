using System.Text.Json.Nodes;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Activities.Hearings;

/// <summary>
/// Applies one stimulus to an open round: an answer, a new deadline, a reminder sent by hand, the invitation sent
/// again, a refused request for more time. Each is journalled with who caused it.
/// </summary>
internal sealed class HearingStimulusHandler(ActivityContext context, HearingState state, IReadOnlyList<PartyTask> tasks)
{
    private readonly HearingMail mail = new(context, state);

    public void Apply(HearingStimulus stimulus)
    {
        switch (stimulus)
        {
            case AnswerReceived answer:
                Answer(answer);
                break;
            case DeadlineChanged change:
                ChangeDeadline(change);
                break;
            case RemindNow remind:
                Remind(remind);
                break;
            case InvitationResent resend:
                Resend(resend);
                break;
            case ExtensionRefused refused:
                RefuseExtension(refused);
                break;
            case MailBounced bounced:
                Bounce(bounced);
                break;
        }
    }

    private void Answer(AnswerReceived stimulus)
    {
        var answer = stimulus.Answer;
        if (Task(stimulus, answer.PartyTaskId) is not { } task)
        {
            return;
        }
        if (HearingRules.Admit(state, task, answer.ReceivedAt, answer.Decision) is { } refusal)
        {
            // The host checks the same rules before it delivers an answer; one that races the close lands here, and the
            // host keeps it for staff because it was not recorded.
            context.Journal(refusal switch
            {
                AnswerRefusal.Late => $"Svar fra {task.PartyName} efter fristen er afvist (høringen modtager ikke sene svar).",
                AnswerRefusal.LateReplacement => $"Svar fra {task.PartyName} efter fristen kan ikke erstatte det tidligere svar og er afvist.",
                AnswerRefusal.DecisionMissing => $"Svar fra {task.PartyName} uden en beslutning (godkendt eller ikke godkendt) er ignoreret.",
                _ => $"Svar fra {task.PartyName} kom efter, at runden var lukket, og er ikke talt med.",
            }, Data(stimulus), stimulus.Actor);
            return;
        }
        var replaced = task.IsAnswered;
        var decision = state.AsksForDecision ? answer.Decision : null;
        var noComments = answer.NoComments && !state.AsksForDecision;
        task.Answer(answer.ReceivedAt, noComments, decision);
        var taken = answer with { Late = task.Status == PartyTaskStatus.AnsweredLate, Decision = decision, NoComments = noComments };
        context.RecordAnswer(taken);
        var what = state.Ask switch
        {
            HearingAsk.Approval => decision == "approved" ? "godkendt" : "ikke godkendt",
            HearingAsk.Accession => decision == "approved" ? "tiltrådt" : "ikke tiltrådt",
            _ => noComments ? "svaret: ingen bemærkninger" : "afgivet høringssvar",
        };
        context.Journal($"{task.PartyName} har {(replaced ? $"erstattet sit svar ({what})" : what)}{(taken.Late ? " (for sent)" : "")}.", Data(stimulus), stimulus.Actor);
        mail.Receipt(task, taken, stimulus.ReplyTo);
    }

    private void ChangeDeadline(DeadlineChanged stimulus)
    {
        var errors = new List<(string Path, string Message)>();
        var spec = DeadlineJson.Parse(stimulus.Deadline, errors);
        if (spec is null || errors.Count > 0)
        {
            context.Journal($"Fristændring afvist: {string.Join("; ", errors.Select(e => e.Message))}", Data(stimulus), stimulus.Actor);
            return;
        }
        var deadline = context.Calendar.Resolve(spec, context.Now);
        var changed = stimulus.PartyTaskId is null ? tasks : Task(stimulus, stimulus.PartyTaskId.Value) is { } one ? [one] : [];
        foreach (var task in changed)
        {
            var previous = Deadline.FromInstant(task.Deadline, context.Zone);
            state.CloseAt = NodaTime.Instant.Max(state.CloseAt, deadline.Instant);
            task.ExtendTo(deadline.Instant, state.CloseAt + HearingRules.TokenGrace);
            // Reminders are planned afresh against the new deadline; those already past count as sent.
            task.ResetReminders(HearingRules.RemindersPast(context.Calendar, state, task, context.Now));
            var sequence = state.NextSequence(task.Id);
            context.Journal($"Fristen for {task.PartyName} er ændret fra {previous.Text} til {deadline.Text} af {stimulus.Actor}.", Data(stimulus), stimulus.Actor);
            if (!task.IsAnswered)
            {
                mail.DeadlineChanged(task, previous, sequence);
            }
        }
    }

    /// <summary>A reminder (before the deadline) or a rykker (after it) now; those who answered are never reminded. The plan stays.</summary>
    private void Remind(RemindNow stimulus)
    {
        var chosen = stimulus.PartyTaskId is null ? tasks : Task(stimulus, stimulus.PartyTaskId.Value) is { } one ? [one] : [];
        var reminded = new List<string>();
        foreach (var task in chosen.Where(t => !t.IsAnswered))
        {
            var beforeDeadline = context.Now < task.Deadline;
            mail.Reminder(task, beforeDeadline ? "reminder" : "rykker", (beforeDeadline ? task.RemindersSent : task.RykkereSent) + 1);
            task.RemindedByHand(context.Now);
            reminded.Add(task.PartyName);
        }
        context.Journal(
            reminded.Count == 0 ? $"Ingen påmindelse sendt: alle har svaret (bedt om af {stimulus.Actor})." : $"Påmindelse sendt nu til {string.Join(", ", reminded)} af {stimulus.Actor}.",
            Data(stimulus), stimulus.Actor);
    }

    private void Resend(InvitationResent stimulus)
    {
        if (Task(stimulus, stimulus.PartyTaskId) is not { } task)
        {
            return;
        }
        var to = stimulus.To.Select(a => a.Trim()).Where(a => a.Contains('@', StringComparison.Ordinal)).ToList();
        if (to.Count == 0)
        {
            context.Journal($"Invitationen til {task.PartyName} blev ikke sendt igen: ingen gyldig adresse.", Data(stimulus), stimulus.Actor);
            return;
        }
        var previous = string.Join(", ", task.Contacts);
        task.ChangeContacts(to);
        state.Bounces.Remove(task.Id);
        mail.Invitation(task);
        context.Journal($"Invitationen til {task.PartyName} er sendt igen til {string.Join(", ", to)} (før: {previous}) af {stimulus.Actor}.", Data(stimulus), stimulus.Actor);
    }

    private void Bounce(MailBounced stimulus)
    {
        if (Task(stimulus, stimulus.PartyTaskId) is not { } task)
        {
            return;
        }
        if (task.IsAnswered)
        {
            // A reminder to an old address can bounce after the party answered from another: nothing to chase.
            context.Journal($"En mail til {task.PartyName} kunne ikke leveres til {stimulus.Address} ({stimulus.Reason}); parten har allerede svaret.", Data(stimulus), stimulus.Actor);
            return;
        }
        task.MarkBounced();
        state.Bounces[task.Id] = new MailBounce(stimulus.Address, stimulus.Reason, context.Now);
        context.Journal($"Mailen til {task.PartyName} kunne ikke leveres til {stimulus.Address}: {stimulus.Reason}. Send invitationen igen til en rettet adresse.", Data(stimulus), stimulus.Actor);
    }

    private void RefuseExtension(ExtensionRefused stimulus)
    {
        if (Task(stimulus, stimulus.PartyTaskId) is not { } task)
        {
            return;
        }
        context.Journal($"Anmodningen om fristforlængelse fra {task.PartyName} er afslået af {stimulus.Actor}.", Data(stimulus), stimulus.Actor);
        if (!task.IsAnswered)
        {
            mail.ExtensionRefused(task, stimulus.Reason);
        }
    }

    private PartyTask? Task(HearingStimulus stimulus, Guid partyTaskId)
    {
        var task = tasks.FirstOrDefault(t => t.Id == partyTaskId);
        if (task is null)
        {
            context.Journal($"'{stimulus.Kind}' nævnte ingen kendt part i denne runde og blev ignoreret.", Data(stimulus), stimulus.Actor);
        }
        return task;
    }

    /// <summary>The stimulus as journal data, with an answer's long text shortened.</summary>
    private static JsonObject Data(HearingStimulus stimulus) => JournalEntry.Shortened(stimulus.ToPayload()).AsObject();
}
