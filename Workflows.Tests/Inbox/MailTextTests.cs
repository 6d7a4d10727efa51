using MimeKit;
using Workflows.Host.Mail.Inbox;

namespace Workflows.Tests.Inbox;

public sealed class MailTextTests
{
    [Theory]
    [InlineData("Vi støtter forslaget.\n\nDen 1. okt. 2019 kl. 10.00 skrev KKR <kkr@kkr.example>:\n> Kære kommune\n> Svar venligst")]
    [InlineData("Vi støtter forslaget.\n\nOn Tue, Oct 1, 2019 at 10:00 AM KKR <kkr@kkr.example> wrote:\n> Dear")]
    [InlineData("Vi støtter forslaget.\n\n-----Oprindelig meddelelse-----\nFra: KKR\nSendt: 1. oktober 2019 10:00\nEmne: Høring")]
    [InlineData("Vi støtter forslaget.\n\n________________________________\nFra: KKR Sjælland <kkr@kkr.example>\nSendt: 1. oktober 2019 10:00\nTil: Holbæk\nEmne: Høring")]
    [InlineData("Vi støtter forslaget.\n\n> Kære kommune\n> Svar venligst\n")]
    public void StripQuoted_ReplyAboveTheOriginal_KeepsOnlyTheReply(string text) =>
        Assert.Equal("Vi støtter forslaget.", MailText.StripQuoted(text));

    [Fact]
    public void StripQuoted_OnlyQuotedText_KeepsEverything()
    {
        const string text = "> Kære kommune\n> Svar venligst";
        Assert.Equal(text, MailText.StripQuoted(text));
    }

    [Fact]
    public void StripQuoted_InterleavedReply_KeepsItWhole()
    {
        const string text = "> Støtter I forslaget?\nJa.\n> Har I bemærkninger?\nNej.";
        Assert.Equal(text, MailText.StripQuoted(text));
    }

    [Fact]
    public void HtmlToText_BlocksAndBreaks_BecomeLines_ScriptStyleAndQuoteAreLeftOut()
    {
        const string html = """
            <html><head><title>x</title><style>p { color: red }</style></head><body>
            <div>Vi st&oslash;tter   forslaget.</div><p>Med venlig hilsen<br/>Holbæk&nbsp;Kommune</p>
            <script>alert(1)</script>
            <ul><li>punkt et</li><li>punkt to</li></ul>
            <blockquote type="cite">Kære kommune</blockquote>
            </body></html>
            """;

        Assert.Equal("Vi støtter forslaget.\nMed venlig hilsen\nHolbæk Kommune\n- punkt et\n- punkt to", MailText.HtmlToText(html));
    }

    [Fact]
    public void Body_PlainAndHtmlAlternatives_TakesThePlainText()
    {
        var message = new MimeMessage
        {
            Body = new BodyBuilder { TextBody = "Plain svar.\n", HtmlBody = "<p>HTML svar.</p>" }.ToMessageBody(),
        };

        Assert.Equal("Plain svar.", MailText.Body(message));
    }

    [Fact]
    public void Body_FormatFlowed_IsJoinedIntoParagraphs()
    {
        var part = new TextPart("plain") { Text = "Vi st\u00f8tter \r\nforslaget.\r\n" };
        part.ContentType.Parameters.Add("format", "flowed");
        var message = new MimeMessage { Body = part };

        Assert.Equal("Vi støtter forslaget.", MailText.Body(message));
    }
}
