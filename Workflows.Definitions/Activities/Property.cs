using System.Text.Json.Nodes;
using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities;

/// <summary>
/// A property value that is either written in the definition (checked when the definition is validated) or
/// computed when the activity runs from <c>{ "expression": "input.deadline" }</c> (checked then).
/// </summary>
public sealed class Property<T>
{
    private readonly T literal;
    private readonly Expression? expression;
    private readonly PropertyKind<T> kind;
    private readonly string path;

    internal Property(T literal, Expression? expression, PropertyKind<T> kind, string path)
    {
        this.literal = literal;
        this.expression = expression;
        this.kind = kind;
        this.path = path;
    }

    public bool IsExpression => expression is not null;

    /// <summary>The literal value; for an expression property, the default.</summary>
    public T Literal => literal;

    /// <summary>The value now; an expression that yields a wrong value throws <see cref="ActivityPropertyException"/> naming the property.</summary>
    public T Evaluate(ActivityContext context)
    {
        if (expression is null)
        {
            return literal;
        }
        JsonNode? value;
        try
        {
            value = expression.Evaluate(context.Scope);
        }
        catch (ExpressionException exception)
        {
            throw new ActivityPropertyException(path, exception.Message);
        }
        var errors = new List<(string Path, string Message)>();
        var result = kind.Convert(value, errors);
        return errors.Count == 0
            ? result!
            : throw new ActivityPropertyException(
                path,
                $"The expression '{expression.Source}' gave {value?.ToJsonString() ?? "null"}: {string.Join("; ", errors.Select(e => e.Path.Length == 0 ? e.Message : $"{e.Path}: {e.Message}"))}");
    }
}

/// <summary>A property value that turned out wrong at run time. The engine records it as an incident.</summary>
public sealed class ActivityPropertyException(string path, string message) : Exception($"{path}: {message}")
{
    public string Path { get; } = path;
}
