using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Definitions;

namespace Workflows.Definitions.Interop.Elsa;

/// <summary>
/// Writes a ProcesFlow definition as an Elsa 3 workflow definition. The activities both have become Elsa's own
/// (<c>If</c> → <c>Elsa.FlowDecision</c>, <c>JournalNote</c> → <c>Elsa.WriteLine</c>, …); ProcesFlow-only activities
/// (Hearing, Approval, Decision, UserTask, a quorum Join, a Danish working-day deadline) become custom activity types
/// named <c>ProcesFlow.Hearing</c> etc. with their properties, and the document says so under
/// <c>customProperties["ProcesFlow:Export"]</c>. Expressions are written as Elsa JavaScript
/// (<c>variables.answered &gt;= 17</c> → <c>getVariable("answered") &gt;= 17</c>); importing the result gives the
/// definition back.
/// </summary>
public sealed class ElsaExporter(DateTimeZone zone)
{
    public const string ExportKey = "ProcesFlow:Export";

    /// <summary>JSON written inside an Elsa text (an Object expression, a variable's value) keeps æ, ø and å readable.</summary>
    private static readonly JsonSerializerOptions InnerJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string StorageDriver = "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core";

    /// <summary>Exports a valid definition document (as stored) of the given version.</summary>
    public ElsaExport Export(JsonObject definition, int version)
    {
        var notes = new List<ElsaImportNote>();
        var customTypes = new SortedSet<string>(StringComparer.Ordinal);
        var definitionId = ElsaImporter.StringOf(definition["definitionId"]) ?? "definition";

        var activities = new JsonArray();
        var index = 0;
        foreach (var node in definition["root"].At("activities") as JsonArray ?? [])
        {
            if (node is JsonObject activity)
            {
                activities.Add(ExportActivity(activity, $"$.root.activities[{index}]", notes, customTypes));
            }
            index++;
        }
        var connections = new JsonArray();
        foreach (var node in definition["root"].At("connections") as JsonArray ?? [])
        {
            connections.Add(new JsonObject
            {
                ["source"] = new JsonObject { ["activity"] = node.At("source").At("activity")?.DeepClone(), ["port"] = node.At("source").At("port")?.DeepClone() },
                ["target"] = new JsonObject { ["activity"] = node.At("target").At("activity")?.DeepClone(), ["port"] = "In" },
                ["vertices"] = new JsonArray(),
            });
        }

        var elsa = new JsonObject
        {
            ["$schema"] = "https://elsaworkflows.io/schemas/workflow-definition/v3.0.0/schema.json",
            ["id"] = $"{definitionId}-v{version}",
            ["definitionId"] = definitionId,
            ["name"] = definition["name"]?.DeepClone(),
            ["description"] = definition["description"]?.DeepClone() ?? "",
            ["version"] = version,
            ["toolVersion"] = "3.5.0.0",
            ["variables"] = new JsonArray([.. (definition["variables"] as JsonArray ?? []).OfType<JsonObject>().Select(ExportVariable)]),
            ["inputs"] = new JsonArray([.. (definition["inputs"] as JsonArray ?? []).OfType<JsonObject>().Select(ExportInput)]),
            ["outputs"] = new JsonArray(),
            ["outcomes"] = new JsonArray(),
            ["customProperties"] = new JsonObject
            {
                [ExportKey] = new JsonObject
                {
                    ["definitionId"] = definitionId,
                    ["version"] = version,
                    ["customActivityTypes"] = new JsonArray([.. customTypes.Select(t => (JsonNode)t)]),
                    ["notes"] = new JsonArray([.. notes.Select(n => (JsonNode)new JsonObject { ["path"] = n.Path, ["message"] = n.Message })]),
                },
            },
            ["isReadonly"] = false,
            ["isSystem"] = false,
            ["isLatest"] = true,
            ["isPublished"] = false,
            ["options"] = new JsonObject { ["autoUpdateConsumingWorkflows"] = false },
            ["root"] = new JsonObject
            {
                ["id"] = "flowchart",
                ["type"] = "Elsa.Flowchart",
                ["version"] = 1,
                ["activities"] = activities,
                ["connections"] = connections,
            },
        };
        return new ElsaExport(elsa, [.. customTypes], notes);
    }

