using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Definitions.Activities;

namespace Workflows.Definitions.Definitions;

/// <summary>
/// Reads a definition document, reports <em>every</em> problem with its JSON path, and binds the activities.
/// Malformed input of any shape gives errors, never an exception.
/// </summary>
public sealed partial class DefinitionParser(ActivityRegistry registry)
{
    public const int MaxActivities = 2_000;

    private static readonly HashSet<string> DocumentKeys =
        ["$schema", "definitionId", "version", "name", "description", "inputs", "variables", "root", "isPublished", "isLatest", "createdAt", "toolVersion"];

    private static readonly HashSet<string> ActivityKeys = ["id", "type", "name", "displayName", "description", "metadata", "customProperties", "version"];

    public static DefinitionParser Default { get; } = new(ActivityRegistry.Default);

    /// <summary>Parses JSON text; a syntax error is reported with its line and position.</summary>
    public DefinitionParseResult Parse(string json) =>
        TryReadJson(json, out var document, out var error) ? Parse(document) : DefinitionParseResult.Failed([error!]);

    /// <summary>Reads JSON text with a depth limit; a syntax error becomes a <c>$</c> error with line and position.</summary>
    public static bool TryReadJson(string json, out JsonNode? document, out ValidationError? error)
    {
        try
        {
            document = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            error = null;
            return true;
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" (line {line + 1}, position {exception.BytePositionInLine + 1})" : "";
            document = null;
            error = new ValidationError("$", $"is not valid JSON{where}");
            return false;
        }
    }

