using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Activities.Hearings;

/// <summary>Why a party's answer is not taken now.</summary>
public enum AnswerRefusal
{
    /// <summary>The round has closed (its deadline, and any late-answer window, has passed).</summary>
    Closed,

    /// <summary>After the party's deadline, and the round takes no late answers.</summary>
    Late,

    /// <summary>After the party's deadline an answer given before it can no longer be replaced.</summary>
    LateReplacement,

    /// <summary>An approval or accession round needs a decision: approved or rejected.</summary>
    DecisionMissing,
}

/// <summary>
/// The rules of a round that the activity and the host both need, in one place and without side effects: who may answer
/// now, when each party's reminders and rykkere fall due, and when the round must wake up next.
/// </summary>
public static class HearingRules
{
    /// <summary>How long a personal link keeps working after the round closes (to see the receipt, not to answer).</summary>
    public static readonly Duration TokenGrace = Duration.FromDays(14);

    /// <summary>Whether an answer from <paramref name="task"/>'s party, received at <paramref name="at"/>, is taken; null when it is.</summary>
    public static AnswerRefusal? Admit(HearingState state, PartyTask task, Instant at, string? decision) =>
        Admit(state, task.Deadline, task.IsAnswered, at, decision);

    /// <summary>The same rule for a party whose deadline is <paramref name="deadline"/> and who has (not) answered before.</summary>
    public static AnswerRefusal? Admit(HearingState state, Instant deadline, bool answeredBefore, Instant at, string? decision)
    {
        if (at > deadline)
        {
            if (!state.AcceptsLate)
            {
                return AnswerRefusal.Late;
            }
            if (answeredBefore)
            {
                return AnswerRefusal.LateReplacement;
            }
        }
        if (at > deadline && at >= state.CloseAt)
        {
            return AnswerRefusal.Closed;
        }
        if (state.AsksForDecision && !HearingAsk.Decisions.Contains(decision))
        {
            return AnswerRefusal.DecisionMissing;
        }
        return null;
    }

    /// <summary>Whether the answer page offers the form: the round is open for this party now.</summary>
    public static bool IsOpenFor(HearingState state, Instant deadline, Instant now) =>
        now < state.CloseAt && !(now > deadline && !state.AcceptsLate);

    /// <summary>The instants of a party's reminders (or rykkere), earliest first, counted from its own deadline.</summary>
    public static IReadOnlyList<Instant> Plan(DeadlineCalculator calendar, IReadOnlyList<ReminderSpec> reminders, PartyTask task)
    {
        var deadline = Deadline.FromInstant(task.Deadline, calendar.Zone);
        return reminders.Select(r => calendar.ResolveReminder(r, deadline)).Order().ToList();
    }

    /// <summary>How many of a party's planned reminders are already past at <paramref name="now"/> (after a new deadline).</summary>
    public static int RemindersPast(DeadlineCalculator calendar, HearingState state, PartyTask task, Instant now) =>
        Plan(calendar, state.Reminders, task).Count(at => at <= now);

    /// <summary>
    /// The next instant the round has something to do: a reminder, a rykker, a party's deadline, the entry into force,
    /// or the close. Only instants after <paramref name="now"/> count.
    /// </summary>
    public static Instant NextEvent(DeadlineCalculator calendar, HearingState state, IEnumerable<PartyTask> tasks, Instant now)
    {
        var candidates = new List<Instant> { state.CloseAt };
        if (state.EffectiveAt is { } effectiveAt)
        {
            candidates.Add(effectiveAt);
        }
        foreach (var task in tasks.Where(t => !t.IsAnswered))
        {
            if (task.RemindersSent < state.Reminders.Count)
            {
                candidates.Add(Plan(calendar, state.Reminders, task)[task.RemindersSent]);
            }
            if (task.Status != PartyTaskStatus.Overdue)
            {
                candidates.Add(task.Deadline);
            }
            if (task.RykkereSent < state.Rykkere.Count)
            {
                candidates.Add(Plan(calendar, state.Rykkere, task)[task.RykkereSent]);
            }
        }
        return candidates.Where(c => c > now).DefaultIfEmpty(state.CloseAt).Min();
    }

    /// <summary>The round's result when it closes, and the port it completes on.</summary>
    public static HearingResult Result(HearingState state, IReadOnlyList<PartyTask> tasks)
    {
        var answered = tasks.Count(t => t.IsAnswered);
        var approved = tasks.Count(t => t.Decision == "approved");
        var rejected = tasks.Count(t => t.Decision == "rejected");
        var quorum = state.Quorum ?? tasks.Count;
        var port = state.AsksForDecision
            ? approved >= quorum ? Approval.ApprovedPort : Approval.NotApprovedPort
            : answered == tasks.Count ? Hearing.AllAnsweredPort : Hearing.DeadlinePassedPort;
        return new HearingResult(port, tasks.Count, answered, approved, rejected, quorum, tasks.Count(t => t.Status == PartyTaskStatus.AnsweredLate));
    }
}

/// <summary>A closed round in numbers.</summary>
public sealed record HearingResult(string Port, int Total, int Answered, int Approved, int Rejected, int Quorum, int Late)
{
    /// <summary>The result as the flow's variable (<c>resultVariable</c>), for conditions and for a decision's basis.</summary>
    public JsonObject ToVariable(HearingState state, IReadOnlyList<PartyTask> tasks) => new()
    {
        ["total"] = Total,
        ["answered"] = Answered,
        ["approved"] = state.AsksForDecision ? Approved : null,
        ["rejected"] = state.AsksForDecision ? Rejected : null,
        ["late"] = Late,
        ["missing"] = new JsonArray(tasks.Where(t => !t.IsAnswered).Select(t => (JsonNode)t.PartyId).ToArray()),
        ["parties"] = new JsonArray(tasks.Select(t => (JsonNode)new JsonObject
        {
            ["partyId"] = t.PartyId,
            ["name"] = t.PartyName,
            ["status"] = t.Status.ToString(),
            ["decision"] = t.Decision,
            ["answeredAt"] = t.AnsweredAt is { } at ? InstantPattern.ExtendedIso.Format(at) : null,
        }).ToArray()),
    };
}
