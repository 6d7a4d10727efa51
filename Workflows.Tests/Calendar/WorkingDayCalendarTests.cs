using NodaTime;
using Workflows.Definitions.Calendar;

namespace Workflows.Tests.Calendar;

public class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Official = WorkingDayCalendar.OfficialOnly;

    private static readonly WorkingDayCalendar WithClosingDays = new(
    [
        ClosingDayRule.ConstitutionDay,
        ClosingDayRule.ChristmasEve,
        ClosingDayRule.NewYearsEve,
        ClosingDayRule.DayAfterAscension,
    ]);

    [Theory]
    // Easter 2022: skærtorsdag 14/4 to 2. påskedag 18/4.
    [InlineData("2022-04-13", 1, "2022-04-19")]
    [InlineData("2022-04-19", -1, "2022-04-13")]
    [InlineData("2022-04-08", 5, "2022-04-20")]
    [InlineData("2022-04-20", -5, "2022-04-08")]
    [InlineData("2022-04-16", 1, "2022-04-19")]
    // Store bededag 13/5/2022 and Kristi himmelfart 26/5/2022 (the Friday after is a working day without closing days).
    [InlineData("2022-05-12", 1, "2022-05-16")]
    [InlineData("2022-05-25", 1, "2022-05-27")]
    [InlineData("2022-05-30", -2, "2022-05-25")]
    // Store bededag is gone from 2024: Friday 26/4/2024 is a working day.
    [InlineData("2024-04-25", 1, "2024-04-26")]
    // Pinse 2022: 5–6 June.
    [InlineData("2022-06-03", 1, "2022-06-07")]
    [InlineData("2022-06-07", -1, "2022-06-03")]
    // Grundlovsdag is not a helligdag.
    [InlineData("2024-06-04", 1, "2024-06-05")]
    // Christmas and New Year 2019/2020, across the year boundary.
    [InlineData("2019-12-23", 1, "2019-12-24")]
    [InlineData("2019-12-23", 2, "2019-12-27")]
    [InlineData("2019-12-23", 5, "2020-01-02")]
    [InlineData("2020-01-02", -5, "2019-12-23")]
    [InlineData("2021-01-04", -1, "2020-12-31")]
    // Weekends.
    [InlineData("2019-11-23", 1, "2019-11-25")]
    [InlineData("2019-11-24", -1, "2019-11-22")]
    [InlineData("2019-10-25", 10, "2019-11-08")]
    public void AddWorkingDays_OfficialHolidays_SkipsWeekendsAndHelligdage(string start, int days, string expected)
    {
        Assert.Equal(Date(expected), Official.AddWorkingDays(Date(start), days));
    }

    [Theory]
    [InlineData("2022-05-25", 1, "2022-05-30")] // fredag efter Kristi himmelfart closed
    [InlineData("2024-06-04", 1, "2024-06-06")] // grundlovsdag closed
    [InlineData("2019-12-23", 1, "2019-12-27")] // 24/12 closed
    [InlineData("2019-12-23", 3, "2020-01-02")] // 24/12 and 31/12 closed
    [InlineData("2020-01-02", -3, "2019-12-23")]
    public void AddWorkingDays_WithClosingDays_SkipsThemToo(string start, int days, string expected)
    {
        Assert.Equal(Date(expected), WithClosingDays.AddWorkingDays(Date(start), days));
    }

    [Theory]
    [InlineData("2022-04-13", "2022-04-13")] // a working day stays
    [InlineData("2022-04-16", "2022-04-19")] // Saturday before påskedag and 2. påskedag
    [InlineData("2019-11-24", "2019-11-25")]
    public void AddWorkingDays_Zero_ReturnsTheDateOrTheNextWorkingDay(string start, string expected)
    {
        Assert.Equal(Date(expected), Official.AddWorkingDays(Date(start), 0));
    }

    [Fact]
    public void AddWorkingDays_ManyStartsAndCounts_LandsOnWorkingDayAndRoundTrips()
    {
        for (var start = new LocalDate(2019, 12, 1); start < new LocalDate(2020, 2, 1); start = start.PlusDays(1))
        {
            foreach (var days in new[] { -260, -23, -5, -1, 1, 4, 17, 260 })
            {
                var result = WithClosingDays.AddWorkingDays(start, days);

                Assert.True(WithClosingDays.IsWorkingDay(result));
                Assert.Equal(days, WithClosingDays.CountWorkingDays(start, result));
                if (WithClosingDays.IsWorkingDay(start))
                {
                    Assert.Equal(start, WithClosingDays.AddWorkingDays(result, -days));
                }
            }
        }
    }

    [Fact]
    public void CountWorkingDays_Year2025_Is253()
    {
        // 2025 has 261 weekdays; 8 helligdage fall on them: nytårsdag, skærtorsdag, langfredag,
        // 2. påskedag, Kristi himmelfartsdag, 2. pinsedag, juledag and 2. juledag.
        Assert.Equal(253, Official.CountWorkingDays(new LocalDate(2024, 12, 31), new LocalDate(2025, 12, 31)));
    }

    [Theory]
    [InlineData("2022-04-18", false)]
    [InlineData("2022-04-19", true)]
    [InlineData("2019-11-24", false)]
    [InlineData("2023-05-05", false)]
    [InlineData("2024-04-26", true)]
    [InlineData("2024-06-05", true)]
    public void IsWorkingDay_OfficialOnly_KnowsHelligdageAndWeekends(string date, bool expected)
    {
        Assert.Equal(expected, Official.IsWorkingDay(Date(date)));
    }

    [Fact]
    public void WorkingDaysInIsoWeek_Week12Of2022_IsMonday21ToFriday25March()
    {
        var days = Official.WorkingDaysInIsoWeek(2022, 12);

        Assert.Equal([Date("2022-03-21"), Date("2022-03-22"), Date("2022-03-23"), Date("2022-03-24"), Date("2022-03-25")], days);
    }

    [Fact]
    public void WorkingDaysInIsoWeek_EasterWeek_LeavesOutHelligdage()
    {
        Assert.Equal([Date("2022-04-11"), Date("2022-04-12"), Date("2022-04-13")], Official.WorkingDaysInIsoWeek(2022, 15));
    }

    [Fact]
    public void HolidayOn_ClosingDay_ReturnsItWithClosingDayKind()
    {
        var holiday = WithClosingDays.HolidayOn(new LocalDate(2024, 6, 5));

        Assert.Equal(new Holiday(new LocalDate(2024, 6, 5), "Grundlovsdag", HolidayKind.ClosingDay), holiday);
        Assert.Null(Official.HolidayOn(new LocalDate(2024, 6, 5)));
    }

    [Fact]
    public void HolidayOn_ClosingDayOnAHelligdag_ReturnsTheHelligdag()
    {
        // Grundlovsdag 2022 was pinsedag.
        var holiday = WithClosingDays.HolidayOn(new LocalDate(2022, 6, 5));

        Assert.Equal(new Holiday(new LocalDate(2022, 6, 5), "Pinsedag", HolidayKind.Official), holiday);
    }

    [Fact]
    public void HolidaysIn_WithClosingDays_AddsThemInDateOrderAndKeepsOfficialListUnchanged()
    {
        var all = WithClosingDays.HolidaysIn(2024);
        var official = WithClosingDays.HolidaysIn(2024, includeClosingDays: false);

        Assert.Equal(DanishHolidays.For(2024), official);
        Assert.Equal(14, all.Count);
        Assert.Equal(all.OrderBy(h => h.Date), all);
        Assert.Equal(
            [
                new Holiday(new LocalDate(2024, 5, 10), "Fredag efter Kristi himmelfartsdag", HolidayKind.ClosingDay),
                new Holiday(new LocalDate(2024, 6, 5), "Grundlovsdag", HolidayKind.ClosingDay),
                new Holiday(new LocalDate(2024, 12, 24), "Juleaftensdag", HolidayKind.ClosingDay),
                new Holiday(new LocalDate(2024, 12, 31), "Nytårsaftensdag", HolidayKind.ClosingDay),
            ],
            all.Where(h => h.Kind == HolidayKind.ClosingDay));
        Assert.Equal(10, DanishHolidays.For(2024).Count);
    }

    [Fact]
    public void HolidaysIn_ClosingDayOnHelligdag_ListsTheDateOnce()
    {
        var all = WithClosingDays.HolidaysIn(2022);

        Assert.Single(all, h => h.Date == new LocalDate(2022, 6, 5));
    }

    [Fact]
    public void ClosingDayRule_SpecificDate_AppliesOnlyInItsYear()
    {
        var calendar = new WorkingDayCalendar([ClosingDayRule.OnDate("Flyttedag", new LocalDate(2025, 9, 12))]);

        Assert.False(calendar.IsWorkingDay(new LocalDate(2025, 9, 12)));
        Assert.True(calendar.IsWorkingDay(new LocalDate(2024, 9, 12)));
        Assert.Equal("Flyttedag", calendar.HolidayOn(new LocalDate(2025, 9, 12))?.Name);
    }

    [Fact]
    public void ClosingDayRule_LeapDay_AppliesOnlyInLeapYears()
    {
        var rule = ClosingDayRule.Annual("Skuddag", 2, 29);

        Assert.Equal(new LocalDate(2024, 2, 29), rule.DateIn(2024));
        Assert.Null(rule.DateIn(2025));
    }

    [Fact]
    public void ClosingDayRule_Presets_AreCaseInsensitive()
    {
        Assert.Same(ClosingDayRule.ConstitutionDay, ClosingDayRule.Presets["Grundlovsdag"]);
        Assert.Same(ClosingDayRule.DayAfterAscension, ClosingDayRule.Presets["dagefterkristihimmelfart"]);
        Assert.Same(ClosingDayRule.NewYearsEve, ClosingDayRule.Presets["nytårsaftensdag"]);
    }

    [Fact]
    public void ClosingDayRule_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => ClosingDayRule.Annual(" ", 6, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClosingDayRule.Annual("x", 2, 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClosingDayRule.RelativeToEaster("x", 300));
    }

    internal static LocalDate Date(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();
}
