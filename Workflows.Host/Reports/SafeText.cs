using System.Text;

namespace Workflows.Host.Reports;

/// <summary>
/// Answer texts are user input: before they go into a document, characters XML 1.0 cannot carry (control
/// characters other than tab and line breaks, unpaired surrogates, U+FFFE/U+FFFF) are removed, and line breaks
/// are normalised to <c>\n</c>.
/// </summary>
public static class SafeText
{
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    builder.Append(c).Append(text[i + 1]);
                    i++;
                }
                continue;
            }
            if (c == '\r')
            {
                builder.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                continue;
            }
            if (c is '\t' or '\n' || (c >= '\u0020' && c <= '\uD7FF') || (c >= '\uE000' && c <= '\uFFFD'))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>The cleaned text as lines, without trailing blanks; empty lines in the middle are kept (paragraph breaks).</summary>
    public static IReadOnlyList<string> Lines(string? text) =>
        Clean(text).Trim('\n', ' ').Split('\n').Select(l => l.TrimEnd()).ToList();

    /// <summary>A file-name-safe form of a case number ("SAG-2019-05950"), or null when nothing usable is left.</summary>
    public static string? FileNamePart(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var builder = new StringBuilder();
        foreach (var c in text.Trim())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }
        var result = builder.ToString().Trim('-', '.');
        return result.Length == 0 ? null : result.Length <= 80 ? result : result[..80];
    }
}
