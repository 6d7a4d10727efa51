using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;

namespace Workflows.Definitions.Activities.Decisions;

/// <summary>
/// An item waiting on a body's agenda, as <see cref="Decision"/> keeps it in its state: the host's pages read it
/// through this type, never by the state's keys.
/// </summary>
/// <param name="Body">The body's name ("KKR Midtjylland").</param>
/// <param name="Item">The agenda item, rendered.</param>
/// <param name="Meeting">The meeting the item is planned for (moved on when it is postponed).</param>
/// <param name="MeetingHeld">The meeting has taken place and the decision is still not recorded.</param>
/// <param name="Mandate">What the body is asked to give a mandate to, if anything.</param>
/// <param name="Postponements">How often the item has been postponed.</param>
public sealed record AgendaItem(string Body, string Item, Instant Meeting, bool MeetingHeld, string? Mandate, int Postponements)
{
    /// <summary>The item in a decision's state; null before it is planned (or when the state is not a decision's).</summary>
    public static AgendaItem? Read(JsonObject? state)
    {
        if (state?["body"]?.GetValue<string>() is not { } body || state["item"]?.GetValue<string>() is not { } item
            || state["meeting"]?.GetValue<string>() is not { } meeting || InstantPattern.ExtendedIso.Parse(meeting) is not { Success: true } parsed)
        {
            return null;
        }
        return new AgendaItem(
            body, item, parsed.Value, state["meetingHeld"]?.GetValue<bool>() == true, state["mandate"]?.GetValue<string>(), state["postponements"]?.GetValue<int>() ?? 0);
    }
}

/// <summary>An open task (<see cref="UserTask"/>) as its state keeps it, for the host's pages.</summary>
/// <param name="Title">What is to be done, rendered.</param>
/// <param name="Assignee">Who does it, if the definition says.</param>
/// <param name="Instructions">How, if the definition says.</param>
/// <param name="Deadline">By when, if the definition says.</param>
public sealed record OpenTask(string Title, string? Assignee, string? Instructions, Instant? Deadline)
{
    /// <summary>The task in a user task's state; null before it has started.</summary>
    public static OpenTask? Read(JsonObject? state)
    {
        if (state?["title"]?.GetValue<string>() is not { } title)
        {
            return null;
        }
        var deadline = state["deadline"]?.GetValue<string>() is { } text && InstantPattern.ExtendedIso.Parse(text) is { Success: true } parsed ? parsed.Value : (Instant?)null;
        return new OpenTask(title, state["assignee"]?.GetValue<string>(), state["instructions"]?.GetValue<string>(), deadline);
    }
}
