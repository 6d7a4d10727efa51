using NodaTime;
using Workflows.Definitions.Calendar;

namespace Workflows.Tests.Calendar;

/// <summary>
/// Every dated deadline and meeting in SEEDS-ANALYSIS §5, resolved as ProcesFlow would show it: the
/// Danish weekday text and the warning it should carry.
/// </summary>
public class SeedDeadlineTests
{
    private static readonly DateTimeZone Copenhagen = DateTimeZoneProviders.Tzdb["Europe/Copenhagen"];

    private readonly DeadlineCalculator calculator = new(WorkingDayCalendar.OfficialOnly, Copenhagen);

    private readonly DeadlineCalculator hearingCalculator = new(
        WorkingDayCalendar.OfficialOnly, Copenhagen, new CalendarPolicy { MinimumHearingPeriod = Period.FromWeeks(4) });

    /// <summary>date, time ("" for none), expected text, expected UTC instant, expected warning ("" for none).</summary>
    public static TheoryData<string, string, string, string, string> StatedDeadlines => new()
    {
        // 5.1 "senest torsdag den 31. oktober kl. 12.00" (003 ~L339): after the DST change, so CET.
        { "2019-10-31", "12:00", "torsdag den 31. oktober 2019 kl. 12.00", "2019-10-31T11:00:00Z", "" },
        // 5.1 "senest den 18. marts 2022" (001 ~L149): no time, so the end of the day.
        { "2022-03-18", "", "fredag den 18. marts 2022 kl. 23.59", "2022-03-18T22:59:59Z", "" },
        // 5.1 "senest den 18. april 2022" (001 ~L2092): 2. påskedag.
        { "2022-04-18", "", "mandag den 18. april 2022 kl. 23.59", "2022-04-18T21:59:59Z", "Fristen 18. april 2022 falder på 2. påskedag, som ikke er en arbejdsdag." },
        // 5.1 "frist for bemærkninger den 24. november 2019" (004 ~L827): a Sunday.
        { "2019-11-24", "", "søndag den 24. november 2019 kl. 23.59", "2019-11-24T22:59:59Z", "Fristen 24. november 2019 falder på en søndag, som ikke er en arbejdsdag." },
        // 5.1 the hearing window opens "fra den 11. oktober" 2019: a Friday.
        { "2019-10-11", "", "fredag den 11. oktober 2019 kl. 23.59", "2019-10-11T21:59:59Z", "" },
        // 5.1 other verified weekdays.
        { "2019-10-25", "10:00", "fredag den 25. oktober 2019 kl. 10.00", "2019-10-25T08:00:00Z", "" },
        { "2022-02-18", "", "fredag den 18. februar 2022 kl. 23.59", "2022-02-18T22:59:59Z", "" },
        { "2022-04-27", "08:30", "onsdag den 27. april 2022 kl. 8.30", "2022-04-27T06:30:00Z", "" },
        { "2020-02-07", "10:00", "fredag den 7. februar 2020 kl. 10.00", "2020-02-07T09:00:00Z", "" },
        { "2020-02-07", "09:00", "fredag den 7. februar 2020 kl. 9.00", "2020-02-07T08:00:00Z", "" },
        { "2022-04-01", "09:30", "fredag den 1. april 2022 kl. 9.30", "2022-04-01T07:30:00Z", "" },
        // 5.3 annual cut-off "senest 1. oktober" (003 ~L1446), e.g. 2019.
        { "2019-10-01", "", "tirsdag den 1. oktober 2019 kl. 23.59", "2019-10-01T21:59:59Z", "" },
        // 5.5 effective date 1 Feb 2020: a Saturday.
        { "2020-02-01", "", "lørdag den 1. februar 2020 kl. 23.59", "2020-02-01T22:59:59Z", "Fristen 1. februar 2020 falder på en lørdag, som ikke er en arbejdsdag." },
        // 5.5 effective and expiry dates.
        { "2020-01-01", "", "onsdag den 1. januar 2020 kl. 23.59", "2020-01-01T22:59:59Z", "Fristen 1. januar 2020 falder på Nytårsdag, som ikke er en arbejdsdag." },
        { "2020-12-31", "", "torsdag den 31. december 2020 kl. 23.59", "2020-12-31T22:59:59Z", "" },
        { "2022-07-01", "", "fredag den 1. juli 2022 kl. 23.59", "2022-07-01T21:59:59Z", "" },
    };

