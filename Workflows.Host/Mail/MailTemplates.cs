using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fluid;
using Workflows.Definitions.Expressions;
using Workflows.Host.Mail.Templates;

namespace Workflows.Host.Mail;

/// <summary>A rendered mail: one-line subject, tidy plain text and a complete HTML document.</summary>
internal sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>
/// Renders the Danish Liquid templates (Fluid, culture da-DK; the HTML parts through an HTML encoder). A file in the
/// override folder wins over the built-in one of the same name, and is read on every render, so an edit takes effect
/// for the next mail.
/// </summary>
internal sealed partial class MailTemplates(string? overrideFolder)
{
    /// <summary>
    /// Parsed templates by their source text: a parsed Fluid template renders on any thread, and parsing every
    /// template of every mail was a share of the outbox's time in the fan-out profile. Keyed by the text, an edited
    /// override file is parsed again at its next use.
    /// </summary>
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new(StringComparer.Ordinal);

    private const int MaxParsed = 200;

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

        var subject = OneLine(Render(subjectTemplate, model, html: false));
        if (subject.Length == 0)
        {
            throw new MailComposeException($"The template {subjectTemplate.File} gave an empty subject.");
        }
        var text = TidyText(Render(textTemplate, model, html: false));
        var content = Render(htmlTemplate, model, html: true).Trim();
        var layoutModel = new JsonObject(model.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        layoutModel["subject"] = subject;
        var html = Render(layout, layoutModel, html: true, new Dictionary<string, string> { ["content"] = content }).Trim() + "\n";
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
        if (Parsed.TryGetValue(source, out var cached))
        {
            return new LoadedTemplate(file, cached);
        }
        if (!Liquid.TryParse(source, out var template, out var error))
        {
            throw new MailComposeException($"The template {file} has a Liquid syntax error: {error}");
        }
        if (Parsed.Count >= MaxParsed)
        {
            Parsed.Clear(); // Only many edits of override files get here; the next mails parse again.
        }
        Parsed[source] = template!;
        return new LoadedTemplate(file, template!);
    }

    private static string Render(LoadedTemplate template, JsonObject model, bool html, IReadOnlyDictionary<string, string>? raw = null)
    {
        try
        {
            return Liquid.Render(template.Template, model, html ? Liquid.Html : null, raw);
        }
        catch (Exception exception) when (exception is FluidException or ArgumentException or InvalidOperationException or FormatException or InvalidCastException)
        {
            throw new MailComposeException($"The template {template.File} could not be rendered: {exception.Message}");
        }
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

    private sealed record LoadedTemplate(string File, IFluidTemplate Template);
}

/// <summary>A mail that cannot be composed (template, model or address problem); the attempt fails with this message.</summary>
internal sealed class MailComposeException(string message) : Exception(message);
