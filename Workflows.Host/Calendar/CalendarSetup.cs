using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;

namespace Workflows.Host.Calendar;

public static class CalendarSetup
{
    /// <summary>The configuration key of the time zone deadlines are stated in (a TZDB id).</summary>
    public const string TimeZoneKey = "ProcesFlow:TimeZone";

    public const string DefaultTimeZone = "Europe/Copenhagen";

    /// <summary>
    /// Registers the Danish <see cref="WorkingDayCalendar"/> and the <see cref="DeadlineCalculator"/> as
    /// singletons, configured from <c>ProcesFlow:Calendar</c> and validated when the host starts, and the
    /// <see cref="DateTimeZone"/> of <c>ProcesFlow:TimeZone</c> unless one is registered already.
    /// </summary>
    public static IHostApplicationBuilder AddDanishCalendar(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CalendarOptions>()
            .BindConfiguration(CalendarOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CalendarOptions>, CalendarOptionsValidator>();

        // Read when first resolved, not while registering, so test and environment overrides apply.
        builder.Services.TryAddSingleton(services => ZoneFrom(services.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton(services =>
            services.GetRequiredService<IOptions<CalendarOptions>>().Value.BuildCalendar());
        builder.Services.AddSingleton(services => new DeadlineCalculator(
            services.GetRequiredService<WorkingDayCalendar>(),
            services.GetRequiredService<DateTimeZone>(),
            services.GetRequiredService<IOptions<CalendarOptions>>().Value.BuildPolicy()));
        return builder;
    }

    /// <summary>The configured zone id, or the default when unset.</summary>
    public static string ZoneId(IConfiguration configuration) =>
        configuration[TimeZoneKey] is { Length: > 0 } id ? id : DefaultTimeZone;

    private static DateTimeZone ZoneFrom(IConfiguration configuration) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(ZoneId(configuration))
        ?? throw new InvalidOperationException($"{TimeZoneKey} '{ZoneId(configuration)}' is not a TZDB time zone id, e.g. \"{DefaultTimeZone}\".");
}

/// <summary>Configuration of the working-day calendar and deadline policy (section <c>ProcesFlow:Calendar</c>).</summary>
/// <example>
/// <code>
/// "Calendar": {
///   "ClosingDays": [ { "Preset": "grundlovsdag" }, { "Name": "Juleaftensdag", "Annual": "12-24" },
///                    { "Name": "Fredag efter Kristi himmelfartsdag", "DaysAfterEaster": 40 },
///                    { "Name": "Flyttedag", "Date": "2025-09-12" } ],
///   "DefaultTimeOfDay": "23:59:59", "DefaultReminderTimeOfDay": "09:00", "MinimumHearingPeriod": "P4W" }
/// </code>
/// </example>
public sealed class CalendarOptions
{
    public const string SectionName = "ProcesFlow:Calendar";

    /// <summary>Days the organisation is closed besides the official helligdage; none by default.</summary>
    public IList<ClosingDayOptions> ClosingDays { get; } = [];

    /// <summary>The local time of a deadline given as a date only, "HH:mm" or "HH:mm:ss". Default: the end of the day, 23:59:59.</summary>
    public string DefaultTimeOfDay { get; set; } = "23:59:59";

    /// <summary>The local time a reminder or rykker is sent when its offset gives none, "HH:mm". Default: 09:00.</summary>
    public string DefaultReminderTimeOfDay { get; set; } = "09:00";

    /// <summary>
    /// A hearing shorter than this ISO period (e.g. "P4W", "P30D") gets a warning; empty for no check.
    /// Default four weeks, the state's guideline for a hearing period.
    /// </summary>
    public string? MinimumHearingPeriod { get; set; } = "P4W";

    internal WorkingDayCalendar BuildCalendar() => TryBuildCalendar([]) ?? throw new OptionsValidationException(
        SectionName, typeof(CalendarOptions), ["Invalid closing days; see the start-up validation."]);

    internal CalendarPolicy BuildPolicy() => TryBuildPolicy([]) ?? throw new OptionsValidationException(
        SectionName, typeof(CalendarOptions), ["Invalid deadline policy; see the start-up validation."]);

    internal WorkingDayCalendar? TryBuildCalendar(List<string> errors)
    {
        var before = errors.Count;
        var rules = new List<ClosingDayRule>();
        for (var i = 0; i < ClosingDays.Count; i++)
        {
            if (ClosingDays[i].TryBuild(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:ClosingDays:{i}"), errors) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return errors.Count == before ? new WorkingDayCalendar(rules) : null;
    }

    internal CalendarPolicy? TryBuildPolicy(List<string> errors)
    {
        var before = errors.Count;
        var time = Time(DefaultTimeOfDay, nameof(DefaultTimeOfDay), errors);
        var reminderTime = Time(DefaultReminderTimeOfDay, nameof(DefaultReminderTimeOfDay), errors);
        Period? minimum = null;
        if (!string.IsNullOrWhiteSpace(MinimumHearingPeriod))
        {
            var parsed = PeriodPattern.Roundtrip.Parse(MinimumHearingPeriod.Trim());
            if (parsed.Success && parsed.Value.HasDateComponent && !parsed.Value.HasTimeComponent
                && parsed.Value is { Years: >= 0, Months: >= 0, Weeks: >= 0, Days: >= 0 })
            {
                minimum = parsed.Value;
            }
            else
            {
                errors.Add($"{SectionName}:{nameof(MinimumHearingPeriod)} '{MinimumHearingPeriod}' must be an ISO period of days, weeks, months or years, e.g. \"P4W\".");
            }
        }

        return errors.Count == before
            ? new CalendarPolicy { DefaultTimeOfDay = time, DefaultReminderTimeOfDay = reminderTime, MinimumHearingPeriod = minimum }
            : null;
    }

    private static LocalTime Time(string value, string name, List<string> errors)
    {
        if (DeadlineJson.TryParseTime(value?.Trim()) is { } time)
        {
            return time;
        }

        errors.Add($"{SectionName}:{name} '{value}' must be a time of day \"HH:mm\" or \"HH:mm:ss\".");
        return default;
    }
}

/// <summary>
/// One closing day: a <see cref="Preset"/> (grundlovsdag, juleaftensdag, nytaarsaftensdag,
/// dagEfterKristiHimmelfart), or a <see cref="Name"/> with exactly one of <see cref="Annual"/>,
/// <see cref="DaysAfterEaster"/> or <see cref="Date"/>.
/// </summary>
public sealed class ClosingDayOptions
{
    /// <summary>The Danish name shown to people; optional with a preset (it renames it).</summary>
    public string? Name { get; set; }

    public string? Preset { get; set; }

    /// <summary>The same day every year, "MM-dd", e.g. "12-24".</summary>
    public string? Annual { get; set; }

    /// <summary>Days after Easter Sunday, e.g. 40 for the Friday after Kristi himmelfart.</summary>
    public int? DaysAfterEaster { get; set; }

    /// <summary>One specific date, "YYYY-MM-DD".</summary>
    public string? Date { get; set; }

    internal ClosingDayRule? TryBuild(string path, List<string> errors)
    {
        var forms = new[] { Preset is not null, Annual is not null, DaysAfterEaster is not null, Date is not null }.Count(present => present);
        if (forms != 1)
        {
            errors.Add($"{path}: give exactly one of Preset, Annual, DaysAfterEaster or Date.");
            return null;
        }

        if (Preset is not null)
        {
            if (!ClosingDayRule.Presets.TryGetValue(Preset.Trim(), out var preset))
            {
                errors.Add($"{path}:Preset '{Preset}' is not one of {string.Join(", ", ClosingDayRule.Presets.Keys)}.");
                return null;
            }

            return string.IsNullOrWhiteSpace(Name) ? preset : Rename(preset, Name);
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add($"{path}:Name is required, e.g. \"Juleaftensdag\".");
            return null;
        }

        if (Annual is not null)
        {
            var parsed = AnnualDatePattern.Iso.Parse(Annual.Trim());
            if (!parsed.Success)
            {
                errors.Add($"{path}:Annual '{Annual}' must be a month and day \"MM-dd\", e.g. \"12-24\".");
                return null;
            }

            return ClosingDayRule.Annual(Name, parsed.Value.Month, parsed.Value.Day);
        }

        if (DaysAfterEaster is { } days)
        {
            if (days is < ClosingDayRule.MinDaysAfterEaster or > ClosingDayRule.MaxDaysAfterEaster)
            {
                errors.Add($"{path}:DaysAfterEaster must be between {ClosingDayRule.MinDaysAfterEaster} and {ClosingDayRule.MaxDaysAfterEaster}.");
                return null;
            }

            return ClosingDayRule.RelativeToEaster(Name, days);
        }

        if (DeadlineJson.TryParseDate(Date!.Trim()) is { } date)
        {
            return ClosingDayRule.OnDate(Name, date);
        }

        errors.Add($"{path}:Date '{Date}' must be a date \"YYYY-MM-DD\".");
        return null;
    }

    private static ClosingDayRule Rename(ClosingDayRule rule, string name) => rule.Kind switch
    {
        ClosingDayRuleKind.Annual => ClosingDayRule.Annual(name, rule.EveryYearOn!.Value.Month, rule.EveryYearOn.Value.Day),
        ClosingDayRuleKind.RelativeToEaster => ClosingDayRule.RelativeToEaster(name, rule.DaysAfterEaster!.Value),
        _ => ClosingDayRule.OnDate(name, rule.Date!.Value),
    };
}

/// <summary>
/// Checks on start that every closing day, time and period parses, and that <c>ProcesFlow:TimeZone</c>
/// is a TZDB id; lists every problem so the operator fixes them in one go.
/// </summary>
internal sealed class CalendarOptionsValidator(IConfiguration configuration) : IValidateOptions<CalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, CalendarOptions options)
    {
        var errors = new List<string>();
        options.TryBuildCalendar(errors);
        options.TryBuildPolicy(errors);
        var zoneId = CalendarSetup.ZoneId(configuration);
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) is null)
        {
            errors.Add($"{CalendarSetup.TimeZoneKey} '{zoneId}' is not a TZDB time zone id, e.g. \"{CalendarSetup.DefaultTimeZone}\".");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
