using System.Globalization;
using System.Text.Json.Nodes;
using DotLiquid;
using DotLiquid.Exceptions;

namespace Workflows.Definitions.Expressions;

/// <summary>
/// A text property with Liquid placeholders (<c>Kære {{ variables.partyName }}</c>), rendered with the
/// same read-only scope as <see cref="Expression"/>. Liquid has no way to call .NET code.
/// </summary>
public sealed class LiquidText
{
    private static readonly CultureInfo Danish = CultureInfo.GetCultureInfo("da-DK");
    private readonly Template? template;

    private LiquidText(string source, Template? template)
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
        try
        {
            text = new LiquidText(source, Template.Parse(source));
            error = null;
            return true;
        }
        catch (LiquidException exception)
        {
            text = null;
            error = $"Liquid syntax error: {exception.Message}";
            return false;
        }
    }

    public string Render(ExpressionScope scope)
    {
        if (template is null)
        {
            return Source;
        }
        var model = Hash.FromDictionary(new Dictionary<string, object?>
        {
            ["input"] = ToLiquid(scope.Input),
            ["variables"] = ToLiquid(scope.Variables),
        });
        return template.Render(new RenderParameters(Danish) { LocalVariables = model, ErrorsOutputMode = ErrorsOutputMode.Rethrow });
    }

    private static object? ToLiquid(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToLiquid(p.Value)),
        JsonArray array => array.Select(ToLiquid).ToList(),
        _ => ExpressionValue.FromJson(node),
    };
}
