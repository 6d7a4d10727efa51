using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;

namespace Workflows.Definitions.Activities;

/// <summary>
/// How a JSON value becomes a typed property value; errors are (relative path, message) pairs so they can be
/// reported with the full JSON path.
/// </summary>
public sealed record PropertyKind<T>(string Name, Func<JsonNode?, ICollection<(string Path, string Message)>, T?> Convert);

public static class PropertyKinds
{
    public static PropertyKind<int> WholeNumber { get; } = new("integer", (node, errors) =>
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && Expressions.ExpressionValue.ToDecimal(value) is var number
            && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }
        errors.Add(("", $"must be a whole number, not {Describe(node)}"));
        return 0;
    });

    public static PropertyKind<bool> Boolean { get; } = new("boolean", (node, errors) =>
    {
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }
        errors.Add(("", $"must be true or false, not {Describe(node)}"));
        return false;
    });

    public static PropertyKind<string> PlainText { get; } = new("string", (node, errors) =>
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }
        errors.Add(("", $"must be a text, not {Describe(node)}"));
        return "";
    });

    /// <summary>An ISO 8601 period such as <c>PT2H</c>, <c>P3D</c> or <c>P4W</c>; added as calendar arithmetic in the zone.</summary>
    public static PropertyKind<Period> Period { get; } = new("period", (node, errors) =>
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var result = PeriodPattern.NormalizingIso.Parse(value.GetValue<string>());
            if (result.Success && result.Value.Normalize() != NodaTime.Period.Zero && !HasNegativePart(result.Value))
            {
                return result.Value;
            }
            if (result.Success)
            {
                errors.Add(("", $"must be a positive period, not '{value.GetValue<string>()}'"));
                return null;
            }
        }
        errors.Add(("", $"must be an ISO 8601 period such as \"PT2H\", \"P3D\" or \"P4W\", not {Describe(node)}"));
        return null;
    });

    /// <summary>An instant written as ISO 8601 with an offset or Z, e.g. <c>2019-10-31T11:00:00Z</c>.</summary>
    public static PropertyKind<Instant> Instant { get; } = new("instant", (node, errors) =>
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            var result = OffsetDateTimePattern.ExtendedIso.Parse(text);
            if (result.Success)
            {
                return result.Value.ToInstant();
            }
        }
        errors.Add(("", $"must be an ISO 8601 instant such as \"2019-10-31T11:00:00Z\", not {Describe(node)}"));
        return default;
    });

    public static PropertyKind<IReadOnlyList<string>> TextList { get; } = new("textList", (node, errors) =>
    {
        if (node is JsonValue single && single.GetValueKind() == JsonValueKind.String)
        {
            return [single.GetValue<string>()];
        }
        if (node is JsonArray array)
        {
            var items = new List<string>();
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue item && item.GetValueKind() == JsonValueKind.String)
                {
                    items.Add(item.GetValue<string>());
                }
                else
                {
                    errors.Add(($"[{i}]", $"must be a text, not {Describe(array[i])}"));
                }
            }
            return items;
        }
        errors.Add(("", $"must be a text or a list of texts, not {Describe(node)}"));
        return [];
    });

    /// <summary>Any JSON value, kept as it is.</summary>
    public static PropertyKind<JsonNode?> Json { get; } = new("json", (node, _) => node?.DeepClone());

    public static PropertyKind<string> OneOf(params string[] values) => new("enum", (node, errors) =>
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && values.Contains(value.GetValue<string>()))
        {
            return value.GetValue<string>();
        }
        errors.Add(("", $"must be one of {string.Join(", ", values.Select(v => $"\"{v}\""))}, not {Describe(node)}"));
        return values[0];
    });

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => $"\"{Shorten(value.GetValue<string>())}\"",
        _ => Shorten(node.ToJsonString()),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private static bool HasNegativePart(Period period) =>
        period.Years < 0 || period.Months < 0 || period.Weeks < 0 || period.Days < 0 || period.Hours < 0
        || period.Minutes < 0 || period.Seconds < 0 || period.Milliseconds < 0;
}
