using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;

namespace Workflows.Host.Api;

/// <summary>
/// The calendar routes of the fixed contract (DESIGN.md §5). Query input is taken as text and checked
/// here, so a bad value is a 400 with problem details keyed by the parameter name, never a 500.
/// </summary>
public static class CalendarApi
{
    /// <summary>
    /// Date arithmetic accepts dates this many years inside the calendar's range, so adding the largest
    /// allowed count (about 15 years of working days) can never leave it.
    /// </summary>
    private const int YearMargin = 20;

    private const int FirstArithmeticYear = DanishHolidays.MinYear + YearMargin;
    private const int LastArithmeticYear = DanishHolidays.MaxYear - YearMargin;

    private static readonly LocalDateTimePattern LocalText = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");
    private static readonly LocalDateTimePattern StartMinutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    /// <summary>Maps <c>calendar/holidays</c>, <c>calendar/add-working-days</c> and <c>calendar/deadline</c> under the given <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder api)
    {
        var calendar = api.MapGroup("calendar").WithTags("Calendar");
        calendar.MapGet("holidays", GetHolidays).WithName("GetCalendarHolidays");
        calendar.MapGet("add-working-days", AddWorkingDays).WithName("AddWorkingDays");
        calendar.MapGet("deadline", GetDeadline).WithName("GetCalendarDeadline");
        return api;
    }

    /// <summary>The official helligdage of a year, plus the configured closing days marked <c>"kind": "closingDay"</c>.</summary>
    public static Results<Ok<IReadOnlyList<HolidayResponse>>, ValidationProblem> GetHolidays(string? year, WorkingDayCalendar calendar)
    {
        var errors = new Dictionary<string, string[]>();
        var value = Integer(year, nameof(year), DanishHolidays.MinYear, DanishHolidays.MaxYear, errors);
        if (value is not { } y)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok<IReadOnlyList<HolidayResponse>>(calendar.HolidaysIn(y)
            .Select(h => new HolidayResponse(
                LocalDatePattern.Iso.Format(h.Date), h.Name, h.Kind == HolidayKind.ClosingDay ? HolidayResponse.ClosingDayKind : null))
            .ToList());
    }

    /// <summary>
    /// <paramref name="days"/> working days after <paramref name="date"/> (before it when negative). 0 gives the
    /// date itself when it is a working day, otherwise the next working day.
    /// </summary>
    public static Results<Ok<DateResponse>, ValidationProblem> AddWorkingDays(string? date, string? days, WorkingDayCalendar calendar)
    {
        var errors = new Dictionary<string, string[]>();
        var start = ArithmeticDate(date, nameof(date), errors);
        var count = Integer(days, nameof(days), -DeadlineJson.MaxDays, DeadlineJson.MaxDays, errors);
        if (start is not { } d || count is not { } n)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(new DateResponse(LocalDatePattern.Iso.Format(calendar.AddWorkingDays(d, n))));
    }

