using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;

namespace Workflows.Definitions.Expressions;

/// <summary>
/// The one Liquid dialect of ProcesFlow (Fluid, culture da-DK): Liquid text in definitions and the host's mail templates
/// parse and render the same way. A model is plain JSON, so a template can read values but never call .NET code.
/// </summary>
public static class Liquid
{
    // FluidParser and built TemplateOptions are immutable and safe to share between threads.
    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithCultureInfo(CultureInfo.GetCultureInfo("da-DK"))
        .Build();

    /// <summary>
    /// Encodes what HTML needs (<c>&amp; &lt; &gt; " '</c>) and leaves Danish letters as they are, so a mail's source
    /// stays readable.
    /// </summary>
    public static TextEncoder Html { get; } = HtmlEncoder.Create(UnicodeRanges.All);

    public static bool TryParse(string source, out IFluidTemplate? template, out string? error)
    {
        if (Parser.TryParse(source, out var parsed, out var message))
        {
            template = parsed;
            error = null;
            return true;
        }
        // Fluid's message names what was expected and where, (line:column), then repeats the source: keep the first.
        template = null;
        error = message.Split('\n')[0].Trim();
        return false;
    }

    /// <summary>
    /// Renders <paramref name="template"/> with the top-level names of <paramref name="model"/>; <paramref name="raw"/>
    /// adds values that are already HTML and must not be encoded again (a mail's body in its layout).
    /// </summary>
    /// <exception cref="FluidException">The template failed while rendering.</exception>
    public static string Render(IFluidTemplate template, IEnumerable<KeyValuePair<string, JsonNode?>> model, TextEncoder? encoder = null, IReadOnlyDictionary<string, string>? raw = null)
    {
        var context = new TemplateContext(Options);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, FluidValue.Create(ToPlain(value), Options));
        }
        foreach (var (name, html) in raw ?? new Dictionary<string, string>())
        {
            context.SetValue(name, StringValue.Create(html, encode: false));
        }
        return encoder is null ? template.Render(context) : template.Render(context, encoder);
    }

    /// <summary>JSON as what Liquid reads: dictionaries, lists, strings, decimals, booleans.</summary>
    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToPlain(p.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => ExpressionValue.ToDecimal(value),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        },
        _ => null,
    };
}
