using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities.Control;

/// <summary>
/// Continues on the port of the first case whose condition holds (<c>MatchFirst</c>) or of every such case
/// (<c>MatchAny</c>); on <c>Default</c> when none does.
/// </summary>
public sealed class Switch(IReadOnlyList<Switch.Case> cases, bool matchAny) : IActivity
{
    public const string DefaultPort = "Default";

    private static readonly IReadOnlyList<PropertyDescriptor> CaseProperties =
    [
        new("port", "string", true, "Udgang"),
        new("condition", "condition", true, "Betingelse"),
    ];

    public static ActivityDescriptor Descriptor { get; } = new(
        "Switch", "Flervejsvalg", "Forløb", "Vælger en eller flere veje efter betingelser.",
        [
            new("cases", "list", true, "Tilfælde"),
            new("mode", "enum", false, "Valg", ["MatchFirst", "MatchAny"]),
        ],
        CanWait: false,
        reader =>
        {
            var cases = reader.Objects("cases", CaseProperties, item => new Case(
                item.Literal("port", PropertyKinds.PlainText, ""),
                item.Expression("condition") ?? Expression.Parse("false")));
            var mode = reader.Literal("mode", PropertyKinds.OneOf("MatchFirst", "MatchAny"), "MatchFirst");
            var ports = new List<string>();
            for (var i = 0; i < cases.Count; i++)
            {
                if (cases[i].Port.Length == 0)
                {
                    continue;
                }
                if (cases[i].Port == DefaultPort || ports.Contains(cases[i].Port))
                {
                    reader.Error($"cases[{i}].port", $"'{cases[i].Port}' is used twice (Default is reserved)");
                }
                ports.Add(cases[i].Port);
            }
            ports.Add(DefaultPort);
            return new ActivityBinding(new Switch(cases, mode == "MatchAny"), ports.Distinct().ToList());
        });

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var matched = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            bool holds;
            try
            {
                holds = cases[i].Condition.EvaluateCondition(context.Scope);
            }
            catch (ExpressionException exception)
            {
                throw new ActivityPropertyException($"cases[{i}].condition", exception.Message);
            }
            if (holds)
            {
                matched.Add(cases[i].Port);
                if (!matchAny)
                {
                    break;
                }
            }
        }
        return ValueTask.FromResult<ActivityResult>(new ActivityResult.Completed(matched.Count > 0 ? matched : [DefaultPort]));
    }

    public sealed record Case(string Port, Expression Condition);
}
