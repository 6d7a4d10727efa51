using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Parties;

namespace Workflows.Definitions.Designer;

/// <summary>
/// "Læs som tekst": a Danish description of a flow, step by step from Start, for a case file or a KKR agenda.
/// Deterministic: the steps are numbered breadth-first from Start, a step's branches in the order its
/// connections are written, so the same definition always reads the same.
/// </summary>
public sealed class FlowNarrator(ActivityRegistry registry, PartyDirectory parties)
{
    public IReadOnlyList<string> Describe(JsonObject document)
    {
        var activities = (document["root"]?["activities"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(a => DesignerText.Text(a["id"]) is not null).ToList();
        var byId = activities.GroupBy(a => DesignerText.Text(a["id"])!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var connections = (document["root"]?["connections"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (Source: DesignerText.Text(c["source"]?["activity"]), Port: DesignerText.Text(c["source"]?["port"]) ?? "", Target: DesignerText.Text(c["target"]?["activity"])))
            .Where(c => c.Source is not null && c.Target is not null && byId.ContainsKey(c.Target))
            .ToList();

        // Breadth-first from Start; whatever cannot be reached comes last, in document order.
        var order = new List<string>();
        var start = activities.FirstOrDefault(a => DesignerText.Text(a["type"]) == "Start");
        if (start is not null)
        {
            var pending = new Queue<string>([DesignerText.Text(start["id"])!]);
            order.Add(pending.Peek());
            while (pending.Count > 0)
            {
                var current = pending.Dequeue();
                foreach (var next in connections.Where(c => c.Source == current).Select(c => c.Target!))
                {
                    if (!order.Contains(next))
                    {
                        order.Add(next);
                        pending.Enqueue(next);
                    }
                }
            }
        }
        order.AddRange(byId.Keys.Where(id => !order.Contains(id)).OrderBy(id => activities.IndexOf(byId[id])));

        var lines = new List<string>();
        var title = DesignerText.Text(document["name"]);
        if (title is not null)
        {
            lines.Add($"Forløbet »{title}«:");
        }
        for (var i = 0; i < order.Count; i++)
        {
            var activity = byId[order[i]];
            var line = string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {Sentence(activity)}");
            var outgoing = connections.Where(c => c.Source == order[i]).ToList();
            var ports = outgoing.Select(c => c.Port).Distinct().ToList();
            if (ports.Count == 1 && outgoing.Count == 1 && ports[0] == "Done")
            {
                line += string.Create(CultureInfo.InvariantCulture, $" Derefter trin {order.IndexOf(outgoing[0].Target!) + 1}.");
            }
            else
            {
                foreach (var port in ports)
                {
                    var steps = outgoing.Where(c => c.Port == port).Select(c => (order.IndexOf(c.Target!) + 1).ToString(CultureInfo.InvariantCulture));
                    line += $" Ved »{DesignChecks.PortName(port)}«: trin {string.Join(" og ", steps)}.";
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    private string Sentence(JsonObject activity)
    {
        var type = DesignerText.Text(activity["type"]) ?? "";
        var name = DesignerText.Text(activity["name"]) ?? DesignerText.Text(activity["displayName"]);
        var label = name ?? registry.Find(type)?.DisplayName ?? type;
        switch (type)
        {
            case "Start":
                return "Forløbet starter.";
            case "Finish":
                return name is null ? "Forløbet slutter." : $"Forløbet slutter: {name}.";
            case "Hearing":
                var reminders = activity["reminders"] is { } r && !(r is JsonArray { Count: 0 }) ? $"; {DesignerText.Reminders(r)}" : "";
                var ask = DesignerText.Text(activity["ask"]) switch
                {
                    "approval" => "sendes til godkendelse hos",
                    "accession" => "sendes til tiltrædelse hos",
                    _ => "sendes i høring til",
                };
                return $"{label}: {ask} {DesignerText.Parties(activity["parties"], parties)} med frist {DesignerText.Deadline(activity["deadline"])}{reminders}.";
            case "Decision":
                var body = DesignerText.Text(activity["body"]);
                var bodyName = body is null ? "et organ" : parties.Find(body)?.Name ?? body;
                return $"{label}: behandles i {bodyName}.";
            case "Delay":
                return $"{label}: afvent {DesignerText.Value(activity["duration"])}.";
            case "WaitUntil":
                return $"{label}: afvent til {DesignerText.Deadline(activity["deadline"])}.";
            case "SendEmail":
                return $"{label}: send e-mail med emnet {DesignerText.Value(activity["subject"])}.";
            default:
                var typeName = registry.Find(type)?.DisplayName ?? type;
                return name is null ? $"{typeName}." : $"{typeName}: {name}.";
        }
    }
}
