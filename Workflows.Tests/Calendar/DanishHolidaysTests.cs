using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;

namespace Workflows.Tests.Calendar;

public class DanishHolidaysTests
{
    /// <summary>
    /// An independent table: the movable helligdage for 2000–2040, written out from published Easter
    /// dates (and checked against python-dateutil's easter(), not against our algorithm). Columns:
    /// year, skærtorsdag, langfredag, påskedag, 2. påskedag, store bededag (null from 2024),
    /// Kristi himmelfartsdag, pinsedag, 2. pinsedag. Nytårsdag, juledag and 2. juledag are fixed.
    /// </summary>
    public static TheoryData<int, string, string, string, string, string?, string, string, string> Table => new()
    {
        { 2000, "04-20", "04-21", "04-23", "04-24", "05-19", "06-01", "06-11", "06-12" },
        { 2001, "04-12", "04-13", "04-15", "04-16", "05-11", "05-24", "06-03", "06-04" },
        { 2002, "03-28", "03-29", "03-31", "04-01", "04-26", "05-09", "05-19", "05-20" },
        { 2003, "04-17", "04-18", "04-20", "04-21", "05-16", "05-29", "06-08", "06-09" },
        { 2004, "04-08", "04-09", "04-11", "04-12", "05-07", "05-20", "05-30", "05-31" },
        { 2005, "03-24", "03-25", "03-27", "03-28", "04-22", "05-05", "05-15", "05-16" },
        { 2006, "04-13", "04-14", "04-16", "04-17", "05-12", "05-25", "06-04", "06-05" },
        { 2007, "04-05", "04-06", "04-08", "04-09", "05-04", "05-17", "05-27", "05-28" },
        { 2008, "03-20", "03-21", "03-23", "03-24", "04-18", "05-01", "05-11", "05-12" },
        { 2009, "04-09", "04-10", "04-12", "04-13", "05-08", "05-21", "05-31", "06-01" },
        { 2010, "04-01", "04-02", "04-04", "04-05", "04-30", "05-13", "05-23", "05-24" },
        { 2011, "04-21", "04-22", "04-24", "04-25", "05-20", "06-02", "06-12", "06-13" },
        { 2012, "04-05", "04-06", "04-08", "04-09", "05-04", "05-17", "05-27", "05-28" },
        { 2013, "03-28", "03-29", "03-31", "04-01", "04-26", "05-09", "05-19", "05-20" },
        { 2014, "04-17", "04-18", "04-20", "04-21", "05-16", "05-29", "06-08", "06-09" },
        { 2015, "04-02", "04-03", "04-05", "04-06", "05-01", "05-14", "05-24", "05-25" },
        { 2016, "03-24", "03-25", "03-27", "03-28", "04-22", "05-05", "05-15", "05-16" },
        { 2017, "04-13", "04-14", "04-16", "04-17", "05-12", "05-25", "06-04", "06-05" },
        { 2018, "03-29", "03-30", "04-01", "04-02", "04-27", "05-10", "05-20", "05-21" },
        { 2019, "04-18", "04-19", "04-21", "04-22", "05-17", "05-30", "06-09", "06-10" },
        { 2020, "04-09", "04-10", "04-12", "04-13", "05-08", "05-21", "05-31", "06-01" },
        { 2021, "04-01", "04-02", "04-04", "04-05", "04-30", "05-13", "05-23", "05-24" },
        { 2022, "04-14", "04-15", "04-17", "04-18", "05-13", "05-26", "06-05", "06-06" },
        { 2023, "04-06", "04-07", "04-09", "04-10", "05-05", "05-18", "05-28", "05-29" },
        { 2024, "03-28", "03-29", "03-31", "04-01", null, "05-09", "05-19", "05-20" },
        { 2025, "04-17", "04-18", "04-20", "04-21", null, "05-29", "06-08", "06-09" },
        { 2026, "04-02", "04-03", "04-05", "04-06", null, "05-14", "05-24", "05-25" },
        { 2027, "03-25", "03-26", "03-28", "03-29", null, "05-06", "05-16", "05-17" },
        { 2028, "04-13", "04-14", "04-16", "04-17", null, "05-25", "06-04", "06-05" },
        { 2029, "03-29", "03-30", "04-01", "04-02", null, "05-10", "05-20", "05-21" },
        { 2030, "04-18", "04-19", "04-21", "04-22", null, "05-30", "06-09", "06-10" },
        { 2031, "04-10", "04-11", "04-13", "04-14", null, "05-22", "06-01", "06-02" },
        { 2032, "03-25", "03-26", "03-28", "03-29", null, "05-06", "05-16", "05-17" },
        { 2033, "04-14", "04-15", "04-17", "04-18", null, "05-26", "06-05", "06-06" },
        { 2034, "04-06", "04-07", "04-09", "04-10", null, "05-18", "05-28", "05-29" },
        { 2035, "03-22", "03-23", "03-25", "03-26", null, "05-03", "05-13", "05-14" },
        { 2036, "04-10", "04-11", "04-13", "04-14", null, "05-22", "06-01", "06-02" },
        { 2037, "04-02", "04-03", "04-05", "04-06", null, "05-14", "05-24", "05-25" },
        { 2038, "04-22", "04-23", "04-25", "04-26", null, "06-03", "06-13", "06-14" },
        { 2039, "04-07", "04-08", "04-10", "04-11", null, "05-19", "05-29", "05-30" },
        { 2040, "03-29", "03-30", "04-01", "04-02", null, "05-10", "05-20", "05-21" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void For_EveryYear2000To2040_MatchesPublishedTable(
        int year, string maundyThursday, string goodFriday, string easterSunday, string easterMonday,
        string? prayerDay, string ascension, string whitSunday, string whitMonday)
    {
        var expected = new List<(LocalDate, string)>
        {
            (Date(year, "01-01"), "Nytårsdag"),
            (Date(year, maundyThursday), "Skærtorsdag"),
            (Date(year, goodFriday), "Langfredag"),
            (Date(year, easterSunday), "Påskedag"),
            (Date(year, easterMonday), "2. påskedag"),
        };
        if (prayerDay is not null)
        {
            expected.Add((Date(year, prayerDay), "Store bededag"));
        }

        expected.Add((Date(year, ascension), "Kristi himmelfartsdag"));
        expected.Add((Date(year, whitSunday), "Pinsedag"));
        expected.Add((Date(year, whitMonday), "2. pinsedag"));
        expected.Add((Date(year, "12-25"), "Juledag"));
        expected.Add((Date(year, "12-26"), "2. juledag"));

        var actual = DanishHolidays.For(year);

        Assert.Equal(expected, actual.Select(h => (h.Date, h.Name)));
        Assert.All(actual, h => Assert.Equal(HolidayKind.Official, h.Kind));
        Assert.Equal(Date(year, easterSunday), DanishHolidays.EasterSunday(year));
    }

    [Fact]
    public void For_2023_IncludesStoreBededagOn5May()
    {
        var holiday = Assert.Single(DanishHolidays.For(2023), h => h.Name == "Store bededag");

        Assert.Equal(new LocalDate(2023, 5, 5), holiday.Date);
    }

    [Fact]
    public void For_2024AndLater_HasNoStoreBededag()
    {
        Assert.DoesNotContain(DanishHolidays.For(2024), h => h.Name == "Store bededag");
        Assert.Equal(10, DanishHolidays.For(2024).Count);
        Assert.Equal(11, DanishHolidays.For(2023).Count);
        Assert.True(WorkingDayCalendar.OfficialOnly.IsWorkingDay(new LocalDate(2024, 4, 26)));
        Assert.False(WorkingDayCalendar.OfficialOnly.IsWorkingDay(new LocalDate(2023, 5, 5)));
    }

    [Theory]
    [InlineData(2019, 4, 21)]
    [InlineData(1818, 3, 22)] // the earliest possible Easter
    [InlineData(1943, 4, 25)] // the latest possible Easter
    [InlineData(2285, 3, 22)]
    public void EasterSunday_KnownYears_ReturnsPublishedDate(int year, int month, int day)
    {
        Assert.Equal(new LocalDate(year, month, day), DanishHolidays.EasterSunday(year));
    }

    [Fact]
    public void EasterSunday_ManyYears_IsAlwaysASundayBetween22MarchAnd25April()
    {
        for (var year = DanishHolidays.MinYear; year <= DanishHolidays.MaxYear; year++)
        {
            var easter = DanishHolidays.EasterSunday(year);
            Assert.Equal(IsoDayOfWeek.Sunday, easter.DayOfWeek);
            Assert.InRange(easter, new LocalDate(year, 3, 22), new LocalDate(year, 4, 25));
        }
    }

    [Theory]
    [InlineData(1699)]
    [InlineData(10000)]
    public void For_YearOutsideRange_Throws(int year)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DanishHolidays.For(year));
    }

    private static LocalDate Date(int year, string monthDay) =>
        LocalDatePattern.Iso.Parse(string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{monthDay}")).GetValueOrThrow();
}