    private JsonObject ExportActivity(JsonObject activity, string path, List<ElsaImportNote> notes, SortedSet<string> customTypes)
    {
        var type = ElsaImporter.StringOf(activity["type"]) ?? "";
        var name = ElsaImporter.StringOf(activity["name"]) ?? ElsaImporter.StringOf(activity["displayName"]);
        JsonObject elsa;
        switch (type)
        {
            case "Start":
                elsa = Node("Elsa.Start");
                break;
            case "Finish":
                elsa = Node("Elsa.Finish");
                break;
            case "If":
                elsa = Node("Elsa.FlowDecision");
                elsa["condition"] = Code("Boolean", ElsaImporter.StringOf(activity["condition"]) ?? "false", path, notes);
                break;
            case "Switch":
                elsa = Node("Elsa.FlowSwitch");
                elsa["cases"] = new JsonArray([.. (activity["cases"] as JsonArray ?? []).Select(c => (JsonNode)new JsonObject
                {
                    ["label"] = c.At("port")?.DeepClone(),
                    ["condition"] = Code("Boolean", ElsaImporter.StringOf(c.At("condition")) ?? "false", path, notes)["expression"]!.DeepClone(),
                })]);
                if (ElsaImporter.StringOf(activity["mode"]) is { } mode)
                {
                    elsa["mode"] = Literal("Elsa.Workflows.Activities.Flowchart.Models.FlowSwitchMode, Elsa.Workflows.Core", mode);
                }
                break;
            case "Fork":
                elsa = Node("Elsa.FlowFork");
                elsa["branches"] = ObjectInput("String[]", activity["branches"] is JsonValue single ? new JsonArray(single.DeepClone()) : activity["branches"]);
                break;
            case "Join" when ElsaImporter.StringOf(activity["mode"]) is "WaitAll" or "WaitAny":
                elsa = Node("Elsa.FlowJoin");
                elsa["mode"] = Literal("Elsa.Workflows.Activities.Flowchart.Models.FlowJoinMode, Elsa.Workflows.Core", ElsaImporter.StringOf(activity["mode"])!);
                break;
            case "SetVariable":
                elsa = Node("Elsa.SetVariable");
                var variable = ElsaImporter.StringOf(activity["variable"]) ?? "";
                elsa["variable"] = new JsonObject { ["id"] = variable, ["name"] = variable, ["typeName"] = "Object", ["isArray"] = false };
                if (ElsaImporter.StringOf(activity["expression"]) is { } expression)
                {
                    elsa["value"] = Code("Object", expression, path, notes);
                }
                else if (activity["value"] is { } value)
                {
                    elsa["value"] = ObjectInput("Object", value);
                }
                break;
            case "Delay" when activity["duration"] is JsonObject { Count: 1 } computed && ElsaImporter.StringOf(computed["expression"]) is { } durationExpression:
                elsa = Node("Elsa.Delay");
                elsa["duration"] = Code("TimeSpan", durationExpression, path, notes);
                notes.Add(new ElsaImportNote($"{path}.duration", "the duration is computed by an expression that gives an ISO 8601 period; Elsa expects a TimeSpan"));
                break;
            case "Delay" when TimeSpanOf(ElsaImporter.StringOf(activity["duration"])) is { } span:
                elsa = Node("Elsa.Delay");
                elsa["duration"] = Literal("TimeSpan", span);
                notes.Add(new ElsaImportNote($"{path}.duration", "Elsa waits elapsed time; ProcesFlow counts whole days in Danish local time (the same time of day across a change to or from summer time)"));
                break;
            case "WaitUntil" when activity["deadline"] is JsonObject { Count: 2 } deadline && AbsoluteInstant(deadline) is { } instant:
                elsa = Node("Elsa.StartAt");
                elsa["dateTime"] = Literal("DateTimeOffset", OffsetDateTimePattern.ExtendedIso.Format(instant.InZone(zone).ToOffsetDateTime()));
                break;
            case "WaitForSignal" when activity["resultVariable"] is null:
                elsa = Node("Elsa.Event");
                elsa["eventName"] = Literal("String", ElsaImporter.StringOf(activity["signal"]) ?? "");
                break;
            case "SendEmail":
                elsa = Node("Elsa.SendEmail");
                elsa["to"] = activity["to"] is JsonObject { Count: 1 } toExpression && ElsaImporter.StringOf(toExpression["expression"]) is { } to
                    ? Code("String[]", to, path, notes)
                    : activity["to"] is JsonValue oneAddress ? Literal("String", oneAddress.GetValue<string>()) : ObjectInput("String[]", activity["to"]);
                elsa["subject"] = TextInput(ElsaImporter.StringOf(activity["subject"]) ?? "");
                elsa["body"] = TextInput(ElsaImporter.StringOf(activity["body"]) ?? "");
                notes.Add(new ElsaImportNote(path, "Elsa sends the mail at once; ProcesFlow queues it in its outbox and retries"));
                break;
            case "JournalNote":
                elsa = Node("Elsa.WriteLine");
                elsa["text"] = TextInput(ElsaImporter.StringOf(activity["text"]) ?? "");
                notes.Add(new ElsaImportNote(path, "Elsa writes the line to the console; ProcesFlow wrote it to the instance's journal"));
                break;
            case UnresolvedParts.PlaceholderType when activity["source"] is JsonObject original:
                // What an import could not translate goes back to Elsa as it came.
                elsa = original.DeepClone().AsObject();
                notes.Add(new ElsaImportNote(path, $"an Elsa '{ElsaImporter.StringOf(original["type"])}' that ProcesFlow could not run; exported as it was imported"));
                break;
            default:
                elsa = Node(ElsaImporter.CustomTypePrefix + type);
                customTypes.Add(ElsaImporter.CustomTypePrefix + type);
                foreach (var (key, value) in activity)
                {
                    if (key is "id" or "type" or "name" or "displayName" or "description" or "metadata" or "customProperties" or "version")
                    {
                        continue;
                    }
                    elsa[key] = value is JsonObject { Count: 1 } e && ElsaImporter.StringOf(e["expression"]) is { } propertyExpression
                        ? Code("Object", propertyExpression, $"{path}.{key}", notes)
                        : ObjectInput("Object", value);
                }
                notes.Add(new ElsaImportNote(path, $"ProcesFlow's {type} has no Elsa counterpart; it is exported as the custom activity type {ElsaImporter.CustomTypePrefix}{type} with its properties, which Elsa can show but not run without a matching activity"));
                break;
        }
        elsa["id"] = activity["id"]?.DeepClone();
        if (name is not null)
        {
            elsa["name"] = name;
        }
        if (activity["description"] is { } activityDescription)
        {
            elsa["description"] = activityDescription.DeepClone();
        }
        var metadata = elsa["metadata"] as JsonObject ?? [];
        elsa["metadata"] = metadata;
        var asImported = type == UnresolvedParts.PlaceholderType && activity["source"] is JsonObject;
        if (activity["metadata"].At("designer").At("position") is JsonObject position)
        {
            // A placeholder keeps the rest of its Elsa designer metadata (its size); only where it stands may have moved.
            var designer = asImported && metadata["designer"] is JsonObject kept ? kept : new JsonObject();
            designer["position"] = position.DeepClone();
            metadata["designer"] = designer;
        }
        if (name is not null && !asImported)
        {
            metadata["displayText"] = name;
        }
        return elsa;
    }

