using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Calendars;
using NodaTime.Text;

namespace Workflows.Definitions.Calendar;

/// <summary>
/// The JSON forms of deadlines and reminders used in definitions and API input. Parsing collects every
/// problem with the path of its field relative to the object ("workingDays", "at", "" for the object
/// itself), so callers can prefix their own path (e.g. "$.root.activities[3].deadline.").
/// </summary>
/// <remarks>
/// Deadlines: <c>{ "date": "2019-10-31", "at": "12:00" }</c>, <c>{ "workingDays": 10, "at": "12:00" }</c>,
/// <c>{ "days": 30 }</c>, <c>{ "weeks": 4, "at": "12:00" }</c>, <c>{ "isoWeek": "2022-W12" }</c> (also
/// "2022-W12-5" or <c>{ "year": 2022, "week": 12 }</c>, with an optional <c>"day"</c>: 1–7 or a weekday name).
/// Reminders: <c>{ "workingDaysBefore": 3, "at": "09:00" }</c>, <c>{ "daysBefore": 7 }</c>, and a rykker
/// <c>{ "workingDaysAfter": 1, "at": "09:00" }</c>. Unknown fields are errors, so a typo never silently
/// becomes a default.
/// </remarks>
public static partial class DeadlineJson
{
    /// <summary>The largest count accepted for days and working days (about ten years).</summary>
    public const int MaxDays = 3650;

    /// <summary>The largest count accepted for weeks (about ten years).</summary>
    public const int MaxWeeks = 520;

    private static readonly string[] DeadlineForms = ["date", "workingDays", "days", "weeks", "isoWeek", "week"];
    private static readonly string[] DeadlineFields = ["date", "workingDays", "days", "weeks", "isoWeek", "year", "week", "day", "at"];
    private static readonly string[] ReminderForms = ["workingDaysBefore", "daysBefore", "workingDaysAfter"];
    private static readonly string[] ReminderFields = ["workingDaysBefore", "daysBefore", "workingDaysAfter", "at"];

    private static readonly LocalTimePattern MinutesPattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");
    private static readonly LocalTimePattern SecondsPattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm':'ss");

