using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime.Text;
using Workflows.Definitions.Calendar;

namespace Workflows.Definitions.Definitions;

/// <summary>The types an input can declare, and the check of a value against one.</summary>
/// <remarks>
/// Besides the JSON kinds there are the hearing's own values, checked by the same rules the activities use, so a bad
/// start request is refused with the path of each problem instead of starting an instance that faults later:
/// <c>deadline</c> (<see cref="DeadlineJson"/>, and not already passed), <c>parties</c> (known to the party
/// directory), <c>reminders</c> (before the deadline), <c>material</c> (<see cref="MaterialJson"/>) and
/// <c>latePolicy</c> (<see cref="LatePolicyJson"/>).
/// </remarks>
public static class InputTypes
{
    public static IReadOnlyList<string> All { get; } =
        ["string", "number", "integer", "boolean", "date", "object", "array", "any", "deadline", "parties", "reminders", "material", "latePolicy"];

    private const string PartiesExpected = "must be a region (\"midtjylland\"), a group or party id, or a list of these";

    /// <summary>
    /// Checks <paramref name="value"/> against <paramref name="type"/> and adds every problem, keyed by
    /// <paramref name="path"/> or a path below it (<c>$.input.deadline.at</c>, <c>$.input.parties[2]</c>).
    /// </summary>
    /// <param name="type">One of <see cref="All"/>.</param>
    /// <param name="value">The value, not null.</param>
    /// <param name="path">The JSON path of the value, e.g. <c>$.input.deadline</c>.</param>
    /// <param name="errors">Receives the problems; messages are English, as the definition parser's are, except where
    /// <see cref="DeadlineJson"/> words them.</param>
    /// <param name="context">
    /// At start: also check what depends on the party directory and the clock (unknown parties, a deadline that has
    /// already passed). Null when a definition is parsed: a default's form is checked then, the rest at start.
    /// </param>
    public static void Check(string type, JsonNode value, string path, ICollection<ValidationError> errors, InputContext? context = null)
    {
        switch (type)
        {
            case "deadline":
                CheckDeadline(value, path, errors, context);
                break;
            case "parties":
                CheckParties(value, path, errors, context);
                break;
            case "reminders":
                CheckReminders(value, path, errors);
                break;
            case "material":
                Relay(path, errors, found => MaterialJson.Parse(value, found));
                break;
            case "latePolicy":
                Relay(path, errors, found => LatePolicyJson.Parse(value, found));
                break;
            default:
                if (CheckKind(type, value) is { } problem)
                {
                    errors.Add(new ValidationError(path, problem));
                }
                break;
        }
    }

    private static string? CheckKind(string type, JsonNode value)
    {
        var kind = value.GetValueKind();
        return type switch
        {
            "string" when kind != JsonValueKind.String => "must be a text",
            "number" when kind != JsonValueKind.Number => "must be a number",
            "integer" when kind != JsonValueKind.Number || !IsWhole(value.AsValue()) => "must be a whole number",
            "boolean" when kind is not (JsonValueKind.True or JsonValueKind.False) => "must be true or false",
            "date" when kind != JsonValueKind.String || !LocalDatePattern.Iso.Parse(value.GetValue<string>()).Success => "must be a date written YYYY-MM-DD",
            "object" when kind != JsonValueKind.Object => "must be an object",
            "array" when kind != JsonValueKind.Array => "must be a list",
            _ => null,
        };
    }

    private static void CheckDeadline(JsonNode value, string path, ICollection<ValidationError> errors, InputContext? context)
    {
        var spec = Relay(path, errors, found => DeadlineJson.Parse(value, found));
        if (spec is null || context is null)
        {
            return;
        }
        // Resolved as a hearing sent now would resolve it: relative deadlines count from the start.
        var deadline = context.Calendar.Resolve(spec, context.Now);
        if (deadline.Instant <= context.Now)
        {
            errors.Add(new ValidationError(path, $"{deadline.Text} has already passed"));
        }
    }

    private static void CheckParties(JsonNode value, string path, ICollection<ValidationError> errors, InputContext? context)
    {
        switch (value)
        {
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                break;
            case JsonArray { Count: 0 }:
                errors.Add(new ValidationError(path, "must name at least one party"));
                return;
            case JsonArray list:
                var before = errors.Count;
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i]?.GetValueKind() != JsonValueKind.String)
                    {
                        errors.Add(new ValidationError(Element(path, i), "must be a text: a region, group or party id"));
                    }
                }
                if (errors.Count > before)
                {
                    return;
                }
                break;
            default:
                errors.Add(new ValidationError(path, PartiesExpected));
                return;
        }
        if (context is null)
        {
            return;
        }
        var resolution = context.Parties.Resolve(JsonSerializer.SerializeToElement(value));
        foreach (var error in resolution.Errors)
        {
            errors.Add(new ValidationError(error.Index is { } index ? Element(path, index) : path, error.Message));
        }
    }

    private static void CheckReminders(JsonNode value, string path, ICollection<ValidationError> errors)
    {
        var reminders = Relay(path, errors, found => DeadlineJson.ParseReminders(value, found)) ?? [];
        for (var i = 0; i < reminders.Count; i++)
        {
            if (reminders[i].IsRykker)
            {
                // A hearing's reminders come before the deadline; it refuses a rykker among them.
                errors.Add(new ValidationError(Element(path, i), "is a rykker (after the deadline); a reminder comes before it, e.g. { \"workingDaysBefore\": 3, \"at\": \"09:00\" }"));
            }
        }
    }

    /// <summary>Runs a parser that reports relative paths and adds its problems below <paramref name="path"/>.</summary>
    private static T? Relay<T>(string path, ICollection<ValidationError> errors, Func<List<(string Path, string Message)>, T?> parse)
        where T : class
    {
        var found = new List<(string Path, string Message)>();
        var result = parse(found);
        foreach (var (relative, message) in found)
        {
            errors.Add(new ValidationError(relative.Length == 0 ? path : relative[0] == '[' ? path + relative : $"{path}.{relative}", message));
        }
        return result;
    }

    private static string Element(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    private static bool IsWhole(JsonValue value)
    {
        var number = Expressions.ExpressionValue.ToDecimal(value);
        return number == decimal.Truncate(number);
    }
}
