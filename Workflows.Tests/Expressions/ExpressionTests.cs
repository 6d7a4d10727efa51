using System.Text.Json.Nodes;
using Workflows.Definitions.Expressions;

namespace Workflows.Tests.Expressions;

public class ExpressionTests
{
    private static readonly ExpressionScope Scope = new(
        JsonNode.Parse("""{ "title": "Praksisplan", "parties": ["aarhus", "skive"], "region": "midtjylland" }""")!.AsObject(),
        JsonNode.Parse("""{ "answered": 17, "total": 19, "late": null, "decision": { "outcome": "godkendt" } }""")!.AsObject());

    [Theory]
    [InlineData("variables.answered >= 17", true)]
    [InlineData("variables.answered == variables.total", false)]
    [InlineData("variables.answered + 2 == variables.total", true)]
    [InlineData("input.region == 'midtjylland' && length(input.parties) == 2", true)]
    [InlineData("contains(input.parties, \"skive\")", true)]
    [InlineData("not contains(input.parties, 'holbaek')", true)]
    [InlineData("variables.late == null || variables.late > 3", true)]
    [InlineData("variables.decision.outcome == 'godkendt'", true)]
    [InlineData("input.parties[1] == 'skive'", true)]
    [InlineData("variables.missing.deeper == null", true)]
    [InlineData("(1 + 2) * 3 == 9 and 7 % 4 == 3", true)]
    [InlineData("'2019-10-31' < '2019-11-01'", true)]
    [InlineData("upper(input.title) == 'PRAKSISPLAN'", true)]
    public void EvaluateCondition_ValidExpression_GivesExpectedResult(string source, bool expected)
    {
        Assert.True(Expression.TryParse(source, out var expression, out var error), error);
        Assert.Equal(expected, expression!.EvaluateCondition(Scope));
    }

    [Fact]
    public void Evaluate_Arithmetic_GivesJsonNumber()
    {
        var value = Expression.Parse("variables.total - variables.answered").Evaluate(Scope);
        Assert.Equal(2m, value!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("variables.answered > ", "ends too early")]
    [InlineData("variables.answered = 3", "compare with '=='")]
    [InlineData("System.IO.File.Delete('x')", "Unknown name 'System'")]
    [InlineData("exec('rm')", "Unknown function 'exec'")]
    [InlineData("length(1, 2)", "takes 1 argument")]
    [InlineData("'open text", "not closed")]
    [InlineData("input.title )", "Unexpected ')' at character 13")]
    public void TryParse_InvalidExpression_SaysWhatAndWhere(string source, string expected)
    {
        Assert.False(Expression.TryParse(source, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DeeplyNested_GivesErrorNotStackOverflow()
    {
        var source = new string('(', 5000) + "1" + new string(')', 5000);
        Assert.False(Expression.TryParse(source, out _, out var error));
        Assert.Contains("nested too deeply", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("input.title", "did not give true or false")]
    [InlineData("input.title < 3", "compares two numbers or two texts")]
    [InlineData("variables.answered / 0 == 1", "Division by zero")]
    public void EvaluateCondition_TypeError_ThrowsExplainingException(string source, string expected)
    {
        var exception = Assert.Throws<ExpressionException>(() => Expression.Parse(source).EvaluateCondition(Scope));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void References_ListsInputsAndVariablesRead()
    {
        var expression = Expression.Parse("input.region == 'x' && variables.answered > 1");
        Assert.Equal([("input", "region"), ("variables", "answered")], expression.References);
    }

    [Fact]
    public void LiquidText_RendersInputsAndVariables()
    {
        Assert.True(LiquidText.TryParse("Høring: {{ input.title }} ({{ variables.answered }} af {{ variables.total }})", out var text, out _));
        Assert.Equal("Høring: Praksisplan (17 af 19)", text!.Render(Scope));
    }

    [Fact]
    public void LiquidText_SyntaxError_IsReported()
    {
        Assert.False(LiquidText.TryParse("{% if input.title %}unclosed", out _, out var error));
        Assert.StartsWith("Liquid syntax error", error, StringComparison.Ordinal);
    }
}
