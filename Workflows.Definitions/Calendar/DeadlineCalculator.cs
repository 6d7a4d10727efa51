using System.Globalization;
using NodaTime;
using NodaTime.Calendars;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace Workflows.Definitions.Calendar;

/// <summary>
/// Resolves deadline and reminder specifications to instants in one time zone, with Danish warnings
/// for anything a process owner should check. Pure and thread-safe; the clock is the caller's business
/// (pass the instant of sending).
/// </summary>
/// <remarks>
/// Local times are mapped leniently, never with an exception: a time in the spring DST gap is shifted
/// forward by the length of the gap (02:30 on the last Sunday of March becomes 03:30 CEST), and an
/// ambiguous autumn time takes the earlier of its two instants (the summer-time one, +02:00). Both
/// cases add a warning.
/// </remarks>
public sealed class DeadlineCalculator(WorkingDayCalendar calendar, DateTimeZone zone, CalendarPolicy? policy = null)
{
    private static readonly OffsetPattern OffsetText = OffsetPattern.CreateWithInvariantCulture("+HH:mm");

    public WorkingDayCalendar Calendar { get; } = calendar;

    /// <summary>The zone deadlines are stated in (Europe/Copenhagen unless configured otherwise).</summary>
    public DateTimeZone Zone { get; } = zone;

    public CalendarPolicy Policy { get; } = policy ?? CalendarPolicy.Default;

    /// <summary>
    /// This calculator without the minimum hearing period: for dates that are not hearing deadlines (a wait, a
    /// meeting), where a short span is no reason to warn.
    /// </summary>
    public DeadlineCalculator WithoutHearingMinimum() =>
        Policy.MinimumHearingPeriod is null ? this : new DeadlineCalculator(Calendar, Zone, Policy with { MinimumHearingPeriod = null });

    /// <summary>
    /// Resolves <paramref name="spec"/> for material sent at <paramref name="sentAt"/>. Relative specs count
    /// from the local date of <paramref name="sentAt"/> in <see cref="Zone"/>; the result also warns when
    /// the deadline is not after the sending or the hearing is shorter than the policy minimum.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or a week does not exist (definitions are validated by <see cref="DeadlineJson"/> first).</exception>
    public Deadline Resolve(DeadlineSpec spec, Instant sentAt) => ResolveCore(spec, sentAt);

    /// <summary>Resolves an absolute spec (<see cref="DeadlineSpec.At"/> or <see cref="DeadlineSpec.IsoWeek"/>) with no sending to compare with.</summary>
    /// <exception cref="ArgumentException">The spec is relative and needs the instant of sending.</exception>
    public Deadline Resolve(DeadlineSpec spec) =>
        spec.IsRelative
            ? throw new ArgumentException("A relative deadline needs the instant of sending.", nameof(spec))
            : ResolveCore(spec, null);

    /// <summary>
    /// The instant to send <paramref name="reminder"/> for <paramref name="deadline"/>, counted from the
    /// deadline's local date. "Before" offsets always land on a working day on or before the counted date
    /// (a reminder is never moved later, towards the deadline); a rykker lands on a working day after it.
    /// </summary>
    /// <remarks>
    /// The result may be at or after the deadline (e.g. 0 working days before at 9:00 for a deadline at
    /// 8:00); the caller decides whether such a reminder is still sent.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative, or zero for a rykker.</exception>
    public Instant ResolveReminder(ReminderSpec reminder, Deadline deadline)
    {
        // Count from the date people were promised, in the zone it was promised in.
        var deadlineDate = deadline.Local.Date;
        var date = reminder.Kind switch
        {
            // 0 working days before a deadline on a holiday is the working day before it, never after.
            ReminderKind.WorkingDaysBefore when reminder.Days == 0 => Calendar.WorkingDayOnOrBefore(deadlineDate),
            ReminderKind.WorkingDaysBefore => Calendar.AddWorkingDays(deadlineDate, -NonNegative(reminder.Days, nameof(reminder))),
            ReminderKind.DaysBefore =>
                Calendar.WorkingDayOnOrBefore(deadlineDate.PlusDays(-NonNegative(reminder.Days, nameof(reminder)))),
            ReminderKind.WorkingDaysAfter when reminder.Days >= 1 => Calendar.AddWorkingDays(deadlineDate, reminder.Days),
            ReminderKind.WorkingDaysAfter =>
                throw new ArgumentOutOfRangeException(nameof(reminder), reminder.Days, "A rykker comes at least 1 working day after the deadline."),
            _ => throw new ArgumentOutOfRangeException(nameof(reminder), reminder.Kind, "Unknown reminder kind."),
        };
        var local = date.At(reminder.TimeOfDay ?? Policy.DefaultReminderTimeOfDay);
        return local.InZone(deadline.Zone, Resolvers.LenientResolver).ToInstant();
    }

    /// <summary>The UTC offset as "+01:00", as the API shows it.</summary>
    public static string FormatOffset(Offset offset) => OffsetText.Format(offset);