    [Theory]
    [MemberData(nameof(StatedDeadlines))]
    public void Resolve_StatedSeedDeadline_HasWeekdayTextAndWarning(string date, string time, string text, string instant, string warning)
    {
        var spec = new DeadlineSpec.At(WorkingDayCalendarTests.Date(date), time.Length == 0 ? null : DeadlineJson.TryParseTime(time));

        var deadline = calculator.Resolve(spec);

        Assert.Equal(text, deadline.Text);
        Assert.Equal(instant, deadline.Instant.ToString());
        Assert.Equal(warning.Length == 0 ? [] : [warning], deadline.Warnings);
    }

    [Fact]
    public void Resolve_Week12Of2022_IsFriday25March()
    {
        // 5.1 "uge 12 (21. – 25. marts 2022)" (001 ~L1812): the working week Mon 21 – Fri 25 March.
        var deadline = calculator.Resolve(new DeadlineSpec.IsoWeek(2022, 12));

        Assert.Equal("fredag den 25. marts 2022 kl. 23.59", deadline.Text);
        Assert.Equal("uge 12", DanishText.Week(new LocalDate(2022, 3, 21)));
        Assert.Equal("uge 12", DanishText.Week(deadline.Local.Date));
        Assert.Empty(deadline.Warnings);
    }

    [Fact]
    public void Resolve_KlLetter4MarchWithReplyBy18March_WarnsHearingShorterThanFourWeeks()
    {
        // 5.5 KL letter 4 Mar 2022, reply deadline 18 Mar 2022 (a soft deadline, "Vi håber meget ...").
        var sentAt = LocalAt(2022, 3, 4, 10, 0);

        var deadline = hearingCalculator.Resolve(new DeadlineSpec.At(new LocalDate(2022, 3, 18)), sentAt);

        Assert.Equal(
            ["Høringsperioden fra fredag den 4. marts 2022 til fredag den 18. marts 2022 er 14 dage, kortere end mindst 4 uger."],
            deadline.Warnings);
    }

    [Fact]
    public void Resolve_UfmLetter8FebruaryWithDeadline18April_WarnsOnlyAboutThePaaskedag()
    {
        // 5.5 UFM letter 8 Feb 2022, deadline 18 Apr 2022.
        var deadline = hearingCalculator.Resolve(new DeadlineSpec.At(new LocalDate(2022, 4, 18)), LocalAt(2022, 2, 8, 10, 0));

        Assert.Equal(["Fristen 18. april 2022 falder på 2. påskedag, som ikke er en arbejdsdag."], deadline.Warnings);
    }

    [Fact]
    public void Resolve_HearingFrom11OctoberTo24November2019_WarnsOnlyAboutTheSunday()
    {
        var deadline = hearingCalculator.Resolve(new DeadlineSpec.At(new LocalDate(2019, 11, 24)), LocalAt(2019, 10, 11, 9, 0));

        Assert.Equal(["Fristen 24. november 2019 falder på en søndag, som ikke er en arbejdsdag."], deadline.Warnings);
    }

    [Fact]
    public void Resolve_FiveWorkingDaysAfterReceivingFilesBeforeEaster_SkipsEaster()
    {
        // 5.2 "senest 5 arbejdsdage efter, at sagens akter er modtaget" (003 ~L1034), received Thursday 7 April 2022.
        var deadline = calculator.Resolve(new DeadlineSpec.WorkingDaysAfter(5), LocalAt(2022, 4, 7, 10, 0));

        Assert.Equal("tirsdag den 19. april 2022 kl. 23.59", deadline.Text);
        Assert.Empty(deadline.Warnings);
    }