    public DefinitionParseResult Parse(JsonNode? document)
    {
        var errors = new List<ValidationError>();
        if (document is not JsonObject root)
        {
            return DefinitionParseResult.Failed([new ValidationError("$", $"must be a JSON object, not {PropertyKinds.Describe(document)}")]);
        }

        foreach (var (key, _) in root)
        {
            if (!DocumentKeys.Contains(key))
            {
                errors.Add(new ValidationError($"$.{key}", $"is not a property of a definition (known: {string.Join(", ", DocumentKeys)})"));
            }
        }

        var definitionId = RequiredString(root, "definitionId", "$", errors);
        if (definitionId is not null && !DefinitionIdPattern().IsMatch(definitionId))
        {
            errors.Add(new ValidationError("$.definitionId", "must be 1–100 lower-case letters, digits and hyphens, starting with a letter or digit"));
        }
        var name = RequiredString(root, "name", "$", errors);
        var description = OptionalString(root, "description", "$", errors);
        if (root["version"] is { } version && (version.GetValueKind() != JsonValueKind.Number || !version.AsValue().TryGetValue<int>(out _)))
        {
            errors.Add(new ValidationError("$.version", "must be a whole number (it is assigned by the server)"));
        }

        var inputs = ReadInputs(root["inputs"], errors);
        var variables = ReadVariables(root["variables"], errors);
        var symbols = new DefinitionSymbols(
            inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal),
            variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal));

        var flowchart = ReadFlowchart(root["root"], symbols, errors);

        return errors.Count > 0 || flowchart is null
            ? DefinitionParseResult.Failed(errors)
            : DefinitionParseResult.Parsed(new WorkflowDefinition(definitionId!, name!, description, inputs, variables, flowchart));
    }

    /// <summary>
    /// The outcome ports of every activity that binds, even when the document as a whole has errors: the designer
    /// draws a node's ports while its user is still fixing the rest.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> PortsOf(JsonNode? document)
    {
        var errors = new List<ValidationError>();
        if (document is not JsonObject root || root["root"] is not JsonObject flowchart)
        {
            return new Dictionary<string, IReadOnlyList<string>>();
        }
        var inputs = ReadInputs(root["inputs"], errors);
        var variables = ReadVariables(root["variables"], errors);
        var symbols = new DefinitionSymbols(
            inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal),
            variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal));
        return ReadActivities(flowchart["activities"], symbols, errors, out _)
            .ToDictionary(a => a.Id, a => a.Ports, StringComparer.Ordinal);
    }

    /// <summary>The ports of a node of <paramref name="type"/> with no properties set: what the palette shows.</summary>
    public IReadOnlyList<string> DefaultPorts(string type)
    {
        var document = new JsonObject
        {
            ["root"] = new JsonObject { ["activities"] = new JsonArray(new JsonObject { ["id"] = "x", ["type"] = type }) },
        };
        return PortsOf(document).GetValueOrDefault("x") ?? [];
    }

    private static List<InputDefinition> ReadInputs(JsonNode? node, List<ValidationError> errors)
    {
        var inputs = new List<InputDefinition>();
        foreach (var (item, path) in Items(node, "$.inputs", errors))
        {
            var name = RequiredString(item, "name", path, errors);
            if (name is not null && !IdentifierPattern().IsMatch(name))
            {
                errors.Add(new ValidationError($"{path}.name", "must be a name of letters, digits and _ that starts with a letter"));
            }
            var type = OptionalString(item, "type", path, errors) ?? "any";
            if (!InputTypes.All.Contains(type))
            {
                errors.Add(new ValidationError($"{path}.type", $"must be one of {string.Join(", ", InputTypes.All)}"));
            }
            var required = item["required"] is { } r
                ? r.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? r.GetValue<bool>() : Invalid(errors, $"{path}.required", "must be true or false")
                : false;
            var displayName = OptionalString(item, "displayName", path, errors);
            var inputDescription = OptionalString(item, "description", path, errors);
            var @default = item["default"];
            if (@default is not null && InputTypes.All.Contains(type))
            {
                InputTypes.Check(type, @default, $"{path}.default", errors);
            }
            ReportUnknown(item, path, ["name", "type", "required", "displayName", "description", "default", "uiHint"], errors);
            if (name is not null)
            {
                if (inputs.Any(i => i.Name == name))
                {
                    errors.Add(new ValidationError($"{path}.name", $"the input '{name}' is declared twice"));
                }
                inputs.Add(new InputDefinition(name, type, required, displayName, inputDescription, @default?.DeepClone()));
            }
        }
        return inputs;
    }

    private static List<VariableDefinition> ReadVariables(JsonNode? node, List<ValidationError> errors)
    {
        var variables = new List<VariableDefinition>();
        foreach (var (item, path) in Items(node, "$.variables", errors))
        {
            var name = RequiredString(item, "name", path, errors);
            if (name is not null && !IdentifierPattern().IsMatch(name))
            {
                errors.Add(new ValidationError($"{path}.name", "must be a name of letters, digits and _ that starts with a letter"));
            }
            ReportUnknown(item, path, ["name", "value", "type", "description"], errors);
            if (name is not null)
            {
                if (variables.Any(v => v.Name == name))
                {
                    errors.Add(new ValidationError($"{path}.name", $"the variable '{name}' is declared twice"));
                }
                variables.Add(new VariableDefinition(name, item["value"]?.DeepClone()));
            }
        }
        return variables;
    }

    private Flowchart? ReadFlowchart(JsonNode? node, DefinitionSymbols symbols, List<ValidationError> errors)
    {
        if (node is not JsonObject root)
        {
            errors.Add(new ValidationError("$.root", node is null ? "is required (the flowchart)" : $"must be an object, not {PropertyKinds.Describe(node)}"));
            return null;
        }
        if (root["type"] is { } type && (type.GetValueKind() != JsonValueKind.String || type.GetValue<string>() != "Flowchart"))
        {
            errors.Add(new ValidationError("$.root.type", "must be \"Flowchart\""));
        }
        ReportUnknown(root, "$.root", ["type", "id", "activities", "connections", "metadata"], errors);

        var errorCountBefore = errors.Count;
        var activities = ReadActivities(root["activities"], symbols, errors, out var activityPaths);
        var connections = ReadConnections(root["connections"], activities, activityPaths, errors);
        if (errors.Count > errorCountBefore)
        {
            // The graph checks below assume well-formed activities and connections.
            return null;
        }

        var starts = activities.Where(a => a.Type == "Start").ToList();
        if (starts.Count == 0)
        {
            errors.Add(new ValidationError("$.root.activities", "must contain one Start activity"));
            return null;
        }
        foreach (var extra in starts.Skip(1))
        {
            errors.Add(new ValidationError(activityPaths[extra.Id], "is a second Start activity; a flowchart has exactly one"));
        }
        if (errors.Count > errorCountBefore)
        {
            return null;
        }

        var flowchart = new Flowchart(activities, connections);
        CheckGraph(flowchart, activityPaths, errors);
        return errors.Count > errorCountBefore ? null : flowchart;
    }

    private List<FlowActivity> ReadActivities(JsonNode? node, DefinitionSymbols symbols, List<ValidationError> errors, out Dictionary<string, string> paths)
    {
        paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var activities = new List<FlowActivity>();
        if (node is JsonArray { Count: > MaxActivities } tooMany)
        {
            errors.Add(new ValidationError("$.root.activities", $"has {tooMany.Count} activities; at most {MaxActivities} are allowed"));
            return activities;
        }
        foreach (var (item, path) in Items(node, "$.root.activities", errors, required: true))
        {
            var id = RequiredString(item, "id", path, errors);
            var type = RequiredString(item, "type", path, errors);
            if (id is not null && id.Trim().Length == 0)
            {
                errors.Add(new ValidationError($"{path}.id", "must not be empty"));
                id = null;
            }
            if (id is not null && !paths.TryAdd(id, path))
            {
                errors.Add(new ValidationError($"{path}.id", $"'{id}' is already the id of {paths[id]}"));
                id = null;
            }
            var name = OptionalString(item, "name", path, errors) ?? OptionalString(item, "displayName", path, errors);
            CheckDesignerMetadata(item["metadata"], $"{path}.metadata", errors);
            if (type is null)
            {
                continue;
            }
            var descriptor = registry.Find(type);
            if (descriptor is null)
            {
                var suggestion = registry.Suggest(type);
                errors.Add(new ValidationError($"{path}.type", suggestion is null
                    ? $"'{type}' is not a known activity type (known: {string.Join(", ", registry.All.Select(d => d.Type))})"
                    : $"'{type}' is not a known activity type; did you mean '{suggestion}'?"));
                continue;
            }
            var reader = new PropertyReader(item, path, id ?? "", descriptor.Properties, symbols, errors);
            var binding = descriptor.Bind(reader);
            reader.ReportUnknownProperties(ActivityKeys);
            if (id is not null)
            {
                activities.Add(new FlowActivity(id, type, name, descriptor, binding.Activity, binding.Ports) { CheckInbound = binding.CheckInbound, Path = path });
            }
        }
        return activities;
    }

    private static List<Connection> ReadConnections(JsonNode? node, List<FlowActivity> activities, Dictionary<string, string> activityPaths, List<ValidationError> errors)
    {
        var connections = new List<Connection>();
        foreach (var (item, path) in Items(node, "$.root.connections", errors))
        {
            var source = ReadEndpoint(item, "source", path, errors);
            var target = ReadEndpoint(item, "target", path, errors);
            ReportUnknown(item, path, ["source", "target", "vertices"], errors);
            if (source is null || target is null)
            {
                continue;
            }

            var valid = true;
            var from = activities.FirstOrDefault(a => a.Id == source.Activity);
            if (from is null)
            {
                errors.Add(new ValidationError($"{path}.source.activity", activityPaths.ContainsKey(source.Activity)
                    ? $"'{source.Activity}' could not be read (see its own errors)"
                    : $"'{source.Activity}' is not the id of any activity"));
                valid = false;
            }
            else if (!from.Ports.Contains(source.Port))
            {
                errors.Add(new ValidationError($"{path}.source.port", from.Ports.Count == 0
                    ? $"'{source.Activity}' ({from.Type}) has no outgoing ports"
                    : $"'{source.Port}' is not a port of '{source.Activity}' ({from.Type}); its ports are {string.Join(", ", from.Ports)}"));
                valid = false;
            }
            if (!activities.Any(a => a.Id == target.Activity))
            {
                errors.Add(new ValidationError($"{path}.target.activity", activityPaths.ContainsKey(target.Activity)
                    ? $"'{target.Activity}' could not be read (see its own errors)"
                    : $"'{target.Activity}' is not the id of any activity"));
                valid = false;
            }
            if (target.Port != "In")
            {
                errors.Add(new ValidationError($"{path}.target.port", "must be \"In\" (activities have one incoming port)"));
                valid = false;
            }
            if (target.Activity == activities.FirstOrDefault(a => a.Type == "Start")?.Id)
            {
                errors.Add(new ValidationError($"{path}.target.activity", "leads into Start; nothing may lead into Start"));
                valid = false;
            }
            if (valid && connections.Contains(new Connection(source, target)))
            {
                errors.Add(new ValidationError(path, $"connects {source.Activity}.{source.Port} to {target.Activity} a second time"));
                valid = false;
            }
            if (valid)
            {
                connections.Add(new Connection(source, target));
            }
        }
        return connections;
    }

    private static Endpoint? ReadEndpoint(JsonObject connection, string key, string path, List<ValidationError> errors)
    {
        if (connection[key] is not JsonObject endpoint)
        {
            errors.Add(new ValidationError($"{path}.{key}", connection[key] is null
                ? "is required ({ \"activity\": \"…\", \"port\": \"…\" })"
                : $"must be an object {{ \"activity\": \"…\", \"port\": \"…\" }}, not {PropertyKinds.Describe(connection[key])}"));
            return null;
        }
        var activity = RequiredString(endpoint, "activity", $"{path}.{key}", errors);
        var port = endpoint["port"] is null && key == "target" ? "In" : RequiredString(endpoint, "port", $"{path}.{key}", errors);
        ReportUnknown(endpoint, $"{path}.{key}", ["activity", "port"], errors);
        return activity is null || port is null ? null : new Endpoint(activity, port);
    }

    private static void CheckGraph(Flowchart flowchart, Dictionary<string, string> paths, List<ValidationError> errors)
    {
        // Every activity must be reachable from Start; an unreachable one is a mistake, not decoration.
        var reachable = new HashSet<string>(StringComparer.Ordinal) { flowchart.Start.Id };
        var pending = new Queue<string>([flowchart.Start.Id]);
        while (pending.Count > 0)
        {
            var current = pending.Dequeue();
            foreach (var connection in flowchart.Connections.Where(c => c.Source.Activity == current))
            {
                if (reachable.Add(connection.Target.Activity))
                {
                    pending.Enqueue(connection.Target.Activity);
                }
            }
        }
        foreach (var activity in flowchart.Activities.Where(a => !reachable.Contains(a.Id)))
        {
            errors.Add(new ValidationError(paths[activity.Id], $"'{activity.Id}' cannot be reached from Start"));
        }

        foreach (var activity in flowchart.Activities)
        {
            if (activity.CheckInbound?.Invoke(flowchart.InboundCount(activity.Id)) is { } problem)
            {
                errors.Add(new ValidationError(paths[activity.Id], problem));
            }
        }

        // A cycle with no activity that waits would run forever in one step.
        foreach (var cycle in StronglyConnected(flowchart))
        {
            if (!cycle.Any(id => flowchart.Find(id)!.Descriptor.CanWait))
            {
                var first = cycle.OrderBy(id => paths[id], StringComparer.Ordinal).First();
                errors.Add(new ValidationError(paths[first],
                    $"is in a loop ({string.Join(" → ", cycle)}) with no activity that waits; add a Delay, WaitUntil or WaitForSignal"));
            }
        }
    }

    /// <summary>Tarjan's algorithm: the strongly connected components that contain a cycle.</summary>
    private static List<List<string>> StronglyConnected(Flowchart flowchart)
    {
        var index = 0;
        var indices = new Dictionary<string, int>();
        var lowLinks = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();
        var successors = flowchart.Connections.ToLookup(c => c.Source.Activity, c => c.Target.Activity);

        // Iterative, so a long chain of activities cannot overflow the stack.
        foreach (var start in flowchart.Activities.Select(a => a.Id))
        {
            if (indices.ContainsKey(start))
            {
                continue;
            }
            var work = new Stack<(string Node, IEnumerator<string> Next)>();
            Visit(start);
            while (work.Count > 0)
            {
                var (node, next) = work.Peek();
                if (next.MoveNext())
                {
                    var successor = next.Current;
                    if (!indices.TryGetValue(successor, out var successorIndex))
                    {
                        Visit(successor);
                    }
                    else if (onStack.Contains(successor))
                    {
                        lowLinks[node] = Math.Min(lowLinks[node], successorIndex);
                    }
                    continue;
                }
                work.Pop();
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    lowLinks[parent] = Math.Min(lowLinks[parent], lowLinks[node]);
                }
                if (lowLinks[node] == indices[node])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);
                    if (component.Count > 1 || successors[node].Contains(node))
                    {
                        component.Reverse();
                        components.Add(component);
                    }
                }
            }

            void Visit(string node)
            {
                indices[node] = lowLinks[node] = index++;
                stack.Push(node);
                onStack.Add(node);
                work.Push((node, successors[node].Distinct().GetEnumerator()));
            }
        }
        return components;
    }

    private static void CheckDesignerMetadata(JsonNode? metadata, string path, List<ValidationError> errors)
    {
        if (metadata is null)
        {
            return;
        }
        if (metadata is not JsonObject obj)
        {
            errors.Add(new ValidationError(path, $"must be an object, not {PropertyKinds.Describe(metadata)}"));
            return;
        }
        switch (obj["designer"])
        {
            case null:
                return;
            case not JsonObject:
                errors.Add(new ValidationError($"{path}.designer", $"must be an object, not {PropertyKinds.Describe(obj["designer"])}"));
                return;
        }
        switch (obj["designer"]!["position"])
        {
            case null:
                return;
            case JsonObject position:
                foreach (var axis in new[] { "x", "y" })
                {
                    if (position[axis] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
                    {
                        errors.Add(new ValidationError($"{path}.designer.position.{axis}", "must be a number"));
                    }
                }
                return;
            case var other:
                errors.Add(new ValidationError($"{path}.designer.position", $"must be an object {{ \"x\": …, \"y\": … }}, not {PropertyKinds.Describe(other)}"));
                return;
        }
    }

    private static IEnumerable<(JsonObject Item, string Path)> Items(JsonNode? node, string path, List<ValidationError> errors, bool required = false)
    {
        if (node is null)
        {
            if (required)
            {
                errors.Add(new ValidationError(path, "is required"));
            }
            yield break;
        }
        if (node is not JsonArray array)
        {
            errors.Add(new ValidationError(path, $"must be a list, not {PropertyKinds.Describe(node)}"));
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
                errors.Add(new ValidationError($"{path}[{i}]", $"must be an object, not {PropertyKinds.Describe(array[i])}"));
            }
        }
    }

    private static string? RequiredString(JsonObject obj, string key, string path, List<ValidationError> errors)
    {
        var value = obj[key];
        if (value is null)
        {
            errors.Add(new ValidationError($"{path}.{key}", "is required"));
            return null;
        }
        if (value.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(new ValidationError($"{path}.{key}", $"must be a text, not {PropertyKinds.Describe(value)}"));
            return null;
        }
        var text = value.GetValue<string>();
        if (text.Trim().Length == 0)
        {
            errors.Add(new ValidationError($"{path}.{key}", "must not be empty"));
            return null;
        }
        return text;
    }

    private static string? OptionalString(JsonObject obj, string key, string path, List<ValidationError> errors)
    {
        var value = obj[key];
        if (value is null)
        {
            return null;
        }
        if (value.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(new ValidationError($"{path}.{key}", $"must be a text, not {PropertyKinds.Describe(value)}"));
            return null;
        }
        return value.GetValue<string>();
    }

    private static void ReportUnknown(JsonObject obj, string path, IReadOnlyCollection<string> known, List<ValidationError> errors)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key))
            {
                errors.Add(new ValidationError($"{path}.{key}", $"is not a known property here (known: {string.Join(", ", known)})"));
            }
        }
    }

    private static bool Invalid(List<ValidationError> errors, string path, string message)
    {
        errors.Add(new ValidationError(path, message));
        return false;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex DefinitionIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex IdentifierPattern();
}

/// <summary>Either a definition or every error found in the document.</summary>
public sealed record DefinitionParseResult(WorkflowDefinition? Definition, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Definition is not null;

    public static DefinitionParseResult Parsed(WorkflowDefinition definition) => new(definition, []);

    public static DefinitionParseResult Failed(IReadOnlyList<ValidationError> errors) => new(null, errors);
}
