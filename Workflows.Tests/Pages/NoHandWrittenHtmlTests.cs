using System.Text.RegularExpressions;
using Workflows.Tests.Definitions;

namespace Workflows.Tests.Pages;

/// <summary>
/// The host writes HTML only in Razor components (and mails only in their Liquid templates), where the framework
/// encodes every value. A page built again from C# strings would bring back encoding by hand, value by value; this
/// test finds HTML in the host's C# string literals and names the file and line.
/// </summary>
public sealed partial class NoHandWrittenHtmlTests
{
    [Fact]
    public void TheHostsCSharpCode_HasNoHtmlInItsStrings()
    {
        var host = Path.Combine(DefinitionsFolder.RepositoryRoot, "Workflows.Host");
        var sources = Directory.EnumerateFiles(host, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        // The host has nearly a hundred source files; finding none would mean the path is wrong.
        Assert.True(sources.Count > 80, $"Only {sources.Count} C# files found under {host}.");

        var found = sources.SelectMany(file => HtmlLines(file).Select(line => $"{Path.GetRelativePath(host, file)}:{line.Number}: {line.Text.Trim()}")).ToList();
        Assert.True(found.Count == 0, "HTML written in C# strings (render it in a Razor component instead):\n" + string.Join('\n', found));
    }

    /// <summary>The lines with an HTML tag in a string literal, a one-line one or a line inside a raw """ … """ block.</summary>
    private static IEnumerable<(int Number, string Text)> HtmlLines(string file)
    {
        var inRawString = false;
        var number = 0;
        foreach (var text in File.ReadLines(file))
        {
            number++;
            if (text.TrimStart().StartsWith("///", StringComparison.Ordinal))
            {
                continue;
            }
            if (inRawString ? HtmlTag().IsMatch(text) : HtmlInString().IsMatch(text))
            {
                yield return (number, text);
            }
            // An odd number of """ on a line opens or closes a raw string block.
            if (Regex.Count(text, "\"\"\"") % 2 == 1)
            {
                inRawString = !inRawString;
            }
        }
    }

    private const string Tags = "(!DOCTYPE|html|head|body|main|section|header|nav|p|div|span|table|thead|tbody|tr|td|th|ul|ol|li|dl|dt|dd|a|form|input|button|label|textarea|select|h[1-6]|strong|em|small|br|script|style|svg|details|summary|blockquote)";

    [GeneratedRegex("<" + Tags + """[\s>/]""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTag();

    /// <summary>An HTML tag inside a string literal: "…&lt;p&gt;…", $"…&lt;td class=…", """…&lt;!DOCTYPE html&gt;….</summary>
    [GeneratedRegex("""["'][^"\n]*<""" + Tags + """[\s>/]""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlInString();
}
