using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime.Text;

namespace Workflows.Definitions.Definitions;

/// <summary>The types an input can declare, and the check of a value against one.</summary>
public static class InputTypes
{
    public static IReadOnlyList<string> All { get; } = ["string", "number", "integer", "boolean", "date", "object", "array", "any"];

    /// <summary>A Danish-free, precise message when <paramref name="value"/> is not of <paramref name="type"/>; null when it is.</summary>
    public static string? Check(string type, JsonNode value)
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

    private static bool IsWhole(JsonValue value)
    {
        var number = Expressions.ExpressionValue.ToDecimal(value);
        return number == decimal.Truncate(number);
    }
}
