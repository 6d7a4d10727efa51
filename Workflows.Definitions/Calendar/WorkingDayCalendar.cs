using System.Collections.Concurrent;
using NodaTime;

namespace Workflows.Definitions.Calendar;

/// <summary>
/// Danish working days: Monday to Friday, except the official helligdage and the configured closing days.
/// </summary>
/// <remarks>
/// Immutable and thread-safe; one instance is shared by the whole application. Each year's table is
/// computed once and cached.
/// </remarks>
public sealed class WorkingDayCalendar
{
    private readonly ConcurrentDictionary<int, YearTable> years = new();

    /// <param name="closingDays">Days the organisation does not work on besides the helligdage; none when null.</param>
    public WorkingDayCalendar(IEnumerable<ClosingDayRule>? closingDays = null)
    {
        ClosingDays = (closingDays ?? []).ToArray().AsReadOnly();
    }

    /// <summary>Only weekends and the official helligdage are non-working.</summary>
    public static WorkingDayCalendar OfficialOnly { get; } = new();

    /// <summary>The configured closing days, in configuration order.</summary>
    public IReadOnlyList<ClosingDayRule> ClosingDays { get; }

    /// <summary>True on Monday to Friday unless the day is a helligdag or a closing day.</summary>
    public bool IsWorkingDay(LocalDate date) =>
        date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && HolidayOn(date) is null;

    /// <summary>
    /// The helligdag or closing day on <paramref name="date"/>, or null. An official helligdag wins when a
    /// closing day falls on the same date.
    /// </summary>
    public Holiday? HolidayOn(LocalDate date) => Table(date.Year).ByDate.GetValueOrDefault(date);

    /// <summary>
    /// The helligdage of <paramref name="year"/> in date order, and (unless excluded) the closing days that
    /// do not coincide with a helligdag.
    /// </summary>
    public IReadOnlyList<Holiday> HolidaysIn(int year, bool includeClosingDays = true)
    {
        var table = Table(year);
        return includeClosingDays ? table.All : table.Official;
    }

    /// <summary>
    /// Counts <paramref name="days"/> working days from <paramref name="date"/>: forward when positive,
    /// backward when negative. The start date itself is never counted, so +1 is the next working day
    /// and −1 the previous one.
    /// </summary>
    /// <remarks>
    /// 0 returns <paramref name="date"/> when it is a working day and otherwise the next working day, so
    /// the result is always a working day ("0 working days after sending" on a Saturday is Monday).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The result would leave the supported years.</exception>
    public LocalDate AddWorkingDays(LocalDate date, int days)
    {
        if (days == 0)
        {
            return WorkingDayOnOrAfter(date);
        }

        var step = days > 0 ? 1 : -1;
        var remaining = Math.Abs((long)days);
        var current = date;
        while (remaining > 0)
        {
            current = current.PlusDays(step);
            if (IsWorkingDay(current))
            {
                remaining--;
            }
        }

        return current;
    }

    /// <summary><paramref name="date"/> if it is a working day, otherwise the first working day after it.</summary>
    public LocalDate WorkingDayOnOrAfter(LocalDate date)
    {
        var current = date;
        while (!IsWorkingDay(current))
        {
            current = current.PlusDays(1);
        }

        return current;
    }

    /// <summary><paramref name="date"/> if it is a working day, otherwise the last working day before it.</summary>
    public LocalDate WorkingDayOnOrBefore(LocalDate date)
    {
        var current = date;
        while (!IsWorkingDay(current))
        {
            current = current.PlusDays(-1);
        }

        return current;
    }

    /// <summary>
    /// The number of working days after <paramref name="from"/> up to and including <paramref name="to"/>;
    /// when <paramref name="to"/> is earlier, minus the working days from <paramref name="to"/> up to (not
    /// including) <paramref name="from"/>. So <c>AddWorkingDays(from, CountWorkingDays(from, to)) == to</c>
    /// for any working day <c>to</c> other than <paramref name="from"/>.
    /// </summary>
    public int CountWorkingDays(LocalDate from, LocalDate to)
    {
        var (first, last, sign) = to >= from ? (from.PlusDays(1), to, 1) : (to, from.PlusDays(-1), -1);
        var count = 0;
        for (var current = first; current <= last; current = current.PlusDays(1))
        {
            if (IsWorkingDay(current))
            {
                count++;
            }
        }

        return sign * count;
    }

    /// <summary>
    /// The working days of ISO week <paramref name="week"/> of <paramref name="weekYear"/> ("uge 12 2022" is
    /// Monday 21 to Friday 25 March 2022), in date order; empty when every day of the week is closed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The week does not exist in that week-year.</exception>
    public IReadOnlyList<LocalDate> WorkingDaysInIsoWeek(int weekYear, int week)
    {
        var monday = LocalDate.FromWeekYearWeekAndDay(weekYear, week, IsoDayOfWeek.Monday);
        return Enumerable.Range(0, 7).Select(monday.PlusDays).Where(IsWorkingDay).ToArray().AsReadOnly();
    }

    private YearTable Table(int year) => years.GetOrAdd(year, y => new YearTable(y, ClosingDays));

    private sealed class YearTable
    {
        public YearTable(int year, IReadOnlyList<ClosingDayRule> closingDays)
        {
            Official = DanishHolidays.For(year);
            var byDate = Official.ToDictionary(h => h.Date);
            foreach (var rule in closingDays)
            {
                // First come, first served: a helligdag or an earlier rule keeps its name on a shared date.
                if (rule.In(year) is { } closingDay)
                {
                    byDate.TryAdd(closingDay.Date, closingDay);
                }
            }

            ByDate = byDate;
            All = byDate.Values.OrderBy(h => h.Date).ToArray().AsReadOnly();
        }

        public IReadOnlyList<Holiday> Official { get; }

        public IReadOnlyList<Holiday> All { get; }

        public Dictionary<LocalDate, Holiday> ByDate { get; }
    }
}