    [Fact]
    public void Resolve_SixWorkingDaysFromReceiptBeforeChristmas_SkipsChristmasAndNewYear()
    {
        // 5.2 "senest seks arbejdsdage fra modtagelsen af sagens akter" (003 ~L1279), received Friday 20 December 2019.
        var deadline = calculator.Resolve(new DeadlineSpec.WorkingDaysAfter(6), LocalAt(2019, 12, 20, 10, 0));

        Assert.Equal("torsdag den 2. januar 2020 kl. 23.59", deadline.Text);
    }

    [Theory]
    // 5.2 dagsorden "senest fem arbejdsdage før mødet" (003 ~L1321) for the KKR Midtjylland meetings of 2020 (5.5).
    [InlineData("2020-02-05", "onsdag den 29. januar 2020")]
    [InlineData("2020-03-31", "tirsdag den 24. marts 2020")]
    [InlineData("2020-06-17", "onsdag den 10. juni 2020")]
    [InlineData("2020-09-08", "tirsdag den 1. september 2020")]
    [InlineData("2020-11-09", "mandag den 2. november 2020")]
    public void ResolveReminder_AgendaFiveWorkingDaysBeforeMeeting_CountsBackwards(string meeting, string expected)
    {
        var meetingDeadline = calculator.Resolve(new DeadlineSpec.At(WorkingDayCalendarTests.Date(meeting), new LocalTime(10, 0)));

        var agendaDue = calculator.ResolveReminder(ReminderSpec.WorkingDaysBefore(5), meetingDeadline);

        Assert.Equal(expected, DanishText.Date(agendaDue.InZone(Copenhagen).Date));
    }

    [Fact]
    public void Resolve_PaymentThirtyDays_MovesFromSundayToMonday()
    {
        // 5.3 "Betalingsfristen er 30 dage" (003 ~L1527), invoice Friday 25 October 2019.
        var deadline = calculator.Resolve(new DeadlineSpec.DaysAfter(30), LocalAt(2019, 10, 25, 10, 0));

        Assert.Equal("mandag den 25. november 2019 kl. 23.59", deadline.Text);
        Assert.Equal(
            ["30 dage efter afsendelsen er søndag den 24. november 2019, som ikke er en arbejdsdag; fristen er flyttet til mandag den 25. november 2019."],
            deadline.Warnings);
    }

    [Fact]
    public void Resolve_ThreeWeeksNotice_IsSameWeekday()
    {
        // 5.3 "mindre end 3 ugers varsel" (003 ~L1529), from Friday 11 October 2019.
        var deadline = calculator.Resolve(new DeadlineSpec.WeeksAfter(3, new LocalTime(12, 0)), LocalAt(2019, 10, 11, 9, 0));

        Assert.Equal("fredag den 1. november 2019 kl. 12.00", deadline.Text);
        Assert.Empty(deadline.Warnings);
    }

    [Theory]
    // 5.4 the computed Easter table: skærtorsdag, 2. påskedag, store bededag, Kristi himmelfart.
    [InlineData(2019, "2019-04-18", "2019-04-22", "2019-05-17", "2019-05-30")]
    [InlineData(2020, "2020-04-09", "2020-04-13", "2020-05-08", "2020-05-21")]
    [InlineData(2022, "2022-04-14", "2022-04-18", "2022-05-13", "2022-05-26")]
    public void For_SeedEasterTable_Matches(int year, string maundyThursday, string easterMonday, string prayerDay, string ascension)
    {
        var byName = DanishHolidays.For(year).ToDictionary(h => h.Name, h => h.Date);

        Assert.Equal(WorkingDayCalendarTests.Date(maundyThursday), byName["Skærtorsdag"]);
        Assert.Equal(WorkingDayCalendarTests.Date(easterMonday), byName["2. påskedag"]);
        Assert.Equal(WorkingDayCalendarTests.Date(prayerDay), byName["Store bededag"]);
        Assert.Equal(WorkingDayCalendarTests.Date(ascension), byName["Kristi himmelfartsdag"]);
    }

    private static Instant LocalAt(int year, int month, int day, int hour, int minute) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(Copenhagen).ToInstant();
}
