using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities;

/// <summary>
/// Reads an activity node's properties for binding. The same code runs when a definition is validated
/// (errors are collected, with their JSON paths) and when it is loaded to run (a validated definition has
/// none), so validation and execution can never disagree about what a property means.
/// </summary>
public sealed class PropertyReader
{
    private readonly JsonObject node;
    private readonly string path;
    private readonly IReadOnlyList<PropertyDescriptor> properties;
    private readonly DefinitionSymbols symbols;
    private readonly ICollection<ValidationError> errors;

    internal PropertyReader(
        JsonObject node,
        string path,
        string activityId,
        IReadOnlyList<PropertyDescriptor> properties,
        DefinitionSymbols symbols,
        ICollection<ValidationError> errors)
    {
        this.node = node;
        this.path = path;
        this.properties = properties;
        this.symbols = symbols;
        this.errors = errors;
        ActivityId = activityId;
    }

    public string ActivityId { get; }

    /// <summary>The names of the definition's variables, for properties that name one.</summary>
    public IReadOnlySet<string> Variables => symbols.Variables;

    /// <summary>Whether the node carries the property at all.</summary>
    public bool Has(string name)
    {
        Declared(name);
        return node[name] is not null;
    }

    /// <summary>Reads a property that may also be written as <c>{ "expression": "…" }</c>.</summary>
    public Property<T> Get<T>(string name, PropertyKind<T> kind, T defaultValue)
    {
        var descriptor = Declared(name);
        var value = node[name];
        if (value is null)
        {
            if (descriptor.Required)
            {
                Error(name, "is required");
            }
            return new Property<T>(defaultValue, null, kind, PathOf(name));
        }
        if (value is JsonObject obj && obj.Count == 1 && obj.ContainsKey("expression"))
        {
            var expression = ParseExpression(obj["expression"], $"{name}.expression");
            return new Property<T>(defaultValue, expression, kind, PathOf(name));
        }
        var problems = new List<(string Path, string Message)>();
        var result = kind.Convert(value, problems);
        foreach (var (relative, message) in problems)
        {
            Error(relative.Length == 0 ? name : relative.StartsWith('[') ? name + relative : $"{name}.{relative}", message);
        }
        return new Property<T>(problems.Count == 0 ? result! : defaultValue, null, kind, PathOf(name));
    }

    /// <summary>Reads a property that must be written as a literal (ports, variable names: things the validator must know).</summary>
    public T Literal<T>(string name, PropertyKind<T> kind, T defaultValue)
    {
        var descriptor = Declared(name);
        var value = node[name];
        if (value is null)
        {
            if (descriptor.Required)
            {
                Error(name, "is required");
            }
            return defaultValue;
        }
        var problems = new List<(string Path, string Message)>();
        var result = kind.Convert(value, problems);
        foreach (var (relative, message) in problems)
        {
            Error(relative.Length == 0 ? name : relative.StartsWith('[') ? name + relative : $"{name}.{relative}", message);
        }
        return problems.Count == 0 ? result! : defaultValue;
    }

    /// <summary>A text with Liquid placeholders.</summary>
    public LiquidText Text(string name)
    {
        var source = Literal(name, PropertyKinds.PlainText, "");
        if (LiquidText.TryParse(source, out var text, out var error))
        {
            return text!;
        }
        Error(name, error!);
        return LiquidText.TryParse("", out var empty, out _) ? empty! : throw new InvalidOperationException();
    }

    /// <summary>An expression of the safe expression language, written as a text.</summary>
    public Expression? Expression(string name)
    {
        var descriptor = Declared(name);
        var value = node[name];
        if (value is null)
        {
            if (descriptor.Required)
            {
                Error(name, "is required");
            }
            return null;
        }
        return ParseExpression(value, name);
    }

    /// <summary>A list of objects, each read with its own reader and item properties (e.g. a switch's cases).</summary>
    public IReadOnlyList<TItem> Objects<TItem>(string name, IReadOnlyList<PropertyDescriptor> itemProperties, Func<PropertyReader, TItem> readItem)
    {
        var descriptor = Declared(name);
        var value = node[name];
        if (value is null)
        {
            if (descriptor.Required)
            {
                Error(name, "is required");
            }
            return [];
        }
        if (value is not JsonArray array)
        {
            Error(name, $"must be a list, not {PropertyKinds.Describe(value)}");
            return [];
        }
        var items = new List<TItem>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                Error($"{name}[{i}]", $"must be an object, not {PropertyKinds.Describe(array[i])}");
                continue;
            }
            var reader = new PropertyReader(item, $"{path}.{name}[{i}]", ActivityId, itemProperties, symbols, errors);
            items.Add(readItem(reader));
            reader.ReportUnknownProperties([]);
        }
        return items;
    }

    /// <summary>A literal property that names one of the definition's declared variables (e.g. <c>resultVariable</c>); null when absent.</summary>
    public string? VariableName(string name)
    {
        var variable = Literal<string?>(name, PropertyKinds.PlainText!, null);
        if (variable is { Length: > 0 } && !Variables.Contains(variable))
        {
            Error(name, $"names no declared variable (declared: {string.Join(", ", Variables)})");
        }
        return variable;
    }

    /// <summary>Reports a problem with a property, relative to this node (e.g. <c>cases[2].port</c>).</summary>
    public void Error(string relativePath, string message) => errors.Add(new ValidationError(PathOf(relativePath), message));

    /// <summary>Every key on the node that is neither a declared property nor one of <paramref name="allowed"/> is a typo until proven otherwise.</summary>
    internal void ReportUnknownProperties(IReadOnlyCollection<string> allowed)
    {
        foreach (var (key, _) in node)
        {
            if (!allowed.Contains(key) && !properties.Any(p => p.Name == key))
            {
                var known = string.Join(", ", properties.Select(p => p.Name));
                Error(key, known.Length == 0 ? "is not a property of this activity" : $"is not a property of this activity (known: {known})");
            }
        }
    }

    private Expression? ParseExpression(JsonNode? value, string relativePath)
    {
        if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
        {
            Error(relativePath, $"must be an expression written as a text, not {PropertyKinds.Describe(value)}");
            return null;
        }
        if (!Expressions.Expression.TryParse(text.GetValue<string>(), out var expression, out var error))
        {
            Error(relativePath, error!);
            return null;
        }
        foreach (var (root, name) in expression!.References)
        {
            if (root == "input" && !symbols.Inputs.Contains(name))
            {
                Error(relativePath, $"reads input.{name}, but the definition has no input '{name}'");
            }
            if (root == "variables" && !symbols.Variables.Contains(name))
            {
                Error(relativePath, $"reads variables.{name}, but the definition has no variable '{name}'");
            }
        }
        return expression;
    }

    /// <summary>Every property an activity reads must be declared by its descriptor (the schema and designer rely on it).</summary>
    private PropertyDescriptor Declared(string name)
    {
        return properties.FirstOrDefault(p => p.Name == name)
            ?? throw new InvalidOperationException($"Property '{name}' is read but not declared by its activity descriptor.");
    }

    private string PathOf(string relative) => relative.Length == 0 ? path : $"{path}.{relative}";
}

/// <summary>The names a definition declares, so property expressions can be checked against them.</summary>
public sealed record DefinitionSymbols(IReadOnlySet<string> Inputs, IReadOnlySet<string> Variables);
