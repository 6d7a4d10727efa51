using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Definitions;

namespace Workflows.Definitions.Interop.Elsa;

/// <summary>
/// Turns an Elsa 3 workflow definition (the JSON Elsa Studio exports: <c>root</c> of type <c>Elsa.Flowchart</c>,
/// inputs as typed expressions) into a ProcesFlow draft and a report of what became of every activity.
/// What ProcesFlow cannot do becomes an <c>Unresolved</c> placeholder or a <c>metadata.unresolved</c> entry, so the
/// draft keeps its shape but cannot be published until the process owner resolves it (<see cref="UnresolvedParts"/>).
/// A document that is not an Elsa flowchart at all gives errors keyed by JSON paths into it, never an exception.
/// </summary>
public sealed partial class ElsaImporter(ActivityRegistry registry, DateTimeZone zone)
{
    /// <summary>The expression languages of Elsa 3 (<c>expression.type</c>).</summary>
    public static IReadOnlyList<string> ExpressionLanguages { get; } = ["Literal", "Object", "JavaScript", "CSharp", "Liquid", "Python", "Variable"];

    /// <summary>The prefix of the custom Elsa activity types ProcesFlow exports its own activities as (<c>ProcesFlow.Hearing</c>).</summary>
    public const string CustomTypePrefix = "ProcesFlow.";

    /// <summary>Imports an Elsa document; <paramref name="definitionId"/> overrides the id derived from its name.</summary>
    public ElsaImportResult Import(JsonNode? document, string? definitionId = null) => new Run(registry, zone).Import(document, definitionId);

    /// <summary>One import: the state it builds up while reading one document.</summary>
    private sealed class Run(ActivityRegistry registry, DateTimeZone zone)
    {
        private readonly DefinitionParser parser = new(registry);
        private readonly List<ValidationError> errors = [];
        private readonly List<ElsaImportNote> notes = [];
        private readonly Dictionary<string, string> variableIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> variableTypes = new(StringComparer.Ordinal);
        private readonly List<(string DraftPrefix, string SourcePath)> pathMap = [];
        private ElsaSymbols symbols = new([], []);

        public ElsaImportResult Import(JsonNode? document, string? requestedId)
        {
            if (document is not JsonObject elsa)
            {
                return Failed(new ValidationError("$", $"must be an Elsa workflow definition (a JSON object), not {Describe(document)}"));
            }
            if (elsa["root"] is not JsonObject root)
            {
                return Failed(new ValidationError("$.root", elsa["root"] is null
                    ? "is required: an Elsa 3 workflow definition has its flowchart under root"
                    : $"must be an object (the Elsa.Flowchart), not {Describe(elsa["root"])}"));
            }
            var rootType = StringOf(root["type"]);
            if (rootType != "Elsa.Flowchart")
            {
                return Failed(new ValidationError("$.root.type", rootType is null
                    ? "must be \"Elsa.Flowchart\""
                    : $"is '{rootType}'; only flowcharts (Elsa.Flowchart) can be imported, as ProcesFlow definitions are flowcharts"));
            }

            var name = OptionalString(elsa, "name", "$") ?? "Importeret fra Elsa";
            var description = OptionalString(elsa, "description", "$");
            var elsaDefinitionId = OptionalString(elsa, "definitionId", "$");
            // A document ProcesFlow exported keeps its definition id; Elsa's own ids are opaque hex, so others get one from their name.
            var exported = elsa["customProperties"].At(ElsaExporter.ExportKey) is JsonObject;
            var id = requestedId
                ?? (exported && elsaDefinitionId is not null && Slug(elsaDefinitionId) == elsaDefinitionId ? elsaDefinitionId : null)
                ?? Slug(name) ?? Slug(elsaDefinitionId ?? "") ?? "elsa-import";

            var draft = new JsonObject { ["definitionId"] = id, ["name"] = name };
            if (!string.IsNullOrEmpty(description))
            {
                draft["description"] = description;
            }
            var inputs = ReadInputs(elsa["inputs"]);
            var variables = ReadVariables(elsa["variables"], "$.variables");
            if (root["variables"] is JsonArray { Count: > 0 })
            {
                variables.AddRange(ReadVariables(root["variables"], "$.root.variables"));
            }
            if (elsa["outputs"] is JsonArray { Count: > 0 } outputs)
            {
                notes.Add(new ElsaImportNote("$.outputs", $"The workflow's {outputs.Count} output(s) are not carried over: a ProcesFlow definition has no outputs; its variables hold the results."));
            }
            if (inputs.Count > 0)
            {
                draft["inputs"] = new JsonArray([.. inputs]);
            }
            if (variables.Count > 0)
            {
                draft["variables"] = new JsonArray([.. variables]);
            }
            symbols = new ElsaSymbols(variables.Select(v => v["name"]!.GetValue<string>()), inputs.Select(i => i["name"]!.GetValue<string>()));

            var activities = ReadActivities(root["activities"]);
            if (root["activities"] is JsonArray { Count: > DefinitionParser.MaxActivities })
            {
                // Not worth reading further: the connections would only repeat that their activities are missing.
                return Failed([.. errors]);
            }
            var connections = ReadConnections(root["connections"], activities);
            if (errors.Count > 0)
            {
                return Failed([.. errors]);
            }

            var flow = BuildFlow(activities, connections);
            if (errors.Count > 0)
            {
                return Failed([.. errors]);
            }
            draft["root"] = new JsonObject
            {
                ["type"] = "Flowchart",
                ["activities"] = new JsonArray([.. flow.Activities]),
                ["connections"] = new JsonArray([.. flow.Connections]),
            };

            // The draft must be a valid ProcesFlow definition; what is not (a loop that never waits, say) is reported
            // at the Elsa activity or connection it came from.
            var parsed = parser.Parse(draft);
            if (!parsed.IsValid)
            {
                return Failed([.. parsed.Errors.Select(ToSource)]);
            }
            var unresolved = UnresolvedParts.Find(draft);
            var reports = flow.Reports;
            var report = new ElsaImportReport(
                new ElsaImportCounts(
                    reports.Count(r => r.Status == ElsaImportStatus.Mapped),
                    reports.Count(r => r.Status == ElsaImportStatus.Approximated),
                    reports.Count(r => r.Status == ElsaImportStatus.Unsupported)),
                reports,
                notes,
                unresolved);
            return new ElsaImportResult(draft, report, []);
        }

        private static ElsaImportResult Failed(params ValidationError[] problems) => new(null, null, problems);

