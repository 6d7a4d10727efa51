using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DotLiquid;
using DotLiquid.Exceptions;
using Workflows.Host.Mail.Templates;

namespace Workflows.Host.Mail;

/// <summary>A rendered mail: one-line subject, tidy plain text and a complete HTML document.</summary>
internal sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>
/// Renders the Danish Liquid templates (DotLiquid, culture da-DK). A file in the override folder wins over the
/// built-in one of the same name, and is read on every render, so an edit takes effect for the next mail.
/// </summary>
internal sealed partial class MailTemplates(string? overrideFolder)
{
    private static readonly CultureInfo Danish = CultureInfo.GetCultureInfo("da-DK");

    public RenderedMail Render(string name, JsonObject model)
    {
        if (!TemplateName().IsMatch(name))
        {
            throw new MailComposeException($"'{name}' is not a mail template name.");
        }
        var subjectTemplate = Load($"{name}.subject.liquid", name);
        var textTemplate = Load($"{name}.text.liquid", name);
        var htmlTemplate = Load($"{name}.html.liquid", name);
        var layout = Load("layout.html.liquid", name);

        var textModel = (Dictionary<string, object?>)ToLiquid(model, escape: false)!;
        var htmlModel = (Dictionary<string, object?>)ToLiquid(model, escape: true)!;

        var subject = OneLine(Render(subjectTemplate, textModel));
        if (subject.Length == 0)
        {
            throw new MailComposeException($"The template {subjectTemplate.File} gave an empty subject.");
        }
        var text = TidyText(Render(textTemplate, textModel));
        htmlModel["content"] = Render(htmlTemplate, htmlModel).Trim();
        htmlModel["subject"] = HtmlEscape(subject);
        var html = Render(layout, htmlModel).Trim() + "\n";
        return new RenderedMail(subject, text, html);
    }

    private LoadedTemplate Load(string file, string name)
    {
        string source;
        if (overrideFolder is not null && Path.Combine(overrideFolder, file) is var path && File.Exists(path))
        {
            try
            {
                source = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new MailComposeException($"The template {path} could not be read: {exception.Message}");
            }
        }
        else if (!BuiltInTemplates.Files.TryGetValue(file, out source!))
        {
            throw new MailComposeException($"There is no mail template '{name}' (no file {file}).");
        }
        try
        {
            return new LoadedTemplate(file, Template.Parse(source));
        }
        catch (LiquidException exception)
        {
            throw new MailComposeException($"The template {file} has a Liquid syntax error: {exception.Message}");
        }
    }

    private static string Render(LoadedTemplate template, Dictionary<string, object?> model)
    {
        try
        {
            return template.Template.Render(new RenderParameters(Danish)
            {
                LocalVariables = Hash.FromDictionary(model),
                ErrorsOutputMode = ErrorsOutputMode.Rethrow,
            });
        }
        catch (Exception exception) when (exception is LiquidException or System.ArgumentException or InvalidOperationException or FormatException or InvalidCastException)
        {
            throw new MailComposeException($"The template {template.File} could not be rendered: {exception.Message}");
        }
    }

    /// <summary>JSON to what DotLiquid reads: dictionaries, lists, strings, numbers, booleans. HTML-escapes strings on request.</summary>
    private static object? ToLiquid(JsonNode? node, bool escape) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToLiquid(p.Value, escape), StringComparer.Ordinal),
        JsonArray array => array.Select(item => ToLiquid(item, escape)).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => escape ? HtmlEscape(value.GetValue<string>()) : value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetValue<long>(out var whole) ? whole : value.GetValue<decimal>(),
            _ => null,
        },
        _ => null,
    };

    /// <summary>The five characters that matter in HTML text and quoted attributes; Danish letters stay readable.</summary>
    internal static string HtmlEscape(string value)
    {
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }
        return builder.ToString();
    }

    private static string OneLine(string value) => Whitespace().Replace(value, " ").Trim();

    private static string TidyText(string value)
    {
        var lines = value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd());
        return BlankLines().Replace(string.Join('\n', lines), "\n\n").Trim() + "\n";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex TemplateName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();

    private sealed record LoadedTemplate(string File, Template Template);
}

/// <summary>A mail that cannot be composed (template, model or address problem); the attempt fails with this message.</summary>
internal sealed class MailComposeException(string message) : Exception(message);