    private static readonly Dictionary<string, IsoDayOfWeek> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["monday"] = IsoDayOfWeek.Monday,
        ["mandag"] = IsoDayOfWeek.Monday,
        ["tuesday"] = IsoDayOfWeek.Tuesday,
        ["tirsdag"] = IsoDayOfWeek.Tuesday,
        ["wednesday"] = IsoDayOfWeek.Wednesday,
        ["onsdag"] = IsoDayOfWeek.Wednesday,
        ["thursday"] = IsoDayOfWeek.Thursday,
        ["torsdag"] = IsoDayOfWeek.Thursday,
        ["friday"] = IsoDayOfWeek.Friday,
        ["fredag"] = IsoDayOfWeek.Friday,
        ["saturday"] = IsoDayOfWeek.Saturday,
        ["lørdag"] = IsoDayOfWeek.Saturday,
        ["sunday"] = IsoDayOfWeek.Sunday,
        ["søndag"] = IsoDayOfWeek.Sunday,
    };

    /// <summary>Parses a deadline; returns null (and adds at least one error) when the node is not a valid deadline.</summary>
    /// <param name="node">The deadline object.</param>
    /// <param name="errors">Receives (relative path, message) for every problem found.</param>
    public static DeadlineSpec? Parse(JsonNode? node, ICollection<(string Path, string Message)> errors)
    {
        const string Example = "fx { \"date\": \"2019-10-31\", \"at\": \"12:00\" } eller { \"workingDays\": 10, \"at\": \"12:00\" }";
        if (node is not JsonObject obj)
        {
            errors.Add(("", node is null ? $"Fristen mangler; {Example}." : $"Fristen skal være et objekt, {Example}."));
            return null;
        }

        var before = errors.Count;
        RejectUnknown(obj, DeadlineFields, errors);
        var form = SingleForm(obj, DeadlineForms, "Angiv fristen med én af date, workingDays, days, weeks eller isoWeek.", errors);
        var at = ParseTime(obj, "at", errors);
        if (form is not ("isoWeek" or "week"))
        {
            NotAllowed(obj, "year", "Bruges kun sammen med \"week\".", errors);
            NotAllowed(obj, "day", "Bruges kun sammen med \"isoWeek\" eller \"week\".", errors);
        }
        else if (form == "isoWeek")
        {
            NotAllowed(obj, "year", "Året står allerede i \"isoWeek\".", errors);
        }

        DeadlineSpec? spec = form switch
        {
            "date" => ParseDate(obj["date"], "date", errors) is { } date ? new DeadlineSpec.At(date, at) : null,
            "workingDays" => ParseCount(obj["workingDays"], "workingDays", 0, MaxDays, errors) is { } n ? new DeadlineSpec.WorkingDaysAfter(n, at) : null,
            "days" => ParseCount(obj["days"], "days", 0, MaxDays, errors) is { } n ? new DeadlineSpec.DaysAfter(n, at) : null,
            "weeks" => ParseCount(obj["weeks"], "weeks", 0, MaxWeeks, errors) is { } n ? new DeadlineSpec.WeeksAfter(n, at) : null,
            "isoWeek" => ParseIsoWeekText(obj, at, errors),
            "week" => ParseYearAndWeek(obj, at, errors),
            _ => null,
        };
        return errors.Count == before ? spec : null;
    }

    /// <summary>Parses a reminder or rykker; returns null (and adds at least one error) when invalid.</summary>
    /// <param name="node">The reminder object.</param>
    /// <param name="errors">Receives (relative path, message) for every problem found.</param>
    public static ReminderSpec? ParseReminder(JsonNode? node, ICollection<(string Path, string Message)> errors)
    {
        const string Example = "fx { \"workingDaysBefore\": 3, \"at\": \"09:00\" }";
        if (node is not JsonObject obj)
        {
            errors.Add(("", node is null ? $"Påmindelsen mangler; {Example}." : $"Påmindelsen skal være et objekt, {Example}."));
            return null;
        }

        var before = errors.Count;
        RejectUnknown(obj, ReminderFields, errors);
        var form = SingleForm(obj, ReminderForms, "Angiv påmindelsen med én af workingDaysBefore, daysBefore eller workingDaysAfter (rykker).", errors);
        var at = ParseTime(obj, "at", errors);
        ReminderSpec? spec = form switch
        {
            "workingDaysBefore" => ParseCount(obj[form], form, 0, MaxDays, errors) is { } n ? ReminderSpec.WorkingDaysBefore(n, at) : null,
            "daysBefore" => ParseCount(obj[form], form, 0, MaxDays, errors) is { } n ? ReminderSpec.DaysBefore(n, at) : null,
            "workingDaysAfter" => ParseCount(obj[form], form, 1, MaxDays, errors) is { } n ? ReminderSpec.WorkingDaysAfter(n, at) : null,
            _ => null,
        };
        return errors.Count == before ? spec : null;
    }

    /// <summary>Parses an array of reminders; paths are "[0].workingDaysBefore" and so on.</summary>
    public static IReadOnlyList<ReminderSpec>? ParseReminders(JsonNode? node, ICollection<(string Path, string Message)> errors)
    {
        if (node is not JsonArray array)
        {
            errors.Add(("", "Påmindelserne skal være en liste, fx [{ \"workingDaysBefore\": 3, \"at\": \"09:00\" }]."));
            return null;
        }

        var result = new List<ReminderSpec>();
        var failed = false;
        for (var i = 0; i < array.Count; i++)
        {
            var own = new List<(string Path, string Message)>();
            if (ParseReminder(array[i], own) is { } reminder)
            {
                result.Add(reminder);
            }

            foreach (var (path, message) in own)
            {
                failed = true;
                errors.Add((Invariant($"[{i}]") + (path.Length == 0 ? "" : "." + path), message));
            }
        }

        return failed ? null : result.AsReadOnly();
    }

    /// <summary>The JSON form of a deadline, as <see cref="Parse"/> reads it.</summary>
    public static JsonObject ToJson(DeadlineSpec spec)
    {
        var json = spec switch
        {
            DeadlineSpec.At at => new JsonObject { ["date"] = LocalDatePattern.Iso.Format(at.Date) },
            DeadlineSpec.WorkingDaysAfter w => new JsonObject { ["workingDays"] = w.Days },
            DeadlineSpec.DaysAfter d => new JsonObject { ["days"] = d.Days },
            DeadlineSpec.WeeksAfter w => new JsonObject { ["weeks"] = w.Weeks },
            DeadlineSpec.IsoWeek i => new JsonObject
            {
                ["isoWeek"] = Invariant($"{i.Year:0000}-W{i.Week:00}") + (i.Day is { } d and not IsoDayOfWeek.None ? Invariant($"-{(int)d}") : ""),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, "Unknown deadline form."),
        };
        if (spec.TimeOfDay is { } time)
        {
            json["at"] = FormatTime(time);
        }

        return json;
    }

    /// <summary>The JSON form of a reminder, as <see cref="ParseReminder"/> reads it.</summary>
    public static JsonObject ToJson(ReminderSpec reminder)
    {
        var name = reminder.Kind switch
        {
            ReminderKind.WorkingDaysBefore => "workingDaysBefore",
            ReminderKind.DaysBefore => "daysBefore",
            ReminderKind.WorkingDaysAfter => "workingDaysAfter",
            _ => throw new ArgumentOutOfRangeException(nameof(reminder), reminder.Kind, "Unknown reminder kind."),
        };
        var json = new JsonObject { [name] = reminder.Days };
        if (reminder.TimeOfDay is { } time)
        {
            json["at"] = FormatTime(time);
        }

        return json;
    }

    /// <summary>"HH:mm", or "HH:mm:ss" when there are seconds.</summary>
    public static string FormatTime(LocalTime time) =>
        time.Second == 0 && time.NanosecondOfSecond == 0 ? MinutesPattern.Format(time) : SecondsPattern.Format(time);

    /// <summary>Parses "HH:mm" or "HH:mm:ss" (24-hour clock); null when the text is neither.</summary>
    public static LocalTime? TryParseTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var result = MinutesPattern.Parse(text);
        if (!result.Success)
        {
            result = SecondsPattern.Parse(text);
        }

        return result.Success ? result.Value : null;
    }

    /// <summary>Parses an ISO date "YYYY-MM-DD" within the supported years; null otherwise.</summary>
    public static LocalDate? TryParseDate(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var result = LocalDatePattern.Iso.Parse(text);
        return result.Success && result.Value.Year is >= DanishHolidays.MinYear and < DanishHolidays.MaxYear ? result.Value : null;
    }

    private static void RejectUnknown(JsonObject obj, string[] known, ICollection<(string Path, string Message)> errors)
    {
        foreach (var (name, _) in obj)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                var hint = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                errors.Add((name, hint is null
                    ? $"Ukendt felt. Tilladte felter er {string.Join(", ", known)}."
                    : $"Ukendt felt; mente du \"{hint}\"? Feltnavne skelner mellem store og små bogstaver."));
            }
        }
    }

    private static string? SingleForm(JsonObject obj, string[] forms, string missing, ICollection<(string Path, string Message)> errors)
    {
        // In the order written, so the field reported as conflicting is the later one.
        var present = obj.Select(p => p.Key).Where(k => forms.Contains(k, StringComparer.Ordinal)).ToList();
        if (present.Count == 0)
        {
            errors.Add(("", missing));
            return null;
        }

        foreach (var extra in present.Skip(1))
        {
            errors.Add((extra, $"Kan ikke kombineres med \"{present[0]}\"; angiv kun én form."));
        }

        return present[0];
    }

    private static void NotAllowed(JsonObject obj, string field, string message, ICollection<(string Path, string Message)> errors)
    {
        if (obj.ContainsKey(field))
        {
            errors.Add((field, message));
        }
    }

    private static LocalTime? ParseTime(JsonObject obj, string field, ICollection<(string Path, string Message)> errors)
    {
        if (!obj.TryGetPropertyValue(field, out var node))
        {
            return null;
        }

        var time = TryParseTime(AsString(node));
        if (time is null)
        {
            errors.Add((field, "Skal være et klokkeslæt \"HH:mm\" (24 timer), fx \"12:00\"."));
        }

        return time;
    }

    private static LocalDate? ParseDate(JsonNode? node, string field, ICollection<(string Path, string Message)> errors)
    {
        var date = TryParseDate(AsString(node));
        if (date is null)
        {
            errors.Add((field, Invariant($"Skal være en dato \"YYYY-MM-DD\" mellem år {DanishHolidays.MinYear} og {DanishHolidays.MaxYear - 1}, fx \"2019-10-31\".")));
        }

        return date;
    }

    private static int? ParseCount(JsonNode? node, string field, int min, int max, ICollection<(string Path, string Message)> errors)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && value.TryGetValue<int>(out var count) && count >= min && count <= max)
        {
            return count;
        }

        if (node is JsonValue other && other.GetValueKind() == JsonValueKind.Number && other.TryGetValue<double>(out var number)
            && Math.Floor(number) == number && number >= min && number <= max)
        {
            // Some writers emit 10.0 for 10; the value is still a whole number.
            return (int)number;
        }

        errors.Add((field, Invariant($"Skal være et helt tal fra {min} til {max}.")));
        return null;
    }

    private static DeadlineSpec.IsoWeek? ParseIsoWeekText(JsonObject obj, LocalTime? at, ICollection<(string Path, string Message)> errors)
    {
        var match = AsString(obj["isoWeek"]) is { } text ? IsoWeekText().Match(text) : null;
        if (match is not { Success: true })
        {
            errors.Add(("isoWeek", "Skal være en ISO-uge \"YYYY-Www\" eller \"YYYY-Www-d\", fx \"2022-W12\" (uge 12 i 2022)."));
            return null;
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        var week = int.Parse(match.Groups["week"].Value, CultureInfo.InvariantCulture);
        IsoDayOfWeek? day = match.Groups["day"].Success
            ? (IsoDayOfWeek)int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture)
            : null;
        if (obj.ContainsKey("day"))
        {
            if (day is not null)
            {
                errors.Add(("day", "Ugedagen står allerede i isoWeek."));
            }
            else
            {
                day = ParseDay(obj["day"], errors);
            }
        }

        return CheckWeek(year, week, "isoWeek", errors) ? new DeadlineSpec.IsoWeek(year, week, day, at) : null;
    }

    private static DeadlineSpec.IsoWeek? ParseYearAndWeek(JsonObject obj, LocalTime? at, ICollection<(string Path, string Message)> errors)
    {
        var year = obj.ContainsKey("year")
            ? ParseCount(obj["year"], "year", DanishHolidays.MinYear, DanishHolidays.MaxYear - 1, errors)
            : Missing("year", "Året mangler, fx \"year\": 2022.", errors);
        var week = ParseCount(obj["week"], "week", 1, 53, errors);
        var day = obj.ContainsKey("day") ? ParseDay(obj["day"], errors) : null;
        return year is { } y && week is { } w && CheckWeek(y, w, "week", errors) ? new DeadlineSpec.IsoWeek(y, w, day, at) : null;
    }

    private static bool CheckWeek(int year, int week, string field, ICollection<(string Path, string Message)> errors)
    {
        if (year is < DanishHolidays.MinYear or >= DanishHolidays.MaxYear)
        {
            errors.Add((field, Invariant($"Året skal ligge mellem {DanishHolidays.MinYear} og {DanishHolidays.MaxYear - 1}.")));
            return false;
        }

        var weeks = WeekYearRules.Iso.GetWeeksInWeekYear(year);
        if (week < 1 || week > weeks)
        {
            errors.Add((field, Invariant($"{year} har kun uge 1 til {weeks}.")));
            return false;
        }

        return true;
    }

    private static IsoDayOfWeek? ParseDay(JsonNode? node, ICollection<(string Path, string Message)> errors)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) && number is >= 1 and <= 7)
        {
            return (IsoDayOfWeek)number;
        }

        if (AsString(node) is { } name && DayNames.TryGetValue(name, out var day))
        {
            return day;
        }

        errors.Add(("day", "Skal være en ugedag: 1 (mandag) til 7 (søndag), eller navnet, fx \"fredag\"."));
        return null;
    }

    private static int? Missing(string field, string message, ICollection<(string Path, string Message)> errors)
    {
        errors.Add((field, message));
        return null;
    }

    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<year>\d{4})-W(?<week>\d{2})(?:-(?<day>[1-7]))?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWeekText();
}