        /// <summary>A draft error, re-keyed to where its cause is in the Elsa document.</summary>
        private ValidationError ToSource(ValidationError error)
        {
            foreach (var (prefix, source) in pathMap.OrderByDescending(p => p.DraftPrefix.Length))
            {
                if (error.Path == prefix || error.Path.StartsWith(prefix + ".", StringComparison.Ordinal) || error.Path.StartsWith(prefix + "[", StringComparison.Ordinal))
                {
                    var rest = error.Path[prefix.Length..];
                    return new ValidationError(source, rest.Length == 0 ? error.Message : $"as ProcesFlow {rest.TrimStart('.')}: {error.Message}");
                }
            }
            return error;
        }

        // ---- inputs and variables -------------------------------------------------------------------------------

        private List<JsonObject> ReadInputs(JsonNode? node)
        {
            var inputs = new List<JsonObject>();
            foreach (var (item, path) in Items(node, "$.inputs"))
            {
                var name = RequiredName(item, path);
                if (name is null)
                {
                    continue;
                }
                var input = new JsonObject { ["name"] = name };
                // An input exported by ProcesFlow carries its own type, requiredness and default.
                if (item["procesflow"] is JsonObject own)
                {
                    foreach (var key in new[] { "type", "required" })
                    {
                        if (own[key] is { } value)
                        {
                            input[key] = value.DeepClone();
                        }
                    }
                }
                else
                {
                    var elsaType = StringOf(item["type"]) ?? StringOf(item["typeName"]) ?? "Object";
                    input["type"] = item["isArray"] is JsonValue array && array.GetValueKind() == JsonValueKind.True ? "array" : InputType(elsaType);
                }
                if (OptionalString(item, "displayName", path) is { Length: > 0 } displayName && displayName != name)
                {
                    input["displayName"] = displayName;
                }
                if (OptionalString(item, "description", path) is { Length: > 0 } inputDescription)
                {
                    input["description"] = inputDescription;
                }
                if (item["procesflow"].At("default") is { } @default)
                {
                    input["default"] = @default.DeepClone();
                }
                inputs.Add(input);
            }
            return inputs;
        }

        private static string InputType(string elsaType) => elsaType switch
        {
            "String" or "string" => "string",
            "Int32" or "Int64" or "Int16" or "Byte" or "int" or "long" => "integer",
            "Double" or "Decimal" or "Single" or "Number" or "double" or "decimal" => "number",
            "Boolean" or "bool" => "boolean",
            _ => "any",
        };

        private List<JsonObject> ReadVariables(JsonNode? node, string arrayPath)
        {
            var variables = new List<JsonObject>();
            foreach (var (item, path) in Items(node, arrayPath))
            {
                var name = RequiredName(item, path);
                if (name is null)
                {
                    continue;
                }
                var typeName = StringOf(item["typeName"]) ?? "Object";
                var variable = new JsonObject { ["name"] = name };
                if (ConvertLiteral(item["value"], typeName) is { } value)
                {
                    variable["value"] = value;
                }
                if (StringOf(item["description"]) is { Length: > 0 } variableDescription)
                {
                    variable["description"] = variableDescription;
                }
                variables.Add(variable);
                if (StringOf(item["id"]) is { } variableId)
                {
                    variableIds[variableId] = name;
                }
                variableTypes[name] = typeName;
            }
            return variables;
        }

        private string? RequiredName(JsonObject item, string path)
        {
            var name = item["name"];
            if (name is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(new ValidationError($"{path}.name", $"must be a text, not {Describe(name)}"));
                return null;
            }
            var text = value.GetValue<string>();
            if (!IdentifierPattern().IsMatch(text))
            {
                errors.Add(new ValidationError($"{path}.name", $"'{Shorten(text)}' cannot be a ProcesFlow name: use letters, digits and _, starting with a letter (at most 64)"));
                return null;
            }
            return text;
        }

        /// <summary>An Elsa literal (variables hold their value as a text, e.g. "0" for an Int32) as a JSON value.</summary>
        private static JsonNode? ConvertLiteral(JsonNode? value, string typeName)
        {
            if (value is null)
            {
                return null;
            }
            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                return value.DeepClone();
            }
            var s = text.GetValue<string>();
            switch (typeName)
            {
                case "String" or "string":
                    return s;
                case "Int32" or "Int64" or "Int16" or "Double" or "Decimal" or "Single" or "Number" or "int" or "long" or "double" or "decimal":
                    return decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                        ? number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue ? JsonValue.Create((long)number) : JsonValue.Create(number)
                        : null;
                case "Boolean" or "bool":
                    return bool.TryParse(s, out var flag) ? JsonValue.Create(flag) : null;
                default:
                    if (s.Length == 0)
                    {
                        return null;
                    }
                    try
                    {
                        return JsonNode.Parse(s, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
                    }
                    catch (JsonException)
                    {
                        return s;
                    }
            }
        }

        // ---- activities and connections -------------------------------------------------------------------------

        private sealed record Source(string Id, string Type, string Path, JsonObject Node, int Index);

        private sealed record Link(string From, string Port, string To, string Path);

        private List<Source> ReadActivities(JsonNode? node)
        {
            var found = new List<Source>();
            if (node is JsonArray { Count: > DefinitionParser.MaxActivities } tooMany)
            {
                errors.Add(new ValidationError("$.root.activities", $"has {tooMany.Count} activities; ProcesFlow takes at most {DefinitionParser.MaxActivities}"));
                return found;
            }
            if (node is null)
            {
                errors.Add(new ValidationError("$.root.activities", "is required (the flowchart's activities)"));
                return found;
            }
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var (item, path) in Items(node, "$.root.activities"))
            {
                var id = StringOf(item["id"]);
                var type = StringOf(item["type"]);
                if (id is null || id.Trim().Length == 0)
                {
                    errors.Add(new ValidationError($"{path}.id", $"must be a non-empty text, not {Describe(item["id"])}"));
                }
                else if (!ids.TryAdd(id, path))
                {
                    errors.Add(new ValidationError($"{path}.id", $"'{Shorten(id)}' is already the id of {ids[id]}"));
                    id = null;
                }
                if (type is null || type.Trim().Length == 0)
                {
                    errors.Add(new ValidationError($"{path}.type", $"must be an Elsa activity type such as \"Elsa.WriteLine\", not {Describe(item["type"])}"));
                }
                if (id is not null && type is not null)
                {
                    found.Add(new Source(id, type, path, item, index));
                }
                index++;
            }
            return found;
        }

