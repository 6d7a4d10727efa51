using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Definitions.Definitions;

/// <summary>A document sent with a hearing: its title, and where the parties can read it (optional).</summary>
public sealed record MaterialLink(string Title, string? Url);

/// <summary>
/// The JSON form of a hearing's material, <c>[{ "title": "Udkast", "url": "https://…" }]</c>, for a start request's
/// input and an activity property alike. Parsing collects every problem with its path relative to the list
/// (<c>"[1].url"</c>, <c>""</c> for the list itself), as <see cref="Calendar.DeadlineJson"/> does, so callers prefix
/// their own path.
/// </summary>
/// <remarks>
/// Unknown fields are errors, so a typo (<c>"URL"</c>) never silently drops a link; a url must be an absolute http(s)
/// address, because it becomes a link in mails and on the answer page.
/// </remarks>
public static class MaterialJson
{
    private static readonly string[] Fields = ["title", "url"];

    /// <summary>Parses the material list; returns null (and adds at least one error) when it is not valid.</summary>
    /// <param name="node">The list.</param>
    /// <param name="errors">Receives (relative path, message) for every problem found.</param>
    public static IReadOnlyList<MaterialLink>? Parse(JsonNode? node, ICollection<(string Path, string Message)> errors)
    {
        if (node is not JsonArray array)
        {
            errors.Add(("", "must be a list of { \"title\": \"…\", \"url\": \"…\" }"));
            return null;
        }

        var before = errors.Count;
        var material = new List<MaterialLink>();
        for (var i = 0; i < array.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"[{i}]");
            if (array[i] is not JsonObject item)
            {
                errors.Add((at, "must be an object { \"title\": \"…\", \"url\": \"…\" }"));
                continue;
            }

            foreach (var (name, _) in item)
            {
                if (!Fields.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add(($"{at}.{name}", "is not a field of material (fields: title, url)"));
                }
            }

            var title = Text(item["title"]);
            if (title is null || title.Trim().Length == 0)
            {
                errors.Add(($"{at}.title", item["title"] is null ? "is required" : "must be a text that is not empty"));
            }

            var url = item["url"] is null ? null : Text(item["url"]);
            if (item["url"] is not null && !IsWebAddress(url))
            {
                errors.Add(($"{at}.url", "must be an http(s) address"));
            }

            if (errors.Count == before)
            {
                material.Add(new MaterialLink(title!, url));
            }
        }

        return errors.Count == before ? material.AsReadOnly() : null;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool IsWebAddress(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
}