    /// <summary>
    /// Resolves a deadline: absolute (<paramref name="date"/>, or <paramref name="isoWeek"/> such as "2022-W12"),
    /// or relative to <paramref name="start"/> (a local date-time in the configured zone) by
    /// <paramref name="workingDays"/>, <paramref name="days"/> or <paramref name="weeks"/>; <paramref name="at"/>
    /// is the time of day ("HH:mm", default the end of the day). With <paramref name="start"/>, an absolute
    /// deadline is also checked against the minimum hearing period.
    /// </summary>
    public static Results<Ok<DeadlineResponse>, ValidationProblem> GetDeadline(
        string? start, string? date, string? at, string? workingDays, string? days, string? weeks, string? isoWeek,
        DeadlineCalculator calculator)
    {
        var errors = new Dictionary<string, string[]>();

        // The query mirrors the JSON form of a deadline, so the same parser (and the same messages) apply.
        var json = new JsonObject();
        AddText(json, nameof(date), date);
        AddText(json, nameof(at), at);
        AddText(json, nameof(isoWeek), isoWeek);
        AddNumber(json, nameof(workingDays), workingDays);
        AddNumber(json, nameof(days), days);
        AddNumber(json, nameof(weeks), weeks);
        var parseErrors = new List<(string Path, string Message)>();
        var spec = DeadlineJson.Parse(json, parseErrors);
        foreach (var group in parseErrors.GroupBy(e => e.Path.Length == 0 ? nameof(date) : e.Path))
        {
            errors[group.Key] = group.Select(e => e.Message).ToArray();
        }

        LocalDateTime? sentLocal = null;
        if (!string.IsNullOrEmpty(start))
        {
            sentLocal = ParseStart(start);
            if (sentLocal is null)
            {
                errors[nameof(start)] = [$"Skal være et lokalt tidspunkt \"YYYY-MM-DDTHH:mm\" eller en dato \"YYYY-MM-DD\" i årene {FirstArithmeticYear}–{LastArithmeticYear}, fx \"2019-10-11T09:00\"."];
            }
        }
        else if (spec is { IsRelative: true })
        {
            errors[nameof(start)] = ["Mangler: en relativ frist (workingDays, days eller weeks) tælles fra start, fx \"2019-10-11T09:00\"."];
        }

        if (errors.Count > 0 || spec is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var deadline = sentLocal is { } local
            ? calculator.Resolve(spec, local.InZoneLeniently(calculator.Zone).ToInstant())
            : calculator.Resolve(spec);
        return TypedResults.Ok(new DeadlineResponse(
            LocalText.Format(deadline.Local),
            DeadlineCalculator.FormatOffset(deadline.Zoned.Offset),
            InstantPattern.General.Format(deadline.Instant),
            deadline.Text,
            deadline.Warnings));
    }

    private static string YearRangeMessage => $"Datoen skal ligge i årene {FirstArithmeticYear}–{LastArithmeticYear}.";

    private static int? Integer(string? text, string name, int min, int max, Dictionary<string, string[]> errors)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [string.IsNullOrEmpty(text)
            ? string.Create(CultureInfo.InvariantCulture, $"Mangler: et helt tal fra {min} til {max}.")
            : string.Create(CultureInfo.InvariantCulture, $"Skal være et helt tal fra {min} til {max}.")];
        return null;
    }

    private static LocalDate? ArithmeticDate(string? text, string name, Dictionary<string, string[]> errors)
    {
        var result = text is null ? null : LocalDatePattern.Iso.Parse(text) is { Success: true } parsed ? parsed.Value : (LocalDate?)null;
        if (result is { Year: >= FirstArithmeticYear and <= LastArithmeticYear } date)
        {
            return date;
        }

        errors[name] = [result is null
            ? "Skal være en dato \"YYYY-MM-DD\", fx \"2019-10-31\"."
            : YearRangeMessage];
        return null;
    }

    private static LocalDateTime? ParseStart(string text)
    {
        LocalDateTime? value = LocalText.Parse(text) is { Success: true } seconds ? seconds.Value
            : StartMinutes.Parse(text) is { Success: true } minutes ? minutes.Value
            : LocalDatePattern.Iso.Parse(text) is { Success: true } day ? day.Value.AtMidnight()
            : null;
        return value is { Year: >= FirstArithmeticYear and <= LastArithmeticYear } ? value : null;
    }

    private static void AddText(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }

    // Query values are text; a whole number becomes a JSON number, anything else stays text so the parser names it.
    private static void AddNumber(JsonObject json, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        json[name] = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
    }
}

/// <summary>A helligdag (<see cref="Kind"/> absent) or a configured closing day (<see cref="Kind"/> "closingDay").</summary>
public sealed record HolidayResponse(
    string Date,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind = null)
{
    public const string ClosingDayKind = "closingDay";
}

public sealed record DateResponse(string Date);

/// <summary>
/// A resolved deadline: <see cref="Local"/> "YYYY-MM-DDTHH:mm:ss" in the configured zone, its UTC
/// <see cref="Offset"/> "+01:00", the <see cref="Instant"/> in UTC, Danish <see cref="Text"/>, and Danish warnings.
/// </summary>
public sealed record DeadlineResponse(string Local, string Offset, string Instant, string Text, IReadOnlyList<string> Warnings);
