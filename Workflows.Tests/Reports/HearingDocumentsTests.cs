using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;
using Workflows.Host.Reports;

namespace Workflows.Tests.Reports;

/// <summary>
/// The høringsnotat and the matrix built from a report in memory: hostile answer text, Danish order, parties still
/// waiting or with an extended deadline, and CSV cells that need quoting.
/// </summary>
public sealed class HearingDocumentsTests
{
    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/Copenhagen"];
    private static readonly Deadline Common = At(new LocalDateTime(2019, 10, 31, 12, 0));

    private static Deadline At(LocalDateTime local) => Deadline.FromInstant(local.InZoneLeniently(Zone).ToInstant(), Zone);

    private static HearingReport Report(params HearingPartyLine[] parties) => new(
        Guid.NewGuid(), "hearing", "Praksisplan 2019", null, null, new LocalDateTime(2019, 10, 1, 10, 0), Common, 30, 22,
        new LocalDateTime(2019, 10, 15, 9, 0), parties);

    private static HearingPartyLine Party(string name, PartyTaskStatus status, HearingAnswer? answer = null, Deadline? deadline = null, bool passed = true) =>
        new(name.ToLowerInvariant(), name, null, null, status, deadline ?? Common, deadline is not null, passed, answer);

    private static HearingAnswer Answer(string? text, params string[] files) =>
        new(new LocalDateTime(2019, 10, 10, 14, 30), "email", text, false, false, files);

    private static (Body Body, List<string> Paragraphs) Open(byte[] docx)
    {
        var document = WordprocessingDocument.Open(new MemoryStream(docx), isEditable: false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        if (errors.Count > 0)
        {
            Assert.Fail(string.Join("\n", errors));
        }
        var body = document.MainDocumentPart!.Document!.Body!;
        return (body, body.Descendants<Paragraph>().Select(p => p.InnerText).ToList());
    }

    [Fact]
    public void HostileAnswerText_IsStripped_AndTheDocumentStaysValid()
    {
        var hostile = "Linje 1\u0000\u0001\u0008\u000B\u000C\u001F\r\nLinje\t2 \uD800 \uDC00 \uFFFE \uFFFF 😀\r\r<w:p>&amp;</w:p> ]]>";
        var report = Report(Party("Kommune & Co <\"x\">\u0007", PartyTaskStatus.Answered, Answer(hostile, "bilag\u0001.pdf")));

        var (body, paragraphs) = Open(HearingMemoDocument.Create(report));
        var all = string.Concat(body.Descendants<Text>().Select(t => t.Text));

        Assert.DoesNotContain(all, c => char.IsControl(c) && c != '\t');
        Assert.DoesNotContain(all, c => c is '\uFFFE' or '\uFFFF');
        Assert.Contains("<w:p>&amp;</w:p> ]]>", paragraphs);
        Assert.Contains(paragraphs, p => p.StartsWith("Linje 1", StringComparison.Ordinal) && p.Contains("Linje2  ", StringComparison.Ordinal) && p.EndsWith("😀", StringComparison.Ordinal));
        Assert.Contains("Kommune & Co <\"x\">", paragraphs);
        Assert.Contains("bilag.pdf", paragraphs);
        Assert.Contains(body.Descendants<TabChar>(), _ => true);
    }

    [Fact]
    public void SafeText_KeepsTabsLineBreaksAndPairs_DropsWhatXmlCannotCarry()
    {
        Assert.Equal("a\tb\nc\nd😀", SafeText.Clean("a\tb\r\nc\rd\u0001\uD800😀\uDFFF\uFFFF"));
        Assert.Equal("", SafeText.Clean(null));
        Assert.Equal(["første", "", "anden"], SafeText.Lines("\n første\r\n\r\nanden  \n\n"));
        Assert.Equal("SAG-2019-05950", SafeText.FileNamePart(" SAG-2019-05950 "));
        Assert.Equal("sag-1-2", SafeText.FileNamePart("sag/1\\2"));
        Assert.Null(SafeText.FileNamePart("æøå"));
    }

    [Fact]
    public void DanishOrder_PutsAeOeAaLast_AndAaCountsAsAa()
    {
        string[] names = ["Aarhus", "Ærø", "Østerbro", "Zealand", "Åbo", "Aabenraa", "Bornholm", "abc"];
        Assert.Equal(["abc", "Bornholm", "Zealand", "Ærø", "Østerbro", "Aabenraa", "Åbo", "Aarhus"], names.Order(DanishCollation.Comparer));
    }

    [Fact]
    public void PartiesStillWaitingOrExtended_AreSaidSo_AndAnEmptyHearingHasNoAnswers()
    {
        var extended = At(new LocalDateTime(2019, 11, 7, 12, 0));
        var report = Report(
            Party("Holstebro Kommune", PartyTaskStatus.ExtensionGranted, deadline: extended, passed: false),
            Party("Skive Kommune", PartyTaskStatus.Overdue, deadline: extended),
            Party("Viborg Kommune", PartyTaskStatus.Sent, passed: false));

        var (body, paragraphs) = Open(HearingMemoDocument.Create(report));
        var tickList = body.Elements<Table>().First().Elements<TableRow>().Skip(1).Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToArray()).ToList();

        Assert.Equal(["Holstebro Kommune", "Nej", "Afventer svar (frist torsdag den 7. november 2019 kl. 12.00)"], tickList[0]);
        Assert.Equal(["Skive Kommune", "Nej", "Ikke besvaret (forlænget frist torsdag den 7. november 2019 kl. 12.00)"], tickList[1]);
        Assert.Equal(["Viborg Kommune", "Nej", "Afventer svar (frist torsdag den 31. oktober 2019 kl. 12.00)"], tickList[2]);
        Assert.Contains("Der er ikke modtaget høringssvar.", paragraphs);
        Assert.Contains("Materialet blev sendt i høring tirsdag den 1. oktober 2019 hos 3 parter med frist torsdag den 31. oktober 2019 kl. 12.00.", paragraphs);
        Assert.Contains("Skive Kommune (forlænget frist torsdag den 7. november 2019 kl. 12.00)", paragraphs);
        Assert.Single(body.Elements<Table>());
        Assert.Equal(
            $"hoeringsnotat-{report.InstanceId:N}"[..26] + ".docx",
            HearingMemoDocument.FileName(report));
    }

