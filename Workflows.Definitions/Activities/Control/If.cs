using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities.Control;

/// <summary>Continues on <c>True</c> or <c>False</c> by a condition such as <c>variables.answered &gt;= 17</c>.</summary>
public sealed class If(Expression condition) : IActivity
{
    public const string TruePort = "True";
    public const string FalsePort = "False";

    public static ActivityDescriptor Descriptor { get; } = new(
        "If", "Hvis", "Forløb", "Vælger vej efter en betingelse.",
        [new("condition", "condition", true, "Betingelse")],
        CanWait: false,
        reader =>
        {
            var condition = reader.Expression("condition");
            return new ActivityBinding(new If(condition ?? Expression.Parse("false")), [TruePort, FalsePort]);
        });

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        try
        {
            return ValueTask.FromResult(ActivityResult.Outcome(condition.EvaluateCondition(context.Scope) ? TruePort : FalsePort));
        }
        catch (ExpressionException exception)
        {
            throw new ActivityPropertyException("condition", exception.Message);
        }
    }
}
