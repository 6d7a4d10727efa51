using System.Text.Json.Nodes;
using Fluid;

namespace Workflows.Definitions.Expressions;

/// <summary>
/// A text property with Liquid placeholders (<c>Kære {{ variables.partyName }}</c>), rendered with the
/// same read-only scope as <see cref="Expression"/>. Liquid has no way to call .NET code.
/// </summary>
public sealed class LiquidText
{
    private readonly IFluidTemplate? template;

    private LiquidText(string source, IFluidTemplate? template)
    {
        Source = source;
        this.template = template;
    }

    public string Source { get; }

    public static bool TryParse(string source, out LiquidText? text, out string? error)
    {
        // Plain text needs no template; most properties are plain.
        if (!source.Contains("{{", StringComparison.Ordinal) && !source.Contains("{%", StringComparison.Ordinal))
        {
            text = new LiquidText(source, null);
            error = null;
            return true;
        }
        if (Liquid.TryParse(source, out var parsed, out var message))
        {
            text = new LiquidText(source, parsed);
            error = null;
            return true;
        }
        text = null;
        error = $"Liquid syntax error: {message}";
        return false;
    }

    /// <exception cref="FluidException">The template failed while rendering.</exception>
    public string Render(ExpressionScope scope) => template is null
        ? Source
        : Liquid.Render(template, new Dictionary<string, JsonNode?> { ["input"] = scope.Input, ["variables"] = scope.Variables });
}
