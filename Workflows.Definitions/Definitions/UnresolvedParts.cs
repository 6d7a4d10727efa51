using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Definitions.Definitions;

/// <summary>
/// What an import left for the process owner to resolve: <c>Unresolved</c> placeholder activities and
/// <c>metadata.unresolved</c> entries (an expression that could not be translated). A draft may hold them; a
/// definition with any of them cannot be published.
/// </summary>
public static class UnresolvedParts
{
    public const string PlaceholderType = "Unresolved";

    /// <summary>Every unresolved part of a (valid) definition document, as errors keyed by JSON path.</summary>
    public static IReadOnlyList<ValidationError> Find(JsonNode? document)
    {
        var found = new List<ValidationError>();
        if (At(At(document, "root"), "activities") is not JsonArray activities)
        {
            return found;
        }
        for (var i = 0; i < activities.Count; i++)
        {
            if (activities[i] is not JsonObject activity)
            {
                continue;
            }
            var path = $"$.root.activities[{i}]";
            if (Text(activity["type"]) == PlaceholderType)
            {
                found.Add(new ValidationError(path,
                    $"is a placeholder for '{Text(activity["sourceType"])}', which ProcesFlow cannot run ({Text(activity["reason"])}); replace it with a ProcesFlow activity before publishing"));
            }
            if (At(activity["metadata"], "unresolved") is JsonArray entries)
            {
                for (var j = 0; j < entries.Count; j++)
                {
                    var entry = entries[j];
                    found.Add(new ValidationError($"{path}.metadata.unresolved[{j}]",
                        $"{Text(At(entry, "property"))}: {Text(At(entry, "reason"))}; write it in ProcesFlow's expression language and remove this entry before publishing"));
                }
            }
        }
        return found;
    }

    private static JsonNode? At(JsonNode? node, string key) => node is JsonObject obj ? obj[key] : null;

    private static string Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "?";
}