        private List<Link> ReadConnections(JsonNode? node, List<Source> activities)
        {
            var links = new List<Link>();
            var ids = activities.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (item, path) in Items(node, "$.root.connections"))
            {
                // Elsa 3.0 wrote { "source": "id", "target": "id", "sourcePort": "Done", "targetPort": "In" };
                // later versions { "source": { "activity": "id", "port": "Done" }, "target": { … } }.
                var (from, fromPath) = item["source"] is JsonObject s ? (StringOf(s["activity"]), $"{path}.source.activity") : (StringOf(item["source"]), $"{path}.source");
                var port = item["source"] is JsonObject s2 ? StringOf(s2["port"]) : StringOf(item["sourcePort"]);
                var portPath = item["source"] is JsonObject ? $"{path}.source.port" : $"{path}.sourcePort";
                var (to, toPath) = item["target"] is JsonObject t ? (StringOf(t["activity"]), $"{path}.target.activity") : (StringOf(item["target"]), $"{path}.target");
                var targetPort = item["target"] is JsonObject t2 ? StringOf(t2["port"]) ?? "In" : StringOf(item["targetPort"]) ?? "In";
                var valid = true;
                foreach (var (value, at) in new[] { (from, fromPath), (to, toPath) })
                {
                    if (value is null)
                    {
                        errors.Add(new ValidationError(at, "must name an activity by its id"));
                        valid = false;
                    }
                    else if (!ids.Contains(value))
                    {
                        errors.Add(new ValidationError(at, $"'{Shorten(value)}' is not the id of any activity"));
                        valid = false;
                    }
                }
                if (port is null)
                {
                    errors.Add(new ValidationError(portPath, "must name the outcome port, e.g. \"Done\""));
                    valid = false;
                }
                if (valid && targetPort != "In")
                {
                    notes.Add(new ElsaImportNote(path, $"leads into the port '{targetPort}'; ProcesFlow activities have one incoming port, so it leads into In"));
                }
                if (valid)
                {
                    links.Add(new Link(from!, port!, to!, path));
                }
            }
            return links;
        }

        private sealed record Flow(List<JsonObject> Activities, List<JsonObject> Connections, List<ElsaActivityReport> Reports);

        private Flow BuildFlow(List<Source> sources, List<Link> links)
        {
            var mapped = new List<(Source Source, Mapping Mapping)>();
            foreach (var source in sources)
            {
                var outgoingPorts = links.Where(l => l.From == source.Id).Select(l => l.Port).Distinct().ToList();
                mapped.Add((source, Map(source, outgoingPorts)));
            }

            // ProcesFlow flowcharts begin at one Start. Elsa's may begin at a Start, at the activity named by
            // root.start (3.0), at trigger activities, or wherever nothing leads in.
            var starts = mapped.Where(m => m.Mapping.Type == "Start").ToList();
            foreach (var extra in starts.Skip(1))
            {
                errors.Add(new ValidationError(extra.Source.Path, "is a second Elsa.Start; a ProcesFlow flowchart begins at exactly one Start"));
            }
            if (errors.Count > 0)
            {
                return new Flow([], [], []);
            }
            var activities = new List<JsonObject>();
            var connections = new List<JsonObject>();
            var reports = new List<ElsaActivityReport>();
            string startId;
            var reachable = new HashSet<string>(StringComparer.Ordinal);
            if (starts.Count == 1)
            {
                startId = starts[0].Source.Id;
            }
            else
            {
                var taken = sources.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
                startId = "start";
                for (var n = 2; taken.Contains(startId); n++)
                {
                    startId = $"start-{n}";
                }
                var entries = EntryActivities(sources, links);
                var start = new JsonObject { ["id"] = startId, ["type"] = "Start" };
                var firstPosition = entries.Select(e => Position(e.Node)).FirstOrDefault(p => p is not null);
                if (firstPosition is { } p)
                {
                    start["metadata"] = DesignerAt(p.X - 250, p.Y);
                }
                activities.Add(start);
                foreach (var entry in entries)
                {
                    connections.Add(ConnectionJson(startId, "Done", entry.Id));
                }
                notes.Add(new ElsaImportNote("$.root", entries.Count == 0
                    ? "The flowchart has no activities; a Start was added."
                    : $"The flowchart has no Elsa.Start; a Start ('{startId}') was added before {string.Join(", ", entries.Select(e => $"'{e.Id}'"))}."));
            }

            // What can be reached from the start; Elsa never runs the rest either, so it is left out (and reported).
            var successors = links.ToLookup(l => l.From, l => l.To);
            var pending = new Queue<string>();
            foreach (var first in starts.Count == 1 ? [startId] : connections.Select(c => c["target"]!["activity"]!.GetValue<string>()))
            {
                if (reachable.Add(first))
                {
                    pending.Enqueue(first);
                }
            }
            while (pending.Count > 0)
            {
                foreach (var next in successors[pending.Dequeue()])
                {
                    if (reachable.Add(next))
                    {
                        pending.Enqueue(next);
                    }
                }
            }

            var portMaps = new Dictionary<string, Mapping>(StringComparer.Ordinal);
            foreach (var (source, mapping) in mapped)
            {
                if (!reachable.Contains(source.Id))
                {
                    reports.Add(new ElsaActivityReport(source.Path, source.Id, source.Type, ElsaImportStatus.Unsupported, null, null,
                        [new ElsaImportNote(source.Path, "cannot be reached from the start of the flowchart, so Elsa never runs it; it was left out")]));
                    continue;
                }
                var draftPath = $"$.root.activities[{activities.Count}]";
                pathMap.Add((draftPath, source.Path));
                var node = mapping.Node;
                node["id"] = source.Id;
                node["type"] = mapping.Type;
                node.Remove("__order");
                var label = StringOf(source.Node["metadata"].At("displayText")) ?? StringOf(source.Node["name"]) ?? StringOf(source.Node["displayName"]);
                var ordered = new JsonObject { ["id"] = source.Id, ["type"] = mapping.Type };
                if (!string.IsNullOrWhiteSpace(label))
                {
                    ordered["name"] = label;
                }
                if (StringOf(source.Node["description"]) is { Length: > 0 } activityDescription)
                {
                    ordered["description"] = activityDescription;
                }
                foreach (var (key, value) in node.ToList())
                {
                    if (key is not ("id" or "type"))
                    {
                        node.Remove(key);
                        ordered[key] = value;
                    }
                }
                var metadata = new JsonObject();
                if (Position(source.Node) is { } position)
                {
                    metadata["designer"] = DesignerAt(position.X, position.Y)["designer"]!.DeepClone();
                }
                if (mapping.Unresolved.Count > 0)
                {
                    metadata["unresolved"] = new JsonArray([.. mapping.Unresolved]);
                }
                if (metadata.Count > 0)
                {
                    ordered["metadata"] = metadata;
                }
                activities.Add(ordered);
                portMaps[source.Id] = mapping;
                reports.Add(new ElsaActivityReport(source.Path, source.Id, source.Type, mapping.Status, mapping.Type, draftPath, mapping.Notes));
            }

            foreach (var link in links)
            {
                if (!portMaps.TryGetValue(link.From, out var from) || !portMaps.ContainsKey(link.To))
                {
                    continue;
                }
                var port = from.Port(link.Port);
                if (port is null)
                {
                    var draftIndex = activities.FindIndex(a => a["id"]!.GetValue<string>() == link.From);
                    var entry = new JsonObject
                    {
                        ["property"] = "connections",
                        ["language"] = "Elsa",
                        ["expression"] = $"{link.Port} → {link.To}",
                        ["reason"] = $"the connection from its port '{link.Port}' to '{link.To}' ({link.Path}) has no counterpart in ProcesFlow and was left out",
                    };
                    var metadata = activities[draftIndex]["metadata"] as JsonObject ?? [];
                    activities[draftIndex]["metadata"] = metadata;
                    if (metadata["unresolved"] is not JsonArray list)
                    {
                        list = [];
                        metadata["unresolved"] = list;
                    }
                    list.Add(entry);
                    var at = reports.FindIndex(r => r.Id == link.From);
                    reports[at] = reports[at] with
                    {
                        Status = reports[at].Status == ElsaImportStatus.Mapped ? ElsaImportStatus.Approximated : reports[at].Status,
                        Notes = [.. reports[at].Notes, new ElsaImportNote(link.Path, $"the connection from port '{link.Port}' has no counterpart in ProcesFlow; it was left out and must be redrawn")],
                    };
                    continue;
                }
                var json = ConnectionJson(link.From, port, link.To);
                if (!connections.Any(c => JsonNode.DeepEquals(c, json)))
                {
                    pathMap.Add(($"$.root.connections[{connections.Count}]", link.Path));
                    connections.Add(json);
                }
            }
            return new Flow(activities, connections, reports);
        }

        private static List<Source> EntryActivities(List<Source> sources, List<Link> links)
        {
            // 3.0 named its first activity in root.start; otherwise triggers, then whatever nothing leads into.
            var triggers = sources.Where(IsTrigger).ToList();
            if (triggers.Count > 0)
            {
                return triggers;
            }
            var targets = links.Select(l => l.To).ToHashSet(StringComparer.Ordinal);
            var roots = sources.Where(s => !targets.Contains(s.Id)).ToList();
            return roots.Count > 0 ? roots : sources.Take(1).ToList();
        }

        private static bool IsTrigger(Source source) =>
            source.Node["customProperties"].At("canStartWorkflow") is JsonValue c && c.GetValueKind() == JsonValueKind.True
            || source.Node["canStartWorkflow"] is JsonValue d && d.GetValueKind() == JsonValueKind.True;

        private static JsonObject ConnectionJson(string from, string port, string to) => new()
        {
            ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
            ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
        };

        private static JsonObject DesignerAt(double x, double y) =>
            new() { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = Number(x), ["y"] = Number(y) } } };

        private static JsonValue Number(double value) =>
            value == Math.Truncate(value) && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);

        private static (double X, double Y)? Position(JsonObject node) =>
            node["metadata"].At("designer").At("position") is JsonObject p
            && p["x"] is JsonValue x && x.GetValueKind() == JsonValueKind.Number
            && p["y"] is JsonValue y && y.GetValueKind() == JsonValueKind.Number
                ? (x.GetValue<double>(), y.GetValue<double>())
                : null;

        // ---- one activity ---------------------------------------------------------------------------------------

        /// <summary>What an Elsa activity became: the ProcesFlow node (without id, type, name and metadata), how its ports map, the report.</summary>
        private sealed class Mapping(string type, ElsaImportStatus status)
        {
            public string Type { get; } = type;

            public ElsaImportStatus Status { get; set; } = status;

            public JsonObject Node { get; } = [];

            public List<ElsaImportNote> Notes { get; } = [];

            public List<JsonObject> Unresolved { get; } = [];

            public Func<string, string?> Port { get; set; } = port => port == "Done" ? "Done" : null;

            public void Approximate(string path, string message)
            {
                if (Status == ElsaImportStatus.Mapped)
                {
                    Status = ElsaImportStatus.Approximated;
                }
                Notes.Add(new ElsaImportNote(path, message));
            }
        }

        private Mapping Map(Source source, List<string> outgoingPorts)
        {
            var node = source.Node;
            var path = source.Path;
            if (IsTrigger(source) && source.Type is not ("Elsa.Start"))
            {
                return Unsupported(source, outgoingPorts,
                    "it starts the workflow by itself (a trigger); ProcesFlow instances are started through the API (POST /api/instances) or the dashboard");
            }
            switch (source.Type)
            {
                case "Elsa.Start":
                    return new Mapping("Start", ElsaImportStatus.Mapped);
                case "Elsa.Finish":
                    return new Mapping("Finish", ElsaImportStatus.Mapped);
                case "Elsa.End":
                {
                    var end = new Mapping("Finish", ElsaImportStatus.Approximated);
                    end.Notes.Add(new ElsaImportNote(path, "Elsa.End ends its flowchart; ProcesFlow's Finish ends the whole instance and cancels every other branch and wait"));
                    return end;
                }
                case "Elsa.FlowDecision":
                case "Elsa.If":
                {
                    if (source.Type == "Elsa.If" && (node["then"] is JsonObject || node["else"] is JsonObject))
                    {
                        return Unsupported(source, outgoingPorts, "it holds its Then and Else activities inside itself; ProcesFlow branches with connections (draw them from an If)");
                    }
                    var decision = new Mapping("If", ElsaImportStatus.Mapped);
                    decision.Node["condition"] = Condition(node["condition"], $"{path}.condition", decision, "condition");
                    decision.Port = port => port switch { "True" or "Then" => "True", "False" or "Else" => "False", _ => null };
                    return decision;
                }
                case "Elsa.FlowSwitch":
                case "Elsa.Switch":
                    return MapSwitch(source, outgoingPorts);
                case "Elsa.FlowFork":
                case "Elsa.Fork":
                {
                    if (node["branches"] is JsonArray)
                    {
                        return Unsupported(source, outgoingPorts, "it holds its branches inside itself; ProcesFlow forks into connections (draw them from a Fork)");
                    }
                    var fork = new Mapping("Fork", ElsaImportStatus.Mapped);
                    var branches = StringList(node["branches"], $"{path}.branches", fork, "branches") ?? [];
                    var missing = outgoingPorts.Where(p => !branches.Contains(p)).ToList();
                    if (branches.Count == 0 && outgoingPorts.Count > 0)
                    {
                        branches = [.. outgoingPorts];
                        fork.Approximate($"{path}.branches", $"has no branches; they were taken from its connections: {string.Join(", ", branches)}");
                    }
                    fork.Node["branches"] = new JsonArray([.. branches.Select(b => (JsonNode)b)]);
                    fork.Port = port => branches.Contains(port) ? port : null;
                    return fork;
                }
                case "Elsa.FlowJoin":
                {
                    var join = new Mapping("Join", ElsaImportStatus.Mapped);
                    var mode = LiteralText(node["mode"], $"{path}.mode");
                    if (mode is "WaitAll" or "WaitAny")
                    {
                        join.Node["mode"] = mode;
                    }
                    else
                    {
                        join.Node["mode"] = "WaitAny";
                        join.Approximate($"{path}.mode", mode is null
                            ? "has no mode; Elsa's FlowJoin then waits for any branch, so it became WaitAny"
                            : $"'{mode}' is not a FlowJoin mode ProcesFlow knows; it became WaitAny");
                    }
                    return join;
                }
                case "Elsa.SetVariable":
                    return MapSetVariable(source);
                case "Elsa.Delay":
                case "Elsa.Timer":
                {
                    var delay = new Mapping("Delay", ElsaImportStatus.Mapped);
                    var property = source.Type == "Elsa.Delay" ? "duration" : "interval";
                    delay.Node["duration"] = PeriodOf(node[property], $"{path}.{property}", delay);
                    if (source.Type == "Elsa.Timer")
                    {
                        delay.Approximate(path, "Elsa's Timer fires again and again; in the flow it becomes a Delay that waits once");
                    }
                    else
                    {
                        delay.Notes.Add(new ElsaImportNote($"{path}.duration", "whole days are counted in Danish local time, so a wait across a change to or from summer time ends at the same time of day"));
                    }
                    return delay;
                }
                case "Elsa.StartAt":
                    return MapStartAt(source);
                case "Elsa.SendEmail":
                    return MapSendEmail(source);
                case "Elsa.Event":
                {
                    var wait = new Mapping("WaitForSignal", ElsaImportStatus.Mapped);
                    var eventName = LiteralText(node["eventName"], $"{path}.eventName");
                    if (string.IsNullOrWhiteSpace(eventName))
                    {
                        wait.Node["signal"] = "event";
                        Unresolve(wait, "signal", $"{path}.eventName", "Elsa", Describe(node["eventName"]), "the event name is not a fixed text; name the signal this wait is for");
                    }
                    else
                    {
                        wait.Node["signal"] = eventName;
                        wait.Notes.Add(new ElsaImportNote($"{path}.eventName", $"resume it with POST /api/instances/{{id}}/signals/{eventName}"));
                    }
                    return wait;
                }
                case "Elsa.WriteLine":
                {
                    var note = new Mapping("JournalNote", ElsaImportStatus.Mapped);
                    note.Node["text"] = Text(node["text"], $"{path}.text", note, "text");
                    note.Notes.Add(new ElsaImportNote(path, "the line is written to the instance's journal rather than the console"));
                    return note;
                }
                default:
                    if (source.Type.StartsWith(CustomTypePrefix, StringComparison.Ordinal))
                    {
                        return MapOwn(source, outgoingPorts);
                    }
                    return Unsupported(source, outgoingPorts, $"ProcesFlow has no activity like '{source.Type}'");
            }
        }

        private static Mapping Unsupported(Source source, IReadOnlyList<string> outgoingPorts, string reason)
        {
            var mapping = new Mapping(UnresolvedParts.PlaceholderType, ElsaImportStatus.Unsupported);
            mapping.Node["sourceType"] = source.Type;
            mapping.Node["reason"] = reason;
            mapping.Node["ports"] = new JsonArray([.. outgoingPorts.Select(p => (JsonNode)p)]);
            mapping.Node["source"] = source.Node.DeepClone();
            mapping.Notes.Add(new ElsaImportNote(source.Path, $"not supported: {reason}; the draft holds a placeholder that must be replaced before it can be published"));
            mapping.Port = port => outgoingPorts.Contains(port) ? port : null;
            return mapping;
        }

        private Mapping MapSwitch(Source source, IReadOnlyList<string> outgoingPorts)
        {
            var node = source.Node;
            var path = source.Path;
            if (node["cases"] is JsonArray withActivities && withActivities.Any(c => c.At("activity") is JsonObject))
            {
                return Unsupported(source, outgoingPorts, "its cases hold activities inside themselves; ProcesFlow's Switch continues on a port per case (draw the connections)");
            }
            var mapping = new Mapping("Switch", ElsaImportStatus.Mapped);
            var cases = new JsonArray();
            var ports = new List<string>();
            foreach (var (item, casePath) in Items(node["cases"], $"{path}.cases"))
            {
                var label = StringOf(item["label"]);
                if (string.IsNullOrWhiteSpace(label) || label == "Default" || ports.Contains(label))
                {
                    errors.Add(new ValidationError($"{casePath}.label", "must be a text naming the case's port, not empty, not Default and not used twice"));
                    continue;
                }
                ports.Add(label);
                // A case's condition is an expression ({ type, value }), or in some versions a typed input.
                var condition = item["condition"] is JsonObject c && c["expression"] is null && c["type"] is not null
                    ? new JsonObject { ["expression"] = c.DeepClone() }
                    : item["condition"];
                var conditionPath = item["condition"] is JsonObject c2 && c2["expression"] is null ? $"{casePath}.condition" : $"{casePath}.condition.expression";
                cases.Add(new JsonObject { ["port"] = label, ["condition"] = Condition(condition, conditionPath, mapping, $"cases[{ports.Count - 1}].condition", pathIsExpression: item["condition"] is JsonObject c3 && c3["expression"] is null) });
            }
            mapping.Node["cases"] = cases;
            var mode = LiteralText(node["mode"], $"{path}.mode");
            if (mode is "MatchAny" or "MatchFirst")
            {
                mapping.Node["mode"] = mode;
            }
            else if (mode is not (null or "MatchFirst"))
            {
                mapping.Approximate($"{path}.mode", $"'{mode}' is not a switch mode ProcesFlow knows; the first matching case is taken");
            }
            mapping.Port = port => port == "Default" || ports.Contains(port) ? port : null;
            return mapping;
        }

        private Mapping MapSetVariable(Source source)
        {
            var node = source.Node;
            var path = source.Path;
            var mapping = new Mapping("SetVariable", ElsaImportStatus.Mapped);
            var variableNode = node["variable"];
            var variableId = StringOf(variableNode.At("id")) ?? StringOf(variableNode);
            var name = variableId is not null && variableIds.TryGetValue(variableId, out var byId) ? byId
                : StringOf(variableNode.At("name")) is { } byName && symbols.Variable(byName, out _) is { } resolved ? resolved["variables.".Length..]
                : null;
            if (name is null)
            {
                errors.Add(new ValidationError($"{path}.variable", $"must name one of the workflow's variables ({string.Join(", ", variableTypes.Keys)}), not {Describe(variableNode)}"));
                return mapping;
            }
            mapping.Node["variable"] = name;
            var input = ReadInput(node["value"], $"{path}.value");
            switch (input)
            {
                case null:
                    break;
                case { Language: "Literal" or "Object" }:
                    mapping.Node["value"] = ConvertLiteral(input.Value, input.Language == "Object" ? "Object" : variableTypes.GetValueOrDefault(name, input.TypeName ?? "Object"));
                    break;
                default:
                    if (TryExpression(input, out var expression, out var reason))
                    {
                        mapping.Node["expression"] = expression;
                    }
                    else
                    {
                        mapping.Node["value"] = null;
                        Unresolve(mapping, "expression", input.ExpressionPath, input.Language, StringOf(input.Value) ?? Describe(input.Value), reason!);
                    }
                    break;
            }
            return mapping;
        }

        private Mapping MapStartAt(Source source)
        {
            var path = source.Path;
            var mapping = new Mapping("WaitUntil", ElsaImportStatus.Mapped);
            var input = ReadInput(source.Node["dateTime"], $"{path}.dateTime");
            var text = input is { Language: "Literal" or "Object" } ? StringOf(input.Value) : null;
            var parsed = text is null ? null : ParseInstant(text);
            if (parsed is { } instant)
            {
                var local = instant.InZone(zone).LocalDateTime;
                mapping.Node["deadline"] = new JsonObject
                {
                    ["date"] = local.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["at"] = local.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture),
                };
                var exact = local.Second == 0 && local.NanosecondOfSecond == 0;
                var message = $"the instant {text} became the Danish deadline {local.Date:yyyy-MM-dd} kl. {local.TimeOfDay:HH:mm} ({zone.Id})"
                    + (exact ? "" : "; seconds are not kept");
                if (exact)
                {
                    mapping.Notes.Add(new ElsaImportNote($"{path}.dateTime", message));
                }
                else
                {
                    mapping.Approximate($"{path}.dateTime", message);
                }
            }
            else
            {
                mapping.Node["deadline"] = new JsonObject { ["workingDays"] = 1, ["at"] = "12:00" };
                Unresolve(mapping, "deadline", input?.ExpressionPath ?? $"{path}.dateTime", input?.Language ?? "Literal", StringOf(input?.Value) ?? Describe(input?.Value),
                    "the time to wait until is not a fixed instant; write the deadline (e.g. { \"date\": \"2026-10-31\", \"at\": \"12:00\" } or { \"workingDays\": 10, \"at\": \"12:00\" })");
            }
            return mapping;
        }

        private Mapping MapSendEmail(Source source)
        {
            var node = source.Node;
            var path = source.Path;
            var mapping = new Mapping("SendEmail", ElsaImportStatus.Mapped);
            var to = ReadInput(node["to"], $"{path}.to");
            if (to is { Language: "Literal" } && StringOf(to.Value) is { } one && !one.Contains(',', StringComparison.Ordinal) && !one.Contains(';', StringComparison.Ordinal) && !one.TrimStart().StartsWith('[') && one.Trim().Length > 0)
            {
                mapping.Node["to"] = one.Trim();
            }
            else if (to is { Language: "Literal" or "Object" } && TextList(to.Value) is { Count: > 0 } recipients)
            {
                mapping.Node["to"] = new JsonArray([.. recipients.Select(r => (JsonNode)r)]);
            }
            else if (to is not null && to.Language is not ("Literal" or "Object") && TryExpression(to, out var expression, out var reason))
            {
                mapping.Node["to"] = new JsonObject { ["expression"] = expression };
            }
            else
            {
                mapping.Node["to"] = new JsonArray();
                Unresolve(mapping, "to", to?.ExpressionPath ?? $"{path}.to", to?.Language ?? "Literal", StringOf(to?.Value) ?? Describe(to?.Value), "the recipients could not be read; give the addresses");
            }
            mapping.Node["subject"] = Text(node["subject"], $"{path}.subject", mapping, "subject");
            mapping.Node["body"] = Text(node["body"], $"{path}.body", mapping, "body");
            foreach (var dropped in new[] { "from", "cc", "bcc", "attachments" })
            {
                var value = ReadInput(node[dropped], $"{path}.{dropped}");
                if (value?.Value is { } v && !(v is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Length == 0) && !(v is JsonArray { Count: 0 }))
                {
                    mapping.Approximate($"{path}.{dropped}", dropped == "from"
                        ? "the sender is not carried over: ProcesFlow sends from its configured address (ProcesFlow:Mail:Smtp:From)"
                        : $"'{dropped}' is not carried over: ProcesFlow's SendEmail has only to, subject and body");
                }
            }
            return mapping;
        }

        /// <summary>A ProcesFlow activity exported as <c>ProcesFlow.Hearing</c> etc.: its properties come back as they were.</summary>
        private Mapping MapOwn(Source source, IReadOnlyList<string> outgoingPorts)
        {
            var type = source.Type[CustomTypePrefix.Length..];
            var descriptor = registry.Find(type);
            if (descriptor is null)
            {
                return Unsupported(source, outgoingPorts, $"'{source.Type}' names no ProcesFlow activity");
            }
            var mapping = new Mapping(type, ElsaImportStatus.Mapped);
            foreach (var property in descriptor.Properties)
            {
                var input = ReadInput(source.Node[property.Name], $"{source.Path}.{property.Name}");
                if (input is null)
                {
                    continue;
                }
                if (input.Language is "Literal" or "Object")
                {
                    mapping.Node[property.Name] = input.Language == "Object" ? ConvertLiteral(input.Value, "Object") : input.Value?.DeepClone();
                }
                else if (TryExpression(input, out var expression, out var reason))
                {
                    mapping.Node[property.Name] = new JsonObject { ["expression"] = expression };
                }
                else
                {
                    Unresolve(mapping, property.Name, input.ExpressionPath, input.Language, StringOf(input.Value) ?? Describe(input.Value), reason!);
                }
            }
            mapping.Port = port => outgoingPorts.Contains(port) ? port : null;
            return mapping;
        }

        // ---- typed inputs ---------------------------------------------------------------------------------------

        /// <summary>An Elsa input: <c>{ "typeName": "String", "expression": { "type": "Literal", "value": "…" } }</c>.</summary>
        private sealed record ElsaInput(string? TypeName, string Language, JsonNode? Value, string ExpressionPath);

        private ElsaInput? ReadInput(JsonNode? node, string path)
        {
            switch (node)
            {
                case null:
                    return null;
                case JsonValue value:
                    // A plain value where Elsa would write a literal input (hand-written and older documents).
                    return new ElsaInput(null, "Literal", value, path);
                case JsonObject input when input.ContainsKey("expression"):
                {
                    var expression = input["expression"];
                    if (expression is null)
                    {
                        return null;
                    }
                    if (expression is not JsonObject e)
                    {
                        errors.Add(new ValidationError($"{path}.expression", $"must be an object {{ \"type\": …, \"value\": … }}, not {Describe(expression)}"));
                        return null;
                    }
                    var language = StringOf(e["type"]);
                    if (language is null || !ExpressionLanguages.Contains(language))
                    {
                        errors.Add(new ValidationError($"{path}.expression.type", language is null
                            ? $"must name the expression language ({string.Join(", ", ExpressionLanguages)})"
                            : $"'{Shorten(language)}' is not an Elsa expression language ({string.Join(", ", ExpressionLanguages)})"));
                        return null;
                    }
                    return e["value"] is null && language == "Literal" ? null : new ElsaInput(StringOf(input["typeName"]), language, e["value"], $"{path}.expression.value");
                }
                case JsonObject input when input.ContainsKey("type") && input.ContainsKey("value") && input.Count <= 2:
                    // An expression without its typed-input wrapper.
                    return ReadInput(new JsonObject { ["expression"] = input.DeepClone() }, path) is { } inner ? inner with { ExpressionPath = $"{path}.value" } : null;
                default:
                    errors.Add(new ValidationError(path, $"must be an Elsa input {{ \"typeName\": …, \"expression\": {{ \"type\": …, \"value\": … }} }}, not {Describe(node)}"));
                    return null;
            }
        }

        private bool TryExpression(ElsaInput input, out string? expression, out string? reason)
        {
            expression = null;
            var source = StringOf(input.Value);
            switch (input.Language)
            {
                case "JavaScript" or "CSharp" when source is not null:
                    return ElsaExpressions.TryFromCode(input.Language, source, symbols, out expression, out reason);
                case "Variable":
                    var name = StringOf(input.Value) ?? StringOf(input.Value.At("name")) ?? StringOf(input.Value.At("id"));
                    name = name is not null && variableIds.TryGetValue(name, out var byId) ? byId : name;
                    expression = name is null ? null : symbols.Variable(name, out reason);
                    reason = expression is null ? $"it reads a variable ProcesFlow cannot find ({Describe(input.Value)})" : null;
                    return expression is not null;
                case "Liquid":
                    reason = "a Liquid template gives a text, not a value ProcesFlow can compute with";
                    return false;
                case "Python":
                    reason = "ProcesFlow does not run Python";
                    return false;
                default:
                    reason = $"the {input.Language} expression is not a text";
                    return false;
            }
        }

        private JsonNode Condition(JsonNode? node, string path, Mapping mapping, string property, bool pathIsExpression = false)
        {
            var input = ReadInput(node, pathIsExpression ? path.Replace(".expression", "", StringComparison.Ordinal) : path);
            if (input is null)
            {
                mapping.Approximate(path, "has no condition; it was read as false");
                return "false";
            }
            if (input.Language is "Literal" or "Object")
            {
                var literal = input.Value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>().ToString().ToLowerInvariant() : StringOf(input.Value)?.Trim().ToLowerInvariant();
                if (literal is "true" or "false")
                {
                    return literal;
                }
                Unresolve(mapping, property, input.ExpressionPath, input.Language, literal ?? Describe(input.Value), "the literal is not true or false");
                return "false";
            }
            if (TryExpression(input, out var expression, out var reason))
            {
                mapping.Notes.Add(new ElsaImportNote(input.ExpressionPath, $"the {input.Language} condition became '{expression}'"));
                return expression!;
            }
            Unresolve(mapping, property, input.ExpressionPath, input.Language, StringOf(input.Value) ?? Describe(input.Value), reason!);
            return "false";
        }

        private string Text(JsonNode? node, string path, Mapping mapping, string property)
        {
            var input = ReadInput(node, path);
            switch (input)
            {
                case null:
                    return "";
                case { Language: "Literal" or "Object" }:
                    var literal = StringOf(input.Value) ?? input.Value?.ToJsonString() ?? "";
                    if (ElsaExpressions.HasLiquid(literal))
                    {
                        mapping.Approximate(input.ExpressionPath, "the literal text contains {{ or {%, which ProcesFlow reads as Liquid placeholders");
                    }
                    return literal;
                case { Language: "Liquid" }:
                    string? liquidReason = null;
                    if (StringOf(input.Value) is { } liquid && ElsaExpressions.TryFromLiquid(liquid, symbols, out var text, out liquidReason))
                    {
                        return text!;
                    }
                    Unresolve(mapping, property, input.ExpressionPath, "Liquid", StringOf(input.Value) ?? Describe(input.Value), liquidReason ?? "the Liquid template is not a text");
                    return "";
                default:
                    if (TryExpression(input, out var expression, out var reason) && SimplePath().IsMatch(expression!))
                    {
                        mapping.Notes.Add(new ElsaImportNote(input.ExpressionPath, $"the {input.Language} expression became the Liquid text {{{{ {expression} }}}}"));
                        return $"{{{{ {expression} }}}}";
                    }
                    Unresolve(mapping, property, input.ExpressionPath, input.Language, StringOf(input.Value) ?? Describe(input.Value),
                        reason ?? "a text is written with Liquid placeholders in ProcesFlow, e.g. {{ variables.name }}");
                    return "";
            }
        }

        private JsonNode PeriodOf(JsonNode? node, string path, Mapping mapping)
        {
            var input = ReadInput(node, path);
            if (input is { Language: "Literal" or "Object" } && StringOf(input.Value) is { } text && ToPeriod(text) is { } period)
            {
                return period;
            }
            if (input is not null && input.Language is not ("Literal" or "Object") && TryExpression(input, out var expression, out _))
            {
                mapping.Approximate(input.ExpressionPath, "the duration is computed when the wait begins and must then be an ISO 8601 period such as \"P3D\"");
                return new JsonObject { ["expression"] = expression };
            }
            Unresolve(mapping, "duration", input?.ExpressionPath ?? path, input?.Language ?? "Literal", StringOf(input?.Value) ?? Describe(input?.Value),
                "the duration is not a time span ProcesFlow can read (e.g. \"1.00:00:00\" or \"PT2H\"); write it as an ISO 8601 period");
            return "P1D";
        }

        /// <summary>A .NET time span ("1.02:03:04", "00:00:05") or an ISO 8601 period ("PT5M") as an ISO period.</summary>
        private static string? ToPeriod(string text)
        {
            var iso = PeriodPattern.NormalizingIso.Parse(text);
            if (iso.Success && iso.Value.Normalize() != Period.Zero)
            {
                return PeriodPattern.NormalizingIso.Format(iso.Value.Normalize());
            }
            if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) || span <= TimeSpan.Zero)
            {
                return null;
            }
            var builder = new PeriodBuilder { Days = span.Days, Hours = span.Hours, Minutes = span.Minutes, Seconds = span.Seconds, Milliseconds = span.Milliseconds };
            return PeriodPattern.NormalizingIso.Format(builder.Build().Normalize());
        }

        private static Instant? ParseInstant(string text)
        {
            var withOffset = OffsetDateTimePattern.ExtendedIso.Parse(text);
            if (withOffset.Success)
            {
                return withOffset.Value.ToInstant();
            }
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? Instant.FromDateTimeOffset(parsed) : null;
        }

        private List<string>? StringList(JsonNode? node, string path, Mapping mapping, string property)
        {
            var input = ReadInput(node, path);
            if (input is null)
            {
                return null;
            }
            if (input.Language is "Literal" or "Object" && TextList(input.Value) is { } list)
            {
                return list;
            }
            Unresolve(mapping, property, input.ExpressionPath, input.Language, StringOf(input.Value) ?? Describe(input.Value), "it is not a fixed list of names");
            return null;
        }

        /// <summary>A list of texts written as a JSON array, a JSON array in a text, or a text with commas.</summary>
        private static List<string>? TextList(JsonNode? value)
        {
            if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            {
                var s = text.GetValue<string>().Trim();
                if (s.StartsWith('['))
                {
                    try
                    {
                        value = JsonNode.Parse(s, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
                    }
                    catch (JsonException)
                    {
                        return null;
                    }
                }
                else
                {
                    return s.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                }
            }
            if (value is JsonArray array && array.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String))
            {
                return array.Select(i => i!.GetValue<string>()).ToList();
            }
            return null;
        }

        private string? LiteralText(JsonNode? node, string path) =>
            ReadInput(node, path) is { Language: "Literal" or "Object" } input ? StringOf(input.Value) : null;

        private static void Unresolve(Mapping mapping, string property, string path, string language, string expression, string reason)
        {
            mapping.Unresolved.Add(new JsonObject
            {
                ["property"] = property,
                ["language"] = language,
                ["expression"] = expression,
                ["reason"] = $"the {language} {Shorten(expression)} ({path}) was not translated: {reason}",
            });
            if (mapping.Status == ElsaImportStatus.Mapped)
            {
                mapping.Status = ElsaImportStatus.Approximated;
            }
            mapping.Notes.Add(new ElsaImportNote(path, $"not translated: {reason}; the process owner must write '{property}' before the draft can be published"));
        }

        // ---- plain JSON helpers ---------------------------------------------------------------------------------

        private IEnumerable<(JsonObject Item, string Path)> Items(JsonNode? node, string path)
        {
            if (node is null)
            {
                yield break;
            }
            if (node is not JsonArray array)
            {
                errors.Add(new ValidationError(path, $"must be a list, not {Describe(node)}"));
                yield break;
            }
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonObject item)
                {
                    yield return (item, $"{path}[{i}]");
                }
                else
                {
                    errors.Add(new ValidationError($"{path}[{i}]", $"must be an object, not {Describe(array[i])}"));
                }
            }
        }

        private string? OptionalString(JsonObject obj, string key, string path)
        {
            var value = obj[key];
            if (value is null)
            {
                return null;
            }
            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(new ValidationError($"{path}.{key}", $"must be a text, not {Describe(value)}"));
                return null;
            }
            return text.GetValue<string>();
        }
    }

    internal static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A value as a problem message names it, the same way the definition parser does.</summary>
    internal static string Describe(JsonNode? node) => PropertyKinds.Describe(node);

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 60), "…");

    /// <summary>A definition id from a name: "Høring om Praksisplan" → "hoering-om-praksisplan".</summary>
    internal static string? Slug(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            var mapped = c switch { 'æ' => "ae", 'ø' => "oe", 'å' => "aa", _ => c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c.ToString() : "-" };
            builder.Append(mapped);
        }
        var slug = MultipleHyphens().Replace(builder.ToString(), "-").Trim('-');
        if (slug.Length > 100)
        {
            slug = slug[..100].TrimEnd('-');
        }
        return slug.Length == 0 ? null : slug;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:variables|input)(?:\.[A-Za-z_][A-Za-z0-9_]*)+$")]
    private static partial System.Text.RegularExpressions.Regex SimplePath();

    [System.Text.RegularExpressions.GeneratedRegex("-{2,}")]
    private static partial System.Text.RegularExpressions.Regex MultipleHyphens();

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex IdentifierPattern();
}
