using NodaTime;

namespace Workflows.Definitions.Calendar;

/// <summary>When a reminder (påmindelse) or rykker is sent, relative to the deadline.</summary>
public enum ReminderKind
{
    /// <summary>N working days before the deadline's date.</summary>
    WorkingDaysBefore,

    /// <summary>N calendar days before the deadline's date, moved back to a working day.</summary>
    DaysBefore,

    /// <summary>A rykker: N working days after the deadline's date (N ≥ 1).</summary>
    WorkingDaysAfter,
}

/// <summary>
/// A reminder offset: "3 arbejdsdage før fristen kl. 9.00", or a rykker "1 arbejdsdag efter fristen".
/// A missing <see cref="TimeOfDay"/> means the policy's default reminder time.
/// </summary>
public sealed record ReminderSpec(ReminderKind Kind, int Days, LocalTime? TimeOfDay = null)
{
    /// <summary>True for a rykker (after the deadline).</summary>
    public bool IsRykker => Kind == ReminderKind.WorkingDaysAfter;

    public static ReminderSpec WorkingDaysBefore(int days, LocalTime? at = null) => new(ReminderKind.WorkingDaysBefore, days, at);

    public static ReminderSpec DaysBefore(int days, LocalTime? at = null) => new(ReminderKind.DaysBefore, days, at);

    /// <summary>A rykker N working days after the deadline.</summary>
    public static ReminderSpec WorkingDaysAfter(int days, LocalTime? at = null) => new(ReminderKind.WorkingDaysAfter, days, at);
}
