using System.Text.Json.Nodes;
using Workflows.Definitions.Activities;

namespace Workflows.Definitions.Definitions;

/// <summary>A parsed, validated and bound definition version, ready to run.</summary>
public sealed class WorkflowDefinition
{
    internal WorkflowDefinition(
        string definitionId,
        string name,
        string? description,
        IReadOnlyList<InputDefinition> inputs,
        IReadOnlyList<VariableDefinition> variables,
        Flowchart root)
    {
        DefinitionId = definitionId;
        Name = name;
        Description = description;
        Inputs = inputs;
        Variables = variables;
        Root = root;
    }

    public string DefinitionId { get; }

    public string Name { get; }

    public string? Description { get; }

    public IReadOnlyList<InputDefinition> Inputs { get; }

    public IReadOnlyList<VariableDefinition> Variables { get; }

    public Flowchart Root { get; }

    /// <summary>
    /// Checks an instance's input against the declared inputs and returns it with defaults filled in;
    /// errors are keyed <c>$.input.name</c> or a path below it (<c>$.input.deadline.at</c>). A default is checked
    /// like a given value, so a default deadline that has passed is refused too, and says it is the default.
    /// </summary>
    /// <param name="input">The input of the start request.</param>
    /// <param name="context">The party directory, the deadline calculator and the instant of starting.</param>
    /// <param name="errors">Receives every problem.</param>
    public JsonObject PrepareInput(JsonObject? input, InputContext context, ICollection<ValidationError> errors)
    {
        var prepared = new JsonObject();
        // Through text once, so values built in code (an int, a double) behave exactly like parsed JSON.
        input = input is null ? [] : JsonNode.Parse(input.ToJsonString())!.AsObject();
        foreach (var (key, _) in input)
        {
            if (!Inputs.Any(i => i.Name == key))
            {
                errors.Add(new ValidationError($"$.input.{key}", $"is not an input of '{DefinitionId}' (inputs: {string.Join(", ", Inputs.Select(i => i.Name))})"));
            }
        }
        foreach (var declared in Inputs)
        {
            var given = input[declared.Name]?.DeepClone();
            var value = given ?? declared.Default?.DeepClone();
            if (value is null)
            {
                if (declared.Required)
                {
                    errors.Add(new ValidationError($"$.input.{declared.Name}", "is required"));
                }
                continue;
            }
            var problems = new List<ValidationError>();
            InputTypes.Check(declared.Type, value, $"$.input.{declared.Name}", problems, context);
            foreach (var problem in problems)
            {
                // The caller did not write the value, so say where it came from.
                errors.Add(given is null ? problem with { Message = $"{problem.Message} (the definition's default, used because the input was not given)" } : problem);
            }
            prepared[declared.Name] = value;
        }
        return prepared;
    }

    /// <summary>The variables with their initial values.</summary>
    public JsonObject InitialVariables() =>
        new(Variables.Select(v => KeyValuePair.Create(v.Name, v.Value?.DeepClone())));
}

/// <summary>An input a caller gives when starting an instance.</summary>
public sealed record InputDefinition(string Name, string Type, bool Required, string? DisplayName, string? Description, JsonNode? Default);

/// <summary>A variable of the instance and its initial value.</summary>
public sealed record VariableDefinition(string Name, JsonNode? Value);

/// <summary>One end of a connection: an activity and one of its ports.</summary>
public sealed record Endpoint(string Activity, string Port);

/// <summary>Control passes from an outcome port of one activity to the <c>In</c> port of another.</summary>
public sealed record Connection(Endpoint Source, Endpoint Target);

/// <summary>An activity of a flowchart, bound and ready to run.</summary>
public sealed record FlowActivity(string Id, string Type, string? Name, ActivityDescriptor Descriptor, IActivity Activity, IReadOnlyList<string> Ports)
{
    internal Func<int, string?>? CheckInbound { get; init; }

    /// <summary>Where the activity is in the definition document, e.g. <c>$.root.activities[3]</c>, for error messages.</summary>
    public string Path { get; init; } = "$";
}
