using NodaTime;

namespace Workflows.Definitions.Calendar;

/// <summary>
/// How a deadline is stated in a definition or by a person, before it is resolved to an instant by
/// <see cref="DeadlineCalculator"/>. A missing <see cref="TimeOfDay"/> means the policy's default time
/// (end of the day unless configured otherwise).
/// </summary>
public abstract record DeadlineSpec
{
    private DeadlineSpec()
    {
    }

    /// <summary>The local time of day of the deadline, or null for the policy default.</summary>
    public abstract LocalTime? TimeOfDay { get; init; }

    /// <summary>True when the deadline counts from the moment of sending.</summary>
    public bool IsRelative => this is WorkingDaysAfter or DaysAfter or WeeksAfter;

    /// <summary>An absolute deadline: "senest torsdag den 31. oktober 2019 kl. 12.00". Kept as stated, even on a holiday.</summary>
    public sealed record At(LocalDate Date, LocalTime? TimeOfDay = null) : DeadlineSpec;

    /// <summary>N working days after the local date of sending (N ≥ 0); always lands on a working day.</summary>
    public sealed record WorkingDaysAfter(int Days, LocalTime? TimeOfDay = null) : DeadlineSpec;

    /// <summary>N calendar days after the local date of sending (N ≥ 0); moved forward to a working day.</summary>
    public sealed record DaysAfter(int Days, LocalTime? TimeOfDay = null) : DeadlineSpec;

    /// <summary>N weeks after the local date of sending (N ≥ 0); moved forward to a working day.</summary>
    public sealed record WeeksAfter(int Weeks, LocalTime? TimeOfDay = null) : DeadlineSpec;

    /// <summary>
    /// An ISO week ("uge 12" of <paramref name="Year"/>): the given <paramref name="Day"/> of that week, or
    /// the week's last working day when no day is given.
    /// </summary>
    public sealed record IsoWeek(int Year, int Week, IsoDayOfWeek? Day = null, LocalTime? TimeOfDay = null) : DeadlineSpec;
}