    private Deadline ResolveCore(DeadlineSpec spec, Instant? sentAt)
    {
        var warnings = new List<string>();
        var sentOn = sentAt?.InZone(Zone).Date;
        var date = spec switch
        {
            DeadlineSpec.At at => Stated(at.Date, warnings),
            DeadlineSpec.WorkingDaysAfter w => Calendar.AddWorkingDays(sentOn!.Value, NonNegative(w.Days, nameof(spec))),
            DeadlineSpec.DaysAfter d => MovedToWorkingDay(
                sentOn!.Value.PlusDays(NonNegative(d.Days, nameof(spec))),
                d.Days == 1 ? "1 dag efter afsendelsen" : Invariant($"{d.Days} dage efter afsendelsen"),
                warnings),
            DeadlineSpec.WeeksAfter w => MovedToWorkingDay(
                sentOn!.Value.PlusWeeks(NonNegative(w.Weeks, nameof(spec))),
                w.Weeks == 1 ? "1 uge efter afsendelsen" : Invariant($"{w.Weeks} uger efter afsendelsen"),
                warnings),
            DeadlineSpec.IsoWeek week => InIsoWeek(week, warnings),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, "Unknown deadline form."),
        };

        var zoned = MapLeniently(date.At(spec.TimeOfDay ?? Policy.DefaultTimeOfDay), warnings);
        var deadline = zoned.ToInstant();
        if (sentAt is { } sent && sentOn is { } start)
        {
            if (deadline <= sent)
            {
                warnings.Add($"Fristen {DanishText.DateTime(zoned.LocalDateTime)} ligger ikke efter afsendelsen {DanishText.DateTime(sent.InZone(Zone).LocalDateTime)}.");
            }
            else if (Policy.MinimumHearingPeriod is { } minimum && date < start.Plus(minimum))
            {
                var days = Period.Between(start, date, PeriodUnits.Days).Days;
                warnings.Add(
                    $"Høringsperioden fra {DanishText.Date(start)} til {DanishText.Date(date)} er {DanishText.Period(Period.FromDays(days))}, " +
                    $"kortere end mindst {DanishText.Period(minimum)}.");
            }
        }

        return new Deadline(zoned.LocalDateTime, Zone, deadline, warnings.AsReadOnly());
    }

    // A stated date is a promise to people: keep it, but say so when nobody works that day.
    private LocalDate Stated(LocalDate date, List<string> warnings)
    {
        if (!Calendar.IsWorkingDay(date))
        {
            warnings.Add($"Fristen {DanishText.DayMonthYear(date)} falder på {NonWorkingDayName(date)}, som ikke er en arbejdsdag.");
        }

        return date;
    }

    // Relative deadlines land on working days by construction; the move is reported, not silent.
    private LocalDate MovedToWorkingDay(LocalDate date, string description, List<string> warnings)
    {
        var moved = Calendar.WorkingDayOnOrAfter(date);
        if (moved != date)
        {
            warnings.Add(
                $"{description} er {DateWithHolidayName(date)}, som ikke er en arbejdsdag; " +
                $"fristen er flyttet til {DanishText.Date(moved)}.");
        }

        return moved;
    }

    private LocalDate InIsoWeek(DeadlineSpec.IsoWeek spec, List<string> warnings)
    {
        var rules = WeekYearRules.Iso;
        if (spec.Year is < DanishHolidays.MinYear or >= DanishHolidays.MaxYear
            || spec.Week < 1 || spec.Week > rules.GetWeeksInWeekYear(spec.Year))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec, "The ISO week does not exist.");
        }

        if (spec.Day is { } day and not IsoDayOfWeek.None)
        {
            return Stated(LocalDate.FromWeekYearWeekAndDay(spec.Year, spec.Week, day), warnings);
        }

        // "Uge 12" as a deadline means the end of the week's last working day (Friday, unless that is a holiday).
        var monday = LocalDate.FromWeekYearWeekAndDay(spec.Year, spec.Week, IsoDayOfWeek.Monday);
        for (var date = monday.PlusDays(6); date >= monday; date = date.PlusDays(-1))
        {
            if (Calendar.IsWorkingDay(date))
            {
                return date;
            }
        }

        var friday = monday.PlusDays(4);
        warnings.Add(Invariant($"Uge {spec.Week} {spec.Year} har ingen arbejdsdage; fristen er sat til {DanishText.Date(friday)}."));
        return friday;
    }

    private ZonedDateTime MapLeniently(LocalDateTime local, List<string> warnings)
    {
        var mapping = Zone.MapLocal(local);
        var zoned = local.InZone(Zone, Resolvers.LenientResolver);
        if (mapping.Count == 0)
        {
            warnings.Add(
                $"{Capitalized(DanishText.Time(local.TimeOfDay))} {DanishText.Date(local.Date)} findes ikke i {Zone.Id} (overgang til sommertid); " +
                $"fristen er flyttet til {DanishText.Time(zoned.TimeOfDay)}.");
        }
        else if (mapping.Count == 2)
        {
            warnings.Add(
                $"{Capitalized(DanishText.Time(local.TimeOfDay))} {DanishText.Date(local.Date)} forekommer to gange i {Zone.Id} (overgang til vintertid); " +
                $"fristen er den første, UTC{FormatOffset(zoned.Offset)}.");
        }

        return zoned;
    }

    private string NonWorkingDayName(LocalDate date) =>
        Calendar.HolidayOn(date) switch
        {
            { Kind: HolidayKind.Official } holiday => holiday.Name,
            { } closingDay => $"{closingDay.Name} (lukkedag)",
            null => $"en {DanishText.Weekday(date.DayOfWeek)}",
        };

    private string DateWithHolidayName(LocalDate date) =>
        Calendar.HolidayOn(date) is { } holiday ? $"{DanishText.Date(date)} ({holiday.Name})" : DanishText.Date(date);

    private static int NonNegative(int value, string parameter) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(parameter, value, "The count must not be negative.");

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
