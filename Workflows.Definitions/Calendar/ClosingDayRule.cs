using NodaTime;

namespace Workflows.Definitions.Calendar;

/// <summary>How a <see cref="ClosingDayRule"/> finds its date in a year.</summary>
public enum ClosingDayRuleKind
{
    /// <summary>The same month and day every year (grundlovsdag 5/6, 24/12, 31/12).</summary>
    Annual,

    /// <summary>A fixed number of days after Easter Sunday (the day after Kristi himmelfart is Easter + 40).</summary>
    RelativeToEaster,

    /// <summary>One specific date (an organisation's own list).</summary>
    SpecificDate,
}

/// <summary>
/// A configured closing day: a day on which the organisation does not work although it is not an
/// official helligdag. Closing days make days non-working in <see cref="WorkingDayCalendar"/>, but
/// never change the official list of <see cref="DanishHolidays"/>.
/// </summary>
/// <remarks>Create rules with <see cref="Annual"/>, <see cref="RelativeToEaster"/>, <see cref="OnDate"/> or a preset.</remarks>
public sealed record ClosingDayRule
{
    /// <summary>
    /// Easter falls between 22 March and 25 April, so offsets in this range always stay in Easter's
    /// own year; a rule therefore has at most one date per year.
    /// </summary>
    public const int MinDaysAfterEaster = -80;

    /// <inheritdoc cref="MinDaysAfterEaster"/>
    public const int MaxDaysAfterEaster = 250;

    private ClosingDayRule(string name, ClosingDayRuleKind kind, AnnualDate? everyYearOn, int? daysAfterEaster, LocalDate? date)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A closing day needs a name.", nameof(name));
        }

        Name = name.Trim();
        Kind = kind;
        EveryYearOn = everyYearOn;
        DaysAfterEaster = daysAfterEaster;
        Date = date;
    }

    /// <summary>The Danish name shown to people, e.g. "Grundlovsdag".</summary>
    public string Name { get; }

    public ClosingDayRuleKind Kind { get; }

    /// <summary>Set for <see cref="ClosingDayRuleKind.Annual"/>.</summary>
    public AnnualDate? EveryYearOn { get; }

    /// <summary>Set for <see cref="ClosingDayRuleKind.RelativeToEaster"/>.</summary>
    public int? DaysAfterEaster { get; }

    /// <summary>Set for <see cref="ClosingDayRuleKind.SpecificDate"/>.</summary>
    public LocalDate? Date { get; }

    /// <summary>Grundlovsdag, 5 June.</summary>
    public static ClosingDayRule ConstitutionDay { get; } = Annual("Grundlovsdag", 6, 5);

    /// <summary>Juleaftensdag, 24 December.</summary>
    public static ClosingDayRule ChristmasEve { get; } = Annual("Juleaftensdag", 12, 24);

    /// <summary>Nytårsaftensdag, 31 December.</summary>
    public static ClosingDayRule NewYearsEve { get; } = Annual("Nytårsaftensdag", 12, 31);

    /// <summary>The Friday after Kristi himmelfartsdag (Easter + 40), which many offices close.</summary>
    public static ClosingDayRule DayAfterAscension { get; } = RelativeToEaster("Fredag efter Kristi himmelfartsdag", 40);

    /// <summary>
    /// The presets by key, case-insensitive, for configuration: "grundlovsdag", "juleaftensdag",
    /// "nytaarsaftensdag" (also "nytårsaftensdag") and "dagEfterKristiHimmelfart".
    /// </summary>
    public static IReadOnlyDictionary<string, ClosingDayRule> Presets { get; } =
        new Dictionary<string, ClosingDayRule>(StringComparer.OrdinalIgnoreCase)
        {
            ["grundlovsdag"] = ConstitutionDay,
            ["juleaftensdag"] = ChristmasEve,
            ["nytaarsaftensdag"] = NewYearsEve,
            ["nytårsaftensdag"] = NewYearsEve,
            ["dagEfterKristiHimmelfart"] = DayAfterAscension,
        };

    /// <summary>A closing day on the same month and day every year.</summary>
    /// <remarks>29 February is a closing day only in leap years.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The month and day do not form a date.</exception>
    public static ClosingDayRule Annual(string name, int month, int day) =>
        new(name, ClosingDayRuleKind.Annual, new AnnualDate(month, day), null, null);

    /// <summary>A closing day <paramref name="daysAfterEaster"/> days after Easter Sunday (negative: before).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is outside <see cref="MinDaysAfterEaster"/>..<see cref="MaxDaysAfterEaster"/>.</exception>
    public static ClosingDayRule RelativeToEaster(string name, int daysAfterEaster)
    {
        if (daysAfterEaster is < MinDaysAfterEaster or > MaxDaysAfterEaster)
        {
            throw new ArgumentOutOfRangeException(
                nameof(daysAfterEaster), daysAfterEaster,
                $"Days after Easter must be between {MinDaysAfterEaster} and {MaxDaysAfterEaster}, so the day stays in Easter's year.");
        }

        return new(name, ClosingDayRuleKind.RelativeToEaster, null, daysAfterEaster, null);
    }

    /// <summary>A closing day on one specific date.</summary>
    public static ClosingDayRule OnDate(string name, LocalDate date) =>
        new(name, ClosingDayRuleKind.SpecificDate, null, null, date);

    /// <summary>The date of this closing day in <paramref name="year"/>, or null when it has none that year.</summary>
    public LocalDate? DateIn(int year) => Kind switch
    {
        ClosingDayRuleKind.Annual when EveryYearOn!.Value.IsValidYear(year) => EveryYearOn.Value.InYear(year),
        ClosingDayRuleKind.RelativeToEaster => DanishHolidays.EasterSunday(year).PlusDays(DaysAfterEaster!.Value),
        ClosingDayRuleKind.SpecificDate when Date!.Value.Year == year => Date.Value,
        _ => null,
    };

    /// <summary>This closing day in <paramref name="year"/> as a <see cref="Holiday"/>, or null.</summary>
    public Holiday? In(int year) => DateIn(year) is { } date ? new Holiday(date, Name, HolidayKind.ClosingDay) : null;
}