    private static JsonObject Node(string type) => new()
    {
        ["type"] = type,
        ["version"] = 1,
        ["customProperties"] = new JsonObject { ["canStartWorkflow"] = false, ["runAsynchronously"] = false },
    };

    private static JsonObject Literal(string typeName, string value) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };

    private static JsonObject ObjectInput(string typeName, JsonNode? value) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = value?.ToJsonString(InnerJson) ?? "null" } };

    private static JsonObject TextInput(string text) => ElsaExpressions.HasLiquid(text)
        ? new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Liquid", ["value"] = ElsaExpressions.ToElsaLiquid(text) } }
        : Literal("String", text);

    private static JsonObject Code(string typeName, string expression, string path, List<ElsaImportNote> notes)
    {
        if (ElsaExpressions.OwnFunctionsUsed(expression) is { Count: > 0 } functions)
        {
            notes.Add(new ElsaImportNote(path, $"the expression '{expression}' uses {string.Join(", ", functions)}, which Elsa's JavaScript does not have"));
        }
        return new JsonObject { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = ElsaExpressions.ToJavaScript(expression) } };
    }

    private static JsonObject ExportVariable(JsonObject variable)
    {
        var name = ElsaImporter.StringOf(variable["name"]) ?? "";
        var elsa = new JsonObject { ["id"] = name, ["name"] = name, ["typeName"] = "Object", ["isArray"] = false };
        if (variable["value"] is { } value)
        {
            elsa["value"] = value.ToJsonString(InnerJson);
        }
        if (variable["description"] is { } description)
        {
            elsa["description"] = description.DeepClone();
        }
        elsa["storageDriverTypeName"] = StorageDriver;
        return elsa;
    }

    private static JsonObject ExportInput(JsonObject input)
    {
        var type = ElsaImporter.StringOf(input["type"]) ?? "any";
        var own = new JsonObject { ["type"] = type };
        if (input["required"] is { } required)
        {
            own["required"] = required.DeepClone();
        }
        if (input["default"] is { } @default)
        {
            own["default"] = @default.DeepClone();
        }
        var elsa = new JsonObject
        {
            ["name"] = input["name"]?.DeepClone(),
            ["displayName"] = input["displayName"]?.DeepClone() ?? input["name"]?.DeepClone(),
            ["type"] = type switch { "string" => "String", "integer" => "Int32", "number" => "Double", "boolean" => "Boolean", _ => "Object" },
            ["isArray"] = type == "array",
            ["uiHint"] = "singleline",
            ["category"] = "Primitives",
            ["storageDriverType"] = StorageDriver,
            ["procesflow"] = own,
        };
        if (input["description"] is { } description)
        {
            elsa["description"] = description.DeepClone();
        }
        return elsa;
    }

    /// <summary>An ISO period without months or years as a .NET time span text ("1.02:00:00"), else null.</summary>
    private static string? TimeSpanOf(string? period)
    {
        if (period is null || PeriodPattern.NormalizingIso.Parse(period) is not { Success: true } parsed)
        {
            return null;
        }
        var value = parsed.Value;
        if (value.Years != 0 || value.Months != 0)
        {
            return null;
        }
        return value.ToDuration().ToTimeSpan().ToString("c", CultureInfo.InvariantCulture);
    }

    /// <summary>The instant of a deadline written as exactly <c>{ "date": "…", "at": "HH:mm" }</c> in the zone, else null.</summary>
    private Instant? AbsoluteInstant(JsonObject deadline)
    {
        if (ElsaImporter.StringOf(deadline["date"]) is not { } date || ElsaImporter.StringOf(deadline["at"]) is not { } at)
        {
            return null;
        }
        var day = LocalDatePattern.Iso.Parse(date);
        var time = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(at);
        return day.Success && time.Success ? (day.Value + time.Value).InZoneLeniently(zone).ToInstant() : null;
    }
}

/// <summary>An Elsa document, the custom activity types it uses, and notes keyed by paths in the ProcesFlow definition.</summary>
public sealed record ElsaExport(JsonObject Document, IReadOnlyList<string> CustomActivityTypes, IReadOnlyList<ElsaImportNote> Notes);
