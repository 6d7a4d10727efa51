using NodaTime;
using Workflows.Definitions.Calendar;

namespace Workflows.Tests.Calendar;

public class DanishTextTests
{
    [Fact]
    public void DateTime_SeedExample_MatchesDocumentStyle()
    {
        Assert.Equal("torsdag den 31. oktober 2019 kl. 12.00", DanishText.DateTime(new LocalDateTime(2019, 10, 31, 12, 0)));
    }

    [Fact]
    public void DateTime_MorningHour_HasNoLeadingZero()
    {
        Assert.Equal("onsdag den 27. april 2022 kl. 8.30", DanishText.DateTime(new LocalDateTime(2022, 4, 27, 8, 30)));
    }

    [Fact]
    public void DateTime_Seconds_AreNotShown()
    {
        Assert.Equal("fredag den 18. marts 2022 kl. 23.59", DanishText.DateTime(new LocalDateTime(2022, 3, 18, 23, 59, 59)));
    }

    [Theory]
    [InlineData(2020, 2, 7, "fredag den 7. februar 2020")]
    [InlineData(2024, 1, 1, "mandag den 1. januar 2024")]
    [InlineData(2024, 6, 4, "tirsdag den 4. juni 2024")]
    [InlineData(2024, 5, 1, "onsdag den 1. maj 2024")]
    [InlineData(2024, 8, 3, "lørdag den 3. august 2024")]
    [InlineData(2024, 9, 29, "søndag den 29. september 2024")]
    [InlineData(2019, 12, 24, "tirsdag den 24. december 2019")]
    public void Date_AnyDate_HasWeekdayAndMonthInDanish(int year, int month, int day, string expected)
    {
        Assert.Equal(expected, DanishText.Date(new LocalDate(year, month, day)));
    }

    [Theory]
    [InlineData(2022, 3, 21, "uge 12")]
    [InlineData(2021, 1, 3, "uge 53")] // ISO: 3 January 2021 belongs to week 53 of 2020
    [InlineData(2024, 12, 30, "uge 1")]
    public void Week_AnyDate_IsIsoWeekNumber(int year, int month, int day, string expected)
    {
        Assert.Equal(expected, DanishText.Week(new LocalDate(year, month, day)));
    }

    [Fact]
    public void Period_Units_AreDanishWords()
    {
        Assert.Equal("4 uger", DanishText.Period(Period.FromWeeks(4)));
        Assert.Equal("1 uge", DanishText.Period(Period.FromWeeks(1)));
        Assert.Equal("14 dage", DanishText.Period(Period.FromDays(14)));
        Assert.Equal("1 måned og 2 dage", DanishText.Period(Period.FromMonths(1) + Period.FromDays(2)));
        Assert.Equal("1 år, 3 måneder og 1 dag", DanishText.Period(Period.FromYears(1) + Period.FromMonths(3) + Period.FromDays(1)));
    }
}
