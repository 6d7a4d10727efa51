using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Activities.Hearings;

/// <summary>
/// One execution of a hearing or approval round: send it, or apply the stimulus or timer that woke it; then send what
/// has fallen due, and close or wait for the next event. Its state is read and written as a <see cref="HearingState"/>.
/// </summary>
internal sealed class PartyRound(ActivityContext context, HearingSettings settings)
{
    private const string TimerName = "next";

    public ActivityResult Run()
    {
        HearingState state;
        if (context.Resumption is not { } resumption)
        {
            state = HearingSending.Send(context, settings);
        }
        else
        {
            state = HearingState.Read(context.State) ?? throw new InvalidOperationException($"The round '{context.ActivityId}' was resumed before it was sent.");
            if (!resumption.IsTimer)
            {
                var kind = resumption.BookmarkName[(context.ActivityId.Length + 1)..];
                switch (HearingStimulus.Read(kind, resumption.Payload))
                {
                    case CloseNow close:
                        context.Journal("Høringen er lukket før tid.", null, close.Actor);
                        return Close(state);
                    case { } stimulus:
                        new HearingStimulusHandler(context, state, Tasks(state)).Apply(stimulus);
                        break;
                    default:
                        context.Journal($"Signalet '{resumption.BookmarkName}' kunne ikke læses og er ignoreret.");
                        break;
                }
            }
        }

        ProcessDueEvents(state);
        var tasks = Tasks(state);
        if (tasks.All(t => t.IsAnswered) || context.Now >= state.CloseAt)
        {
            return Close(state);
        }
        state.WriteTo(context.State);
        return new ActivityResult.Suspended(
        [
            .. HearingStimulus.Kinds.Select(kind => BookmarkRequest.Signal(HearingStimulus.Signal(context.ActivityId, kind))),
            BookmarkRequest.Timer(TimerName, HearingRules.NextEvent(context.Calendar, state, tasks, context.Now)),
        ]);
    }

    /// <summary>Sends the reminders and rykkere that have fallen due, marks parties past their deadline, checks the entry into force.</summary>
    private void ProcessDueEvents(HearingState state)
    {
        if (state.EffectiveAt is { } effectiveAt && effectiveAt <= context.Now)
        {
            CheckEffectiveDate(state);
        }
        var mail = new HearingMail(context, state);
        foreach (var task in Tasks(state).Where(t => !t.IsAnswered))
        {
            var reminders = HearingRules.Plan(context.Calendar, state.Reminders, task);
            var reminded = false;
            while (task.RemindersSent < reminders.Count && reminders[task.RemindersSent] <= context.Now)
            {
                var number = task.RemindersSent + 1;
                task.Reminded(context.Now);
                // Several reminders due at once (the clock jumped) give one mail, not a burst.
                if (!reminded && context.Now < task.Deadline)
                {
                    mail.Reminder(task, "reminder", number);
                    reminded = true;
                }
            }
            if (context.Now >= task.Deadline && task.Status != PartyTaskStatus.Overdue)
            {
                task.MarkOverdue();
                context.Journal($"{task.PartyName} har ikke svaret inden fristen {Deadline.FromInstant(task.Deadline, context.Zone).Text}.");
            }
            var rykkere = HearingRules.Plan(context.Calendar, state.Rykkere, task);
            var rykket = false;
            while (task.RykkereSent < rykkere.Count && rykkere[task.RykkereSent] <= context.Now)
            {
                var number = task.RykkereSent + 1;
                task.RykkerSent(context.Now);
                if (!rykket && context.Now < state.CloseAt)
                {
                    mail.Reminder(task, "rykker", number);
                    rykket = true;
                }
            }
        }
    }

    private ActivityResult Close(HearingState state)
    {
        var tasks = Tasks(state);
        foreach (var task in tasks)
        {
            task.MarkOverdue();
            task.CloseTokenAt(context.Now + HearingRules.TokenGrace);
        }
        var result = HearingRules.Result(state, tasks);
        if (!state.AsksForDecision)
        {
            context.Journal($"Høringen er afsluttet: {result.Answered} af {result.Total} har svaret.");
        }
        else
        {
            context.Journal($"Runden er afsluttet: {result.Approved} af {result.Total} har {Verb(state)} ({result.Quorum} kræves), {result.Rejected} har ikke, {result.Total - result.Answered} har ikke svaret.");
            if (state.EffectiveAt is not null)
            {
                CheckEffectiveDate(state);
            }
        }
        if (settings.ResultVariable is { } variable)
        {
            context.Variables[variable] = result.ToVariable(state, tasks);
        }
        state.WriteTo(context.State);
        return ActivityResult.Outcome(result.Port);
    }

    /// <summary>
    /// Once, at the entry into force (or when the round closes, if earlier): a warning when not every party has acceded,
    /// since agreements such as the akutfunktioner are costed on all 29 kommuner joining.
    /// </summary>
    private void CheckEffectiveDate(HearingState state)
    {
        if (state.EffectiveChecked)
        {
            return;
        }
        state.EffectiveChecked = true;
        var tasks = Tasks(state);
        var approved = tasks.Count(t => t.Decision == "approved");
        if (approved == tasks.Count)
        {
            return;
        }
        var effective = Deadline.FromInstant(state.EffectiveAt!.Value, context.Zone);
        var missing = tasks.Where(t => t.Decision != "approved").Select(t => t.PartyName);
        context.Journal($"Advarsel: kun {approved} af {tasks.Count} har {Verb(state)} '{state.Title}' til ikrafttrædelsen {DanishText.Date(effective.Local.Date)}. Mangler: {string.Join(", ", missing)}.");
    }

    private static string Verb(HearingState state) => state.Ask == HearingAsk.Accession ? "tiltrådt" : "godkendt";

    /// <summary>The round's tasks in the order the parties were named (the store returns tasks created at one instant in no fixed order).</summary>
    private List<PartyTask> Tasks(HearingState state)
    {
        var order = state.Parties.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index);
        return context.PartyTasks.Where(t => t.ActivityId == context.ActivityId).OrderBy(t => order.GetValueOrDefault(t.Id, int.MaxValue)).ToList();
    }
}
