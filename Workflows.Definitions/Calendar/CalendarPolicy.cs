using NodaTime;

namespace Workflows.Definitions.Calendar;

/// <summary>The organisation's choices for resolving deadlines.</summary>
public sealed record CalendarPolicy
{
    /// <summary>
    /// The last second of the day. A date without a time means "by the end of that day", so an answer
    /// at 23:59:30 is on time; people see it as "kl. 23.59".
    /// </summary>
    public static readonly LocalTime EndOfDay = new(23, 59, 59);

    /// <summary>End of day, reminders at 9:00, and no minimum hearing period.</summary>
    public static CalendarPolicy Default { get; } = new();

    /// <summary>The time of a deadline stated without one.</summary>
    public LocalTime DefaultTimeOfDay { get; init; } = EndOfDay;

    /// <summary>The time a reminder or rykker is sent when its offset states none (a morning mail is read that day).</summary>
    public LocalTime DefaultReminderTimeOfDay { get; init; } = new(9, 0);

    /// <summary>
    /// A hearing shorter than this (from the local date of sending to the deadline's date) gets a warning;
    /// null for no check. The state's own guideline for hearings is at least four weeks.
    /// </summary>
    public Period? MinimumHearingPeriod { get; init; }
}
