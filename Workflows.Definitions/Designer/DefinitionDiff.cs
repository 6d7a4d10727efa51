using System.Text.Json.Nodes;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Parties;

namespace Workflows.Definitions.Designer;

/// <summary>One change between two versions, in plain Danish, with the activity it concerns (for highlighting).</summary>
/// <param name="Kind"><c>added</c>, <c>removed</c>, <c>changed</c>, <c>connected</c>, <c>disconnected</c> or <c>definition</c>.</param>
/// <param name="ActivityId">The activity the change concerns, or null for the definition as a whole.</param>
/// <param name="Text">E.g. "Send i høring – Frist: 15 → 20 arbejdsdage".</param>
public sealed record DefinitionChange(string Kind, string? ActivityId, string Text);

/// <summary>
/// The plain-language difference between two versions of a definition. Positions on the canvas are not
/// changes of the process, so moving a box is not listed; everything the engine or a reader would notice is.
/// </summary>
public sealed class DefinitionDiff(ActivityRegistry registry, PartyDirectory? parties = null)
{
    private static readonly HashSet<string> NotProperties = ["id", "type", "name", "displayName", "metadata"];

    public IReadOnlyList<DefinitionChange> Compare(JsonObject from, JsonObject to)
    {
        var changes = new List<DefinitionChange>();
        foreach (var (key, label) in new[] { ("name", "Navn"), ("description", "Beskrivelse") })
        {
            if (!JsonNode.DeepEquals(from[key], to[key]))
            {
                changes.Add(new DefinitionChange("definition", null, $"{label}: {DesignerText.Value(from[key])} → {DesignerText.Value(to[key])}"));
            }
        }
        var before = Activities(from);
        var after = Activities(to);
        foreach (var (id, activity) in after.Where(a => !before.ContainsKey(a.Key)))
        {
            changes.Add(new DefinitionChange("added", id, $"Aktivitet tilføjet: {Title(activity)}"));
        }
        foreach (var (id, activity) in before.Where(a => !after.ContainsKey(a.Key)))
        {
            changes.Add(new DefinitionChange("removed", id, $"Aktivitet fjernet: {Title(activity)}"));
        }
        foreach (var (id, old) in before.Where(a => after.ContainsKey(a.Key)))
        {
            var current = after[id];
            if (DesignerText.Text(old["type"]) != DesignerText.Text(current["type"]))
            {
                changes.Add(new DefinitionChange("changed", id, $"{Title(current)}: typen er ændret fra {TypeName(old)} til {TypeName(current)}"));
                continue;
            }
            var oldName = DesignerText.Text(old["name"]) ?? DesignerText.Text(old["displayName"]);
            var newName = DesignerText.Text(current["name"]) ?? DesignerText.Text(current["displayName"]);
            if (oldName != newName)
            {
                changes.Add(new DefinitionChange("changed", id, $"Aktivitet omdøbt: {Title(old)} → {Title(current)}"));
            }
            var descriptor = registry.Find(DesignerText.Text(current["type"]) ?? "");
            var keys = old.Select(p => p.Key).Union(current.Select(p => p.Key)).Where(k => !NotProperties.Contains(k));
            foreach (var key in keys)
            {
                if (JsonNode.DeepEquals(old[key], current[key]))
                {
                    continue;
                }
                var property = descriptor?.Properties.FirstOrDefault(p => p.Name == key);
                changes.Add(new DefinitionChange("changed", id, $"{Title(current)} – {property?.DisplayName ?? key}: {Change(key, property?.Kind, old[key], current[key])}"));
            }
        }
        var oldConnections = Connections(from);
        var newConnections = Connections(to);
        foreach (var c in newConnections.Except(oldConnections))
        {
            changes.Add(new DefinitionChange("connected", c.Source, $"Forbindelse tilføjet: {Name(after, c.Source)} ({DesignChecks.PortName(c.Port)}) → {Name(after, c.Target)}"));
        }
        foreach (var c in oldConnections.Except(newConnections))
        {
            changes.Add(new DefinitionChange("disconnected", c.Source, $"Forbindelse fjernet: {Name(before, c.Source)} ({DesignChecks.PortName(c.Port)}) → {Name(before, c.Target)}"));
        }
        if (!JsonNode.DeepEquals(from["root"]?["metadata"]?["designer"]?["notes"], to["root"]?["metadata"]?["designer"]?["notes"]))
        {
            changes.Add(new DefinitionChange("definition", null, "Noterne på tegningen er ændret"));
        }
        return changes;
    }

    /// <summary>"15 → 20 arbejdsdage" when only the number of a deadline changed; otherwise both values in full.</summary>
    private string Change(string key, string? kind, JsonNode? old, JsonNode? current)
    {
        // Parties and reminders read as the text does: "de 19 kommuner i Region Midtjylland", "påmindelse 3 arbejdsdage før fristen".
        if (old is not null && current is not null && key == "parties" && parties is not null)
        {
            return $"{DesignerText.Parties(old, parties)} → {DesignerText.Parties(current, parties)}";
        }
        if (old is not null && current is not null && key is "reminders" or "rykker")
        {
            return $"{DesignerText.Reminders(old)} → {DesignerText.Reminders(current)}";
        }
        if (kind == "deadline" && old is JsonObject a && current is JsonObject b)
        {
            foreach (var (unit, words) in new[] { ("workingDays", "arbejdsdage"), ("days", "dage"), ("weeks", "uger") })
            {
                if (DesignerText.Number(a[unit]) is { } x && DesignerText.Number(b[unit]) is { } y && a.Count == b.Count
                    && JsonNode.DeepEquals(a["at"], b["at"]))
                {
                    return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{x} → {y} {words}");
                }
            }
            return $"{DesignerText.Deadline(old)} → {DesignerText.Deadline(current)}";
        }
        if (old is null)
        {
            return $"sat til {DesignerText.Value(current)}";
        }
        return current is null ? $"fjernet (var {DesignerText.Value(old)})" : $"{DesignerText.Value(old)} → {DesignerText.Value(current)}";
    }

    private string Title(JsonObject activity) =>
        DesignerText.Text(activity["name"]) ?? DesignerText.Text(activity["displayName"]) ?? TypeName(activity);

    private string TypeName(JsonObject activity) =>
        registry.Find(DesignerText.Text(activity["type"]) ?? "")?.DisplayName ?? DesignerText.Text(activity["type"]) ?? "?";

    private string Name(Dictionary<string, JsonObject> activities, string id) =>
        activities.TryGetValue(id, out var activity) ? Title(activity) : id;

    private static Dictionary<string, JsonObject> Activities(JsonObject document) =>
        (document["root"]?["activities"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(a => DesignerText.Text(a["id"]) is not null)
            .GroupBy(a => DesignerText.Text(a["id"])!)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static List<(string Source, string Port, string Target)> Connections(JsonObject document) =>
        (document["root"]?["connections"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (Source: DesignerText.Text(c["source"]?["activity"]) ?? "", Port: DesignerText.Text(c["source"]?["port"]) ?? "", Target: DesignerText.Text(c["target"]?["activity"]) ?? ""))
            .ToList();
}
