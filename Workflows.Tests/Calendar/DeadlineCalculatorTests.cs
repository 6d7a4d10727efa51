using NodaTime;
using NodaTime.Testing;
using Workflows.Definitions.Calendar;

namespace Workflows.Tests.Calendar;

public class DeadlineCalculatorTests
{
    private static readonly DateTimeZone Copenhagen = DateTimeZoneProviders.Tzdb["Europe/Copenhagen"];
    private static readonly LocalTime Noon = new(12, 0);
    private static readonly LocalTime Nine = new(9, 0);

    private readonly DeadlineCalculator calculator = new(WorkingDayCalendar.OfficialOnly, Copenhagen);

    [Fact]
    public void Resolve_NoonAfterOctoberChange_Is1100Utc()
    {
        // DST ended on 27 October 2019.
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2019, 10, 31), Noon));

        Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0), deadline.Instant);
        Assert.Equal(Offset.FromHours(1), deadline.Zoned.Offset);
        Assert.Empty(deadline.Warnings);
    }

    [Fact]
    public void Resolve_NoonBeforeOctoberChange_Is1000Utc()
    {
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2019, 10, 25), Noon));

        Assert.Equal(Instant.FromUtc(2019, 10, 25, 10, 0), deadline.Instant);
        Assert.Equal(Offset.FromHours(2), deadline.Zoned.Offset);
    }

    [Fact]
    public void Resolve_WorkingDaysAcrossOctoberChange_KeepsLocalNoon()
    {
        var sentAt = Instant.FromUtc(2019, 10, 24, 8, 0); // Thursday 10:00 CEST

        var deadline = calculator.Resolve(new DeadlineSpec.WorkingDaysAfter(5, Noon), sentAt);

        Assert.Equal(new LocalDateTime(2019, 10, 31, 12, 0), deadline.Local);
        Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0), deadline.Instant);
        Assert.Empty(deadline.Warnings);
    }

    [Fact]
    public void Resolve_WeeksAcrossMarchChange_EndOfDayInSummerTime()
    {
        var clock = new FakeClock(Instant.FromUtc(2025, 3, 10, 9, 0)); // Monday 10:00 CET

        var deadline = calculator.Resolve(new DeadlineSpec.WeeksAfter(4), clock.GetCurrentInstant());

        Assert.Equal(new LocalDateTime(2025, 4, 7, 23, 59, 59), deadline.Local);
        Assert.Equal(Instant.FromUtc(2025, 4, 7, 21, 59, 59), deadline.Instant);
        Assert.Equal("mandag den 7. april 2025 kl. 23.59", deadline.Text);
    }

    [Fact]
    public void Resolve_TimeInSpringGap_ShiftsForwardWithWarning()
    {
        // 30 March 2025: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist.
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2025, 3, 30), new LocalTime(2, 30)));

        Assert.Equal(new LocalDateTime(2025, 3, 30, 3, 30), deadline.Local);
        Assert.Equal(Instant.FromUtc(2025, 3, 30, 1, 30), deadline.Instant);
        Assert.Contains(deadline.Warnings, w => w.StartsWith("Kl. 2.30 søndag den 30. marts 2025 findes ikke", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_AmbiguousAutumnTime_TakesEarlierInstantWithWarning()
    {
        // 26 October 2025: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice.
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2025, 10, 26), new LocalTime(2, 30)));

        Assert.Equal(Instant.FromUtc(2025, 10, 26, 0, 30), deadline.Instant);
        Assert.Equal(Offset.FromHours(2), deadline.Zoned.Offset);
        Assert.Contains(deadline.Warnings, w => w.Contains("forekommer to gange", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_NoTime_UsesEndOfDay()
    {
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2022, 3, 18)));

        Assert.Equal(new LocalDateTime(2022, 3, 18, 23, 59, 59), deadline.Local);
        Assert.Equal(Instant.FromUtc(2022, 3, 18, 22, 59, 59), deadline.Instant);
    }

    [Fact]
    public void Resolve_PolicyDefaultTime_IsUsedWhenNoneGiven()
    {
        var noonPolicy = new DeadlineCalculator(WorkingDayCalendar.OfficialOnly, Copenhagen, new CalendarPolicy { DefaultTimeOfDay = Noon });

        var deadline = noonPolicy.Resolve(new DeadlineSpec.At(new LocalDate(2022, 3, 18)));

        Assert.Equal(new LocalDateTime(2022, 3, 18, 12, 0), deadline.Local);
    }

    [Fact]
    public void Resolve_WorkingDaysOverEaster_LandsOnWorkingDay()
    {
        var sentAt = Instant.FromUtc(2022, 4, 7, 8, 0); // Thursday 7 April 2022, 10:00 CEST

        var deadline = calculator.Resolve(new DeadlineSpec.WorkingDaysAfter(5, Noon), sentAt);

        Assert.Equal(new LocalDateTime(2022, 4, 19, 12, 0), deadline.Local);
        Assert.Empty(deadline.Warnings);
    }

    [Fact]
    public void Resolve_RelativeCountsFromLocalDate_NotUtcDate()
    {
        // 23:30 UTC on 31 October 2019 is already 1 November in Copenhagen.
        var sentAt = Instant.FromUtc(2019, 10, 31, 23, 30);

        var deadline = calculator.Resolve(new DeadlineSpec.WorkingDaysAfter(1, Noon), sentAt);

        Assert.Equal(new LocalDate(2019, 11, 4), deadline.Local.Date);
    }

    [Fact]
    public void Resolve_DaysOnSunday_MovesToMondayWithWarning()
    {
        var sentAt = Instant.FromUtc(2019, 10, 25, 8, 0); // Friday 25 October 2019

        var deadline = calculator.Resolve(new DeadlineSpec.DaysAfter(30, Noon), sentAt);

        Assert.Equal(new LocalDateTime(2019, 11, 25, 12, 0), deadline.Local);
        Assert.Equal(
            ["30 dage efter afsendelsen er søndag den 24. november 2019, som ikke er en arbejdsdag; fristen er flyttet til mandag den 25. november 2019."],
            deadline.Warnings);
    }

    [Fact]
    public void Resolve_WeeksOnHoliday_MovesPastHolidayAndNamesIt()
    {
        var sentAt = Instant.FromUtc(2022, 3, 21, 8, 0); // Monday 21 March 2022

        var deadline = calculator.Resolve(new DeadlineSpec.WeeksAfter(4), sentAt);

        Assert.Equal(new LocalDate(2022, 4, 19), deadline.Local.Date);
        Assert.Equal(
            ["4 uger efter afsendelsen er mandag den 18. april 2022 (2. påskedag), som ikke er en arbejdsdag; fristen er flyttet til tirsdag den 19. april 2022."],
            deadline.Warnings);
    }

    [Fact]
    public void Resolve_IsoWeekWithoutDay_IsLastWorkingDayOfWeek()
    {
        var week12 = calculator.Resolve(new DeadlineSpec.IsoWeek(2022, 12));
        var easterWeek = calculator.Resolve(new DeadlineSpec.IsoWeek(2022, 15)); // langfredag 15 April

        Assert.Equal(new LocalDateTime(2022, 3, 25, 23, 59, 59), week12.Local);
        Assert.Equal(new LocalDate(2022, 4, 13), easterWeek.Local.Date);
        Assert.Empty(easterWeek.Warnings);
    }

    [Fact]
    public void Resolve_IsoWeekWithHolidayDay_KeepsDayWithWarning()
    {
        var deadline = calculator.Resolve(new DeadlineSpec.IsoWeek(2022, 16, IsoDayOfWeek.Monday, Noon));

        Assert.Equal(new LocalDateTime(2022, 4, 18, 12, 0), deadline.Local);
        Assert.Equal(["Fristen 18. april 2022 falder på 2. påskedag, som ikke er en arbejdsdag."], deadline.Warnings);
    }

    [Fact]
    public void Resolve_IsoWeekThatDoesNotExist_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => calculator.Resolve(new DeadlineSpec.IsoWeek(2022, 53)));
    }

    [Fact]
    public void Resolve_ClosingDay_NamesItAsLukkedag()
    {
        var withClosing = new DeadlineCalculator(new WorkingDayCalendar([ClosingDayRule.ConstitutionDay]), Copenhagen);

        var deadline = withClosing.Resolve(new DeadlineSpec.At(new LocalDate(2024, 6, 5), Noon));

        Assert.Equal(["Fristen 5. juni 2024 falder på Grundlovsdag (lukkedag), som ikke er en arbejdsdag."], deadline.Warnings);
    }

    [Fact]
    public void Resolve_HearingShorterThanMinimum_Warns()
    {
        var strict = new DeadlineCalculator(
            WorkingDayCalendar.OfficialOnly, Copenhagen, new CalendarPolicy { MinimumHearingPeriod = Period.FromWeeks(4) });
        var sentAt = Instant.FromUtc(2022, 3, 4, 9, 0); // Friday 4 March 2022

        var shortHearing = strict.Resolve(new DeadlineSpec.WorkingDaysAfter(10), sentAt);
        var longHearing = strict.Resolve(new DeadlineSpec.WeeksAfter(4), sentAt);

        Assert.Equal(
            ["Høringsperioden fra fredag den 4. marts 2022 til fredag den 18. marts 2022 er 14 dage, kortere end mindst 4 uger."],
            shortHearing.Warnings);
        Assert.Empty(longHearing.Warnings);
    }

    [Fact]
    public void Resolve_DeadlineNotAfterSending_Warns()
    {
        var sentAt = Instant.FromUtc(2019, 11, 1, 9, 0);

        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2019, 10, 31), Noon), sentAt);

        Assert.Equal(
            ["Fristen torsdag den 31. oktober 2019 kl. 12.00 ligger ikke efter afsendelsen fredag den 1. november 2019 kl. 10.00."],
            deadline.Warnings);
    }

    [Fact]
    public void Resolve_RelativeWithoutSending_Throws()
    {
        Assert.Throws<ArgumentException>(() => calculator.Resolve(new DeadlineSpec.DaysAfter(3)));
    }

    [Fact]
    public void Resolve_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => calculator.Resolve(new DeadlineSpec.WorkingDaysAfter(-1), Instant.FromUtc(2022, 1, 3, 9, 0)));
    }

    [Fact]
    public void Resolve_OtherZone_UsesThatZone()
    {
        var greenland = new DeadlineCalculator(WorkingDayCalendar.OfficialOnly, DateTimeZoneProviders.Tzdb["America/Nuuk"]);

        var deadline = greenland.Resolve(new DeadlineSpec.At(new LocalDate(2019, 10, 31), Noon));

        Assert.Equal(Instant.FromUtc(2019, 10, 31, 15, 0), deadline.Instant);
    }

    [Fact]
    public void ResolveReminder_WorkingDaysBefore_CountsBackAtGivenTime()
    {
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2019, 10, 31), Noon));

        var reminder = calculator.ResolveReminder(ReminderSpec.WorkingDaysBefore(3, Nine), deadline);

        Assert.Equal(Instant.FromUtc(2019, 10, 28, 8, 0), reminder); // Monday 09:00 CET
    }

    [Fact]
    public void ResolveReminder_DaysBefore_AcrossDstChangeAtDefaultTime()
    {
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2019, 10, 31), Noon));

        var reminder = calculator.ResolveReminder(ReminderSpec.DaysBefore(7), deadline);

        Assert.Equal(Instant.FromUtc(2019, 10, 24, 7, 0), reminder); // Thursday 09:00 CEST
    }

    [Fact]
    public void ResolveReminder_DaysBeforeOnWeekend_MovesEarlierToWorkingDay()
    {
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2019, 10, 31), Noon));

        var reminder = calculator.ResolveReminder(ReminderSpec.DaysBefore(4, Nine), deadline);

        Assert.Equal(Instant.FromUtc(2019, 10, 25, 7, 0), reminder); // Sunday 27 → Friday 25 October
    }

    [Fact]
    public void ResolveReminder_Rykker_IsWorkingDaysAfterDeadline()
    {
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2022, 4, 13), Noon));

        var rykker = calculator.ResolveReminder(ReminderSpec.WorkingDaysAfter(1, Nine), deadline);

        Assert.Equal(Instant.FromUtc(2022, 4, 19, 7, 0), rykker); // after Easter, 09:00 CEST
    }

    [Fact]
    public void ResolveReminder_DeadlineOnHoliday_CountsBackFromIt()
    {
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2022, 4, 18)));

        var oneBefore = calculator.ResolveReminder(ReminderSpec.WorkingDaysBefore(1, Nine), deadline);
        var zeroBefore = calculator.ResolveReminder(ReminderSpec.WorkingDaysBefore(0, Nine), deadline);

        Assert.Equal(Instant.FromUtc(2022, 4, 13, 7, 0), oneBefore);
        Assert.Equal(Instant.FromUtc(2022, 4, 13, 7, 0), zeroBefore);
    }

    [Fact]
    public void ResolveReminder_InvalidCounts_Throw()
    {
        var deadline = calculator.Resolve(new DeadlineSpec.At(new LocalDate(2022, 4, 13)));

        Assert.Throws<ArgumentOutOfRangeException>(() => calculator.ResolveReminder(ReminderSpec.WorkingDaysAfter(0), deadline));
        Assert.Throws<ArgumentOutOfRangeException>(() => calculator.ResolveReminder(ReminderSpec.DaysBefore(-1), deadline));
    }

    [Fact]
    public void Deadline_FromInstant_RebuildsLocalTime()
    {
        var stored = Deadline.FromInstant(Instant.FromUtc(2019, 10, 31, 11, 0), Copenhagen);

        Assert.Equal(new LocalDateTime(2019, 10, 31, 12, 0), stored.Local);
        Assert.Equal("torsdag den 31. oktober 2019 kl. 12.00", stored.Text);
        Assert.Equal(stored, Deadline.FromInstant(Instant.FromUtc(2019, 10, 31, 11, 0), Copenhagen));
    }
}