    [Fact]
    public void Answer_NamesWhoAnswered_HeadingStaysWithItsTable_AndNoRowIsSplitAcrossPages()
    {
        var report = Report(Party("Skive Kommune", PartyTaskStatus.Answered, Answer("Vi støtter strategien.") with { Channel = "web", SubmittedBy = "Mette Hansen, Teknik og Miljø" }));

        var (body, paragraphs) = Open(HearingMemoDocument.Create(report));

        Assert.Contains("Modtaget torsdag den 10. oktober 2019 kl. 14.30 via svarsiden. Afgivet af Mette Hansen, Teknik og Miljø.", paragraphs);
        // The party's heading keeps with the next line by its style; that line keeps with the answer's table.
        var received = body.Elements<Paragraph>().Single(p => p.InnerText.StartsWith("Modtaget ", StringComparison.Ordinal));
        Assert.NotNull(received.ParagraphProperties?.KeepNext);
        Assert.IsType<Table>(received.NextSibling());
        Assert.All(body.Descendants<TableRow>(), row => Assert.NotNull(row.TableRowProperties?.GetFirstChild<CantSplit>()));
    }

    [Fact]
    public void EveryoneAnswered_SaysSo_AndAnAnswerOnlyInFiles_PointsToThem()
    {
        var report = Report(Party("Skive Kommune", PartyTaskStatus.Answered, Answer(null, "svar.pdf", "bilag.docx")));

        var (_, paragraphs) = Open(HearingMemoDocument.Create(report));

        Assert.Contains("Alle hørte parter har svaret.", paragraphs);
        Assert.Contains("Svaret er givet i de vedhæftede bilag.", paragraphs);
        Assert.Equal(["svar.pdf", "bilag.docx"], paragraphs.SkipWhile(p => p != "Bilag:").Skip(1).Take(2));
        Assert.Contains("Modtaget torsdag den 10. oktober 2019 kl. 14.30 pr. e-mail.", paragraphs);
    }

    [Fact]
    public void Csv_QuotesWhatNeedsIt_AndNeverStartsAFormula()
    {
        var report = Report(
            Party("Kommune; \"Syd\"", PartyTaskStatus.Sent),
            Party("=HYPERLINK(\"http://x\")", PartyTaskStatus.Sent));

        var csv = Encoding.UTF8.GetString(PartyMatrixExport.Csv(report)[3..]);
        var lines = csv.Split("\r\n");

        Assert.StartsWith("\"Kommune; \"\"Syd\"\"\";;;Sendt;", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("\"'=HYPERLINK(\"\"http://x\"\")\";;;Sendt;", lines[2], StringComparison.Ordinal);
        Assert.Equal("", lines[^1]);
    }
}
