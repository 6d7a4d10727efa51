using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Definitions.Expressions;

/// <summary>
/// Values inside the evaluator: <c>null</c>, <see cref="bool"/>, <see cref="decimal"/>, <see cref="string"/>,
/// or a <see cref="JsonArray"/>/<see cref="JsonObject"/> for structured values.
/// </summary>
internal static class ExpressionValue
{
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        // Typed as object on purpose: JsonNode converts implicitly from bool, decimal and string, and a
        // switch typed as JsonNode would quietly turn these back into JSON values.
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.True => (object)true,
            JsonValueKind.False => false,
            JsonValueKind.Number => ToDecimal(value),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        },
        _ => (object)node,
    };

    /// <summary>A JSON number as decimal, whether it was parsed from text or created from an int or a double in code.</summary>
    public static decimal ToDecimal(JsonValue value) =>
        value.TryGetValue<decimal>(out var number)
            ? number
            : decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        decimal d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        JsonNode node => node.DeepClone(),
        _ => throw new ExpressionException($"Unexpected value {value}."),
    };

    public static bool AreEqual(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (JsonNode x, JsonNode y) => JsonNode.DeepEquals(x, y),
        _ => a.Equals(b),
    };

    public static int Compare(object? a, object? b, string op) => (a, b) switch
    {
        (decimal x, decimal y) => x.CompareTo(y),
        // Ordinal, so ISO dates ('2019-10-31') compare in date order.
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => throw new ExpressionException($"'{op}' compares two numbers or two texts, not {Describe(a)} and {Describe(b)}."),
    };

    public static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        JsonNode node => node.ToJsonString(),
        _ => value.ToString() ?? "",
    };

    public static string Describe(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        string s => $"the text '{s}'",
        JsonArray => "a list",
        JsonObject => "an object",
        _ => value.GetType().Name,
    };
}
