using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Text;

namespace Workflows.Host.Mail.Inbox;

/// <summary>
/// The words a person wrote in a reply: the plain-text part (format=flowed joined up), or the HTML part as text, with
/// the quoted original cut off when that is simple to recognise (an attribution line such as "Den … skrev:", an
/// Outlook header block, or a trailing block of "&gt;" lines). When cutting would leave nothing, the whole text stays.
/// </summary>
public static partial class MailText
{
    public static string? Body(MimeMessage message)
    {
        string? text = null;
        if (message.BodyParts.OfType<TextPart>().FirstOrDefault(p => !p.IsAttachment && p.IsPlain) is { } plain)
        {
            var parameters = plain.ContentType.Parameters;
            text = string.Equals(parameters["format"], "flowed", StringComparison.OrdinalIgnoreCase)
                ? new FlowedToText { DeleteSpace = string.Equals(parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase) }.Convert(plain.Text)
                : plain.Text;
        }
        else if (message.BodyParts.OfType<TextPart>().FirstOrDefault(p => !p.IsAttachment && p.IsHtml) is { } html)
        {
            text = HtmlToText(html.Text);
        }
        if (text is null)
        {
            return null;
        }
        var reply = StripQuoted(text.ReplaceLineEndings("\n")).Trim();
        return reply.Length == 0 ? null : reply;
    }

    /// <summary>Text from HTML: block elements become line breaks, scripts, styles and quoted originals (blockquote) are left out.</summary>
    public static string HtmlToText(string html)
    {
        var text = new StringBuilder();
        var skipping = 0;
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader);
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head or HtmlTagId.Title or HtmlTagId.BlockQuote:
                    if (!tag.IsEmptyElement)
                    {
                        skipping = Math.Max(0, skipping + (tag.IsEndTag ? -1 : 1));
                    }
                    break;
                case HtmlTagToken tag when skipping == 0 && tag.Id == HtmlTagId.Br:
                    TrimEndSpaces(text);
                    text.Append('\n');
                    break;
                case HtmlTagToken tag when skipping == 0 && IsBlock(tag.Id):
                    // One line per block: Outlook writes every line as a paragraph, Gmail as a div.
                    TrimEndSpaces(text);
                    if (text.Length > 0 && text[^1] != '\n')
                    {
                        text.Append('\n');
                    }
                    if (!tag.IsEndTag && tag.Id == HtmlTagId.LI)
                    {
                        text.Append("- ");
                    }
                    break;
                case HtmlDataToken data when skipping == 0 && token.Kind == HtmlTokenKind.Data:
                    var words = Whitespace().Replace(data.Data, " ");
                    text.Append(text.Length == 0 || text[^1] == '\n' ? words.TrimStart() : words);
                    break;
            }
        }
        var lines = text.ToString().Split('\n').Select(l => l.Trim());
        return MultipleBlankLines().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    /// <summary>Cuts the quoted original off a reply, when it is simple to recognise.</summary>
    public static string StripQuoted(string text)
    {
        var lines = text.Split('\n');
        var cut = lines.Length;
        for (var i = 0; i < lines.Length; i++)
        {
            if (Attribution().IsMatch(lines[i]) || Separator().IsMatch(lines[i]) || IsHeaderBlock(lines, i))
            {
                cut = i;
                break;
            }
        }
        // A trailing block of quoted lines (and blank lines and rules between them) goes too.
        while (cut > 0 && (lines[cut - 1].StartsWith('>') || lines[cut - 1].Trim().Length == 0 || Rule().IsMatch(lines[cut - 1])))
        {
            cut--;
        }
        var reply = string.Join('\n', lines[..cut]).Trim();
        return reply.Length > 0 ? reply : text;
    }

    /// <summary>Outlook's "Fra: … / Sendt: …" block that starts the original below a reply (optionally after a rule).</summary>
    private static bool IsHeaderBlock(string[] lines, int i) =>
        HeaderFrom().IsMatch(lines[i]) && lines.Skip(i + 1).Take(4).Any(l => HeaderSent().IsMatch(l));

    private static void TrimEndSpaces(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }
    }

    private static bool IsBlock(HtmlTagId id) => id is HtmlTagId.P or HtmlTagId.Div or HtmlTagId.LI or HtmlTagId.UL or HtmlTagId.OL
        or HtmlTagId.TR or HtmlTagId.Table or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6
        or HtmlTagId.HR or HtmlTagId.Pre;

    /// <summary>"On … wrote:", "Den … skrev …:" and the like: the line a mail client puts above the quoted original.</summary>
    [GeneratedRegex(@"^\s*(On|Den|Le|Am|El|Op|Il|På)\s.{4,300}\s(wrote|skrev|a écrit|schrieb|escribió|schreef|ha scritto)(\s.{0,200})?:\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^\s*[_\-=]{5,}\s*$")]
    private static partial Regex Rule();

    [GeneratedRegex(@"^\s*-{2,}\s*(Original Message|Oprindelig meddelelse|Originalmeddelelse|Ursprüngliche Nachricht)\s*-{2,}\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^\s*\*?(From|Fra|Von)\s*:\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderFrom();

    [GeneratedRegex(@"^\s*\*?(Sent|Sendt|Date|Dato|Gesendet)\s*:\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderSent();

    [GeneratedRegex(@"[ \t\r\n\u00a0]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex MultipleBlankLines();
}
