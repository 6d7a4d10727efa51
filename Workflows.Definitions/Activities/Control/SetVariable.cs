using System.Text.Json.Nodes;
using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities.Control;

/// <summary>Sets a declared variable to a literal <c>value</c> or the result of an <c>expression</c>.</summary>
public sealed class SetVariable(string variable, JsonNode? value, Expression? expression) : IActivity
{
    public static ActivityDescriptor Descriptor { get; } = new(
        "SetVariable", "Sæt variabel", "Data", "Giver en variabel en værdi.",
        [
            new("variable", "string", true, "Variabel"),
            new("value", "json", false, "Værdi"),
            new("expression", "expression", false, "Udtryk"),
        ],
        CanWait: false,
        reader =>
        {
            var variable = reader.VariableName("variable") ?? "";
            var value = reader.Literal("value", PropertyKinds.Json, null);
            var expression = reader.Expression("expression");
            if (value is not null && expression is not null)
            {
                reader.Error("expression", "give either value or expression, not both");
            }
            return new ActivityBinding(new SetVariable(variable, value, expression), [ActivityResult.DonePort]);
        });

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        try
        {
            context.Variables[variable] = expression is null ? value?.DeepClone() : expression.Evaluate(context.Scope);
        }
        catch (ExpressionException exception)
        {
            throw new ActivityPropertyException("expression", exception.Message);
        }
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
