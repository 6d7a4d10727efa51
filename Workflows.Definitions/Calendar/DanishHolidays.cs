using System.Collections.Concurrent;
using NodaTime;

namespace Workflows.Definitions.Calendar;

/// <summary>
/// The official Danish helligdage, computed from Easter for any supported year.
/// </summary>
/// <remarks>
/// Today's set of helligdage is applied to every year, with one versioned change: store bededag is a
/// helligdag up to and including <see cref="LastYearWithStoreBededag"/> (it was abolished from 2024).
/// Grundlovsdag, juleaftensdag and nytårsaftensdag are not helligdage; they are closing days
/// (<see cref="ClosingDayRule"/>). Thread-safe: results are cached per year and never change.
/// </remarks>
public static class DanishHolidays
{
    /// <summary>Denmark switched to the Gregorian calendar in 1700; earlier Gregorian dates are not Danish dates.</summary>
    public const int MinYear = 1700;

    /// <summary>The last year <see cref="LocalDate"/> can represent.</summary>
    public const int MaxYear = 9999;

    /// <summary>Store bededag was abolished as a helligdag by an act of 2023, with effect from 2024; 2023 is its last year.</summary>
    public const int LastYearWithStoreBededag = 2023;

    private static readonly ConcurrentDictionary<int, IReadOnlyList<Holiday>> Cache = new();

    /// <summary>The official helligdage of <paramref name="year"/>, in date order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside <see cref="MinYear"/>..<see cref="MaxYear"/>.</exception>
    public static IReadOnlyList<Holiday> For(int year)
    {
        CheckYear(year);
        return Cache.GetOrAdd(year, Compute);
    }

    /// <summary>Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm of Meeus/Jones/Butcher).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside <see cref="MinYear"/>..<see cref="MaxYear"/>.</exception>
    public static LocalDate EasterSunday(int year)
    {
        CheckYear(year);
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new LocalDate(year, month, day);
    }

    internal static void CheckYear(int year)
    {
        if (year is < MinYear or > MaxYear)
        {
            throw new ArgumentOutOfRangeException(
                nameof(year), year, $"The Danish calendar covers the years {MinYear}–{MaxYear}.");
        }
    }

    private static IReadOnlyList<Holiday> Compute(int year)
    {
        var easter = EasterSunday(year);
        var holidays = new List<Holiday>(11)
        {
            Official(new LocalDate(year, 1, 1), "Nytårsdag"),
            Official(easter.PlusDays(-3), "Skærtorsdag"),
            Official(easter.PlusDays(-2), "Langfredag"),
            Official(easter, "Påskedag"),
            Official(easter.PlusDays(1), "2. påskedag"),
        };
        if (year <= LastYearWithStoreBededag)
        {
            // The fourth Friday after Easter.
            holidays.Add(Official(easter.PlusDays(26), "Store bededag"));
        }

        holidays.Add(Official(easter.PlusDays(39), "Kristi himmelfartsdag"));
        holidays.Add(Official(easter.PlusDays(49), "Pinsedag"));
        holidays.Add(Official(easter.PlusDays(50), "2. pinsedag"));
        holidays.Add(Official(new LocalDate(year, 12, 25), "Juledag"));
        holidays.Add(Official(new LocalDate(year, 12, 26), "2. juledag"));
        return holidays.AsReadOnly();
    }

    private static Holiday Official(LocalDate date, string name) => new(date, name, HolidayKind.Official);
}
