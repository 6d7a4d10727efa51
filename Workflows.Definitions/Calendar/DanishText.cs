using System.Globalization;
using NodaTime;
using NodaTime.Calendars;

namespace Workflows.Definitions.Calendar;

/// <summary>
/// Danish date and time text for people, as in the source documents: "torsdag den 31. oktober 2019 kl. 12.00".
/// </summary>
/// <remarks>
/// The names are written out here rather than taken from the da-DK culture, so the text is the same on
/// every machine (ICU versions and invariant-globalization hosts differ).
/// </remarks>
public static class DanishText
{
    private static readonly string[] WeekdayNames = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];

    private static readonly string[] MonthNames =
        ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];

    /// <summary>"torsdag den 31. oktober 2019 kl. 12.00" (seconds are not shown).</summary>
    public static string DateTime(LocalDateTime value) => $"{Date(value.Date)} {Time(value.TimeOfDay)}";

    /// <summary>"fredag den 7. februar 2020".</summary>
    public static string Date(LocalDate value) => $"{Weekday(value.DayOfWeek)} den {DayMonthYear(value)}";

    /// <summary>"7. februar 2020", without the weekday.</summary>
    public static string DayMonthYear(LocalDate value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.Day}. {MonthNames[value.Month - 1]} {value.Year}");

    /// <summary>"kl. 12.00", "kl. 8.30": Danish writes the hour without a leading zero and a dot before the minutes.</summary>
    public static string Time(LocalTime value) =>
        string.Create(CultureInfo.InvariantCulture, $"kl. {value.Hour}.{value.Minute:00}");

    /// <summary>"uge 12": the ISO week number of the date, as Danish calendars show it.</summary>
    public static string Week(LocalDate value) =>
        string.Create(CultureInfo.InvariantCulture, $"uge {WeekYearRules.Iso.GetWeekOfWeekYear(value)}");

    /// <summary>"mandag" … "søndag".</summary>
    public static string Weekday(IsoDayOfWeek day) =>
        day is >= IsoDayOfWeek.Monday and <= IsoDayOfWeek.Sunday
            ? WeekdayNames[(int)day - 1]
            : throw new ArgumentOutOfRangeException(nameof(day), day, "Not a day of the week.");

    /// <summary>"januar" … "december".</summary>
    public static string Month(int month) =>
        month is >= 1 and <= 12 ? MonthNames[month - 1] : throw new ArgumentOutOfRangeException(nameof(month), month, "Not a month.");

    /// <summary>A period in words: "4 uger", "1 måned og 2 dage", "30 dage". Time units are ignored.</summary>
    public static string Period(Period value)
    {
        var parts = new List<string>();
        Add(value.Years, "år", "år");
        Add(value.Months, "måned", "måneder");
        Add(value.Weeks, "uge", "uger");
        Add(value.Days, "dag", "dage");
        return parts.Count switch
        {
            0 => "0 dage",
            1 => parts[0],
            _ => $"{string.Join(", ", parts.Take(parts.Count - 1))} og {parts[^1]}",
        };

        void Add(int amount, string one, string many)
        {
            if (amount != 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{amount} {(Math.Abs(amount) == 1 ? one : many)}"));
            }
        }
    }
}
