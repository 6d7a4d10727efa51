using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Workflows.Definitions.Calendar;

namespace Workflows.Host.Reports;

/// <summary>
/// The høringsnotat of a hearing as a Word document, in the structure of Lovkvalitetsvejledningen §9.1.6: the
/// hearing period with its day count, the alphabetical list of consulted parties with a tick for each answer
/// received, each answer under its party with an empty column for the administration's comments, and the parties
/// that did not answer. Built from real Word structures (heading styles, tables with repeated header rows, a
/// bullet list, document language da-DK) so it is navigable and readable by screen readers.
/// </summary>
public static class HearingMemoDocument
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private const string Tick = "✓";
    private const int BulletList = 1;

    // A4 with 2.5 cm margins, in twentieths of a point.
    private const int PageWidth = 11906;
    private const int PageHeight = 16838;
    private const int Margin = 1418;
    private const int TextWidth = PageWidth - (2 * Margin);

    public static string FileName(HearingReport report) =>
        $"hoeringsnotat-{SafeText.FileNamePart(report.CaseNumber) ?? report.InstanceId.ToString("N")[..12]}.docx";

    public static byte[] Create(HearingReport report)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            document.PackageProperties.Title = SafeText.Clean($"Høringsnotat: {report.Title}");
            document.PackageProperties.Subject = SafeText.Clean(report.CaseNumber ?? report.Title);
            document.PackageProperties.Creator = "ProcesFlow";
            document.PackageProperties.Language = "da-DK";

            var main = document.AddMainDocumentPart();
            AddStyles(main);
            AddNumbering(main);
            // Current Word features (table captions, no compatibility mode when opened).
            main.AddNewPart<DocumentSettingsPart>().Settings = new Settings(
                new Compatibility(new CompatibilitySetting
                {
                    Name = CompatSettingNameValues.CompatibilityMode,
                    Uri = "http://schemas.microsoft.com/office/word",
                    Val = "15",
                }));
            var body = new Body();
            Write(report, body);
            var footer = main.AddNewPart<FooterPart>();
            footer.Footer = new Footer(new Paragraph(
                new ParagraphProperties(new Justification { Val = JustificationValues.Right }),
                Run($"Høringsnotat{(report.CaseNumber is null ? "" : " – " + report.CaseNumber)} – side "),
                new SimpleField(new Run(new Text("1"))) { Instruction = " PAGE " },
                Run(" af "),
                new SimpleField(new Run(new Text("1"))) { Instruction = " NUMPAGES " }));
            body.Append(new SectionProperties(
                new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) },
                new PageSize { Width = PageWidth, Height = PageHeight },
                new PageMargin { Top = Margin, Bottom = Margin, Left = (uint)Margin, Right = (uint)Margin, Header = 708, Footer = 708, Gutter = 0 }));
            main.Document = new Document(body);
        }
        return stream.ToArray();
    }

    private static void Write(HearingReport report, Body body)
    {
        var parties = report.Parties;
        var received = report.Received.ToList();
        var missing = report.NotReceived.ToList();

        body.Append(Paragraph("Title", "Høringsnotat"));
        body.Append(Paragraph("Subtitle", report.Title));
        var facts = new List<(string Term, string Value)>();
        if (report.CaseNumber is not null)
        {
            facts.Add(("Sagsnummer", report.CaseNumber));
        }
        if (report.Sender is not null)
        {
            facts.Add(("Afsender", report.Sender));
        }
        facts.Add(("Høringsperiode", $"{DanishText.DayMonthYear(report.SentAt.Date)} – {DanishText.DayMonthYear(report.Deadline.Local.Date)}"));
        facts.Add(("Udarbejdet", $"{DanishText.DateTime(report.CompiledAt)} (udkast dannet af ProcesFlow)"));
        foreach (var (term, value) in facts)
        {
            body.Append(new Paragraph(Run(term + ": ", bold: true), Run(value)));
        }

        body.Append(Paragraph("Heading1", "1. Høringsperiode"));
        var who = report.Sender is null ? "Materialet blev" : $"{report.Sender} sendte materialet";
        var sent = report.Sender is null ? "sendt i høring" : "i høring";
        body.Append(Paragraph(null, string.Create(CultureInfo.InvariantCulture,
            $"{who} {sent} {DanishText.Date(report.SentAt.Date)} hos {Count(parties.Count, "part", "parter")} med frist {report.Deadline.Text}.")));
        // Compiled before the deadline (a draft while the hearing runs), the text says so.
        var open = report.CompiledAt < report.Deadline.Local;
        body.Append(Paragraph(null, string.Create(CultureInfo.InvariantCulture,
            $"Høringsperioden {(open ? "er" : "var")} fra {DanishText.Date(report.SentAt.Date)} til {DanishText.Date(report.Deadline.Local.Date)}, i alt {Count(report.CalendarDays, "dag", "dage")} ({Count(report.WorkingDays, "arbejdsdag", "arbejdsdage")}).")));
        var noComments = received.Count(p => p.NoComments);
        var late = received.Count(p => p.Late);
        body.Append(Paragraph(null, string.Create(CultureInfo.InvariantCulture,
            $"Der er modtaget {received.Count} høringssvar fra {Count(parties.Count, "hørt part", "hørte parter")}, heraf {noComments} uden bemærkninger og {late} efter fristen. {Count(missing.Count, "part", "parter")} har {(open ? "endnu " : "")}ikke svaret.")));

        body.Append(Paragraph("Heading1", "2. Hørte parter"));
        body.Append(Paragraph(null, $"Parterne er listet alfabetisk. {Tick} angiver, at der er modtaget høringssvar."));
        var list = Table(
            "Hørte parter",
            "Alfabetisk liste over hørte parter med markering af modtagne høringssvar.",
            [("Hørt part", 45), ("Høringssvar modtaget", 20), ("Bemærkning", 35)]);
        foreach (var party in parties)
        {
            list.Append(Row(
                Cell(45, Paragraph(null, party.Name)),
                Cell(20, Paragraph(null, party.Received ? $"{Tick} Ja" : "Nej")),
                Cell(35, Paragraph(null, Remark(party)))));
        }
        body.Append(list);

        body.Append(Paragraph("Heading1", "3. Høringssvar"));
        if (received.Count == 0)
        {
            body.Append(Paragraph(null, "Der er ikke modtaget høringssvar."));
        }
        else
        {
            body.Append(Paragraph(null,
                "Høringssvarene er gengivet nedenfor under hver part i alfabetisk rækkefølge. Kolonnen \"Administrationens bemærkninger\" udfyldes af sekretariatet."));
        }
        foreach (var party in received)
        {
            body.Append(Paragraph("Heading2", party.Name));
            // The heading keeps with this line (its style), and this line with the table: no party heading alone at a page's foot.
            body.Append(KeptWithNext(Paragraph(null, Received(party))));
            var table = Table(
                $"Høringssvar fra {party.Name}",
                $"Høringssvaret fra {party.Name} og administrationens bemærkninger til det.",
                [("Høringssvar", 55), ("Administrationens bemærkninger", 30), ("Ændret (ja/nej)", 15)]);
            var answerCell = Cell(55);
            foreach (var paragraph in AnswerParagraphs(party))
            {
                answerCell.Append(paragraph);
            }
            table.Append(Row(answerCell, Cell(30, new Paragraph()), Cell(15, new Paragraph())));
            body.Append(table);
        }

        body.Append(Paragraph("Heading1", "4. Parter, der ikke har svaret"));
        if (missing.Count == 0)
        {
            body.Append(Paragraph(null, "Alle hørte parter har svaret."));
        }
        else
        {
            body.Append(Paragraph(null, $"Der er ikke modtaget høringssvar fra følgende {Count(missing.Count, "part", "parter")}:"));
            foreach (var party in missing)
            {
                var note = party.DeadlinePassed
                    ? party.DeadlineChanged ? $" (forlænget frist {party.Deadline.Text})" : ""
                    : $" (fristen er {party.Deadline.Text} og er endnu ikke udløbet)";
                body.Append(Bullet(party.Name + note));
            }
        }
    }

    private static string Remark(HearingPartyLine party)
    {
        if (party.Received)
        {
            var parts = new List<string>();
            if (party.DecisionText is { } decision)
            {
                parts.Add(decision);
            }
            if (party.NoComments)
            {
                parts.Add("Ingen bemærkninger");
            }
            if (party.Late)
            {
                parts.Add("Modtaget for sent");
            }
            if (party.AttachmentCount > 0)
            {
                parts.Add(Count(party.AttachmentCount, "bilag", "bilag"));
            }
            return string.Join("; ", parts);
        }
        if (!party.DeadlinePassed)
        {
            return $"Afventer svar (frist {party.Deadline.Text})";
        }
        return party.DeadlineChanged ? $"Ikke besvaret (forlænget frist {party.Deadline.Text})" : "Ikke besvaret";
    }

    private static string Received(HearingPartyLine party)
    {
        if (party.Answer is not { } answer)
        {
            return party.Late ? "Svaret er modtaget efter fristen." : "Svaret er registreret.";
        }
        var channel = answer.Channel switch
        {
            "web" => "via svarsiden",
            "email" => "pr. e-mail",
            "staff" => "registreret af sekretariatet",
            _ => null,
        };
        return $"Modtaget {DanishText.DateTime(answer.ReceivedAt)}{(channel is null ? "" : " " + channel)}."
            // Who at the party answered (the name on the answer page, the mail's sender); for an answer staff registered,
            // the recorded submitter is the staff member, not the party, so it is not named here.
            + (answer.Channel is "web" or "email" && !string.IsNullOrWhiteSpace(answer.SubmittedBy) ? $" Afgivet af {answer.SubmittedBy.Trim()}." : "")
            + (party.Late ? $" Svaret er modtaget efter fristen ({party.Deadline.Text})." : "");
    }

    private static IEnumerable<Paragraph> AnswerParagraphs(HearingPartyLine party)
    {
        var answer = party.Answer;
        var lines = SafeText.Lines(answer?.Text);
        var hasText = lines.Any(l => l.Length > 0);
        if (party.NoComments)
        {
            yield return new Paragraph(Run("Ingen bemærkninger.", bold: true));
        }
        if (party.DecisionText is { } decision)
        {
            yield return new Paragraph(Run($"Beslutning: {decision}.", bold: true));
        }
        if (hasText)
        {
            // One Word paragraph per paragraph of the answer; a single line break inside one becomes a line break.
            var current = new List<string>();
            foreach (var line in lines.Append(""))
            {
                if (line.Length > 0)
                {
                    current.Add(line);
                    continue;
                }
                if (current.Count > 0)
                {
                    yield return Quote(current);
                    current.Clear();
                }
            }
        }
        else if (!party.NoComments && party.DecisionText is null)
        {
            yield return Paragraph(null, answer is { Attachments.Count: > 0 } ? "Svaret er givet i de vedhæftede bilag." : "Svaret indeholder ingen tekst.");
        }
        if (answer is { Attachments.Count: > 0 })
        {
            yield return new Paragraph(Run("Bilag:", bold: true));
            foreach (var file in answer.Attachments)
            {
                yield return Bullet(file);
            }
        }
    }

    private static Paragraph Quote(List<string> lines)
    {
        var paragraph = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Quote" }));
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                paragraph.Append(new Run(new Break()));
            }
            paragraph.Append(Run(lines[i]));
        }
        return paragraph;
    }

    private static string Count(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");

    private static Paragraph Paragraph(string? style, string text)
    {
        var paragraph = new Paragraph();
        if (style is not null)
        {
            paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        }
        paragraph.Append(Run(text));
        return paragraph;
    }

    private static Paragraph Bullet(string text) => new(
        new ParagraphProperties(
            new ParagraphStyleId { Val = "ListParagraph" },
            new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = BulletList })),
        Run(text));

    private static Run Run(string text, bool bold = false)
    {
        var run = new Run();
        if (bold)
        {
            run.Append(new RunProperties(new Bold()));
        }
        // Tabs in user text become real tabs; everything XML cannot carry is gone.
        var pieces = SafeText.Clean(text).Replace('\n', ' ').Split('\t');
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0)
            {
                run.Append(new TabChar());
            }
            run.Append(new Text(pieces[i]) { Space = SpaceProcessingModeValues.Preserve });
        }
        return run;
    }

    /// <summary>A full-width table with borders, a caption and description for assistive technology, and a header row repeated on every page.</summary>
    private static Table Table(string caption, string description, (string Header, int Percent)[] columns)
    {
        var table = new Table(
            new TableProperties(
                new TableStyle { Val = "TableGrid" },
                new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                new TableLook { Val = "04A0", FirstRow = true, LastRow = false, FirstColumn = false, LastColumn = false, NoHorizontalBand = false, NoVerticalBand = true },
                new TableCaption { Val = SafeText.Clean(caption) },
                new TableDescription { Val = SafeText.Clean(description) }),
            new TableGrid(columns.Select(c => new GridColumn { Width = (TextWidth * c.Percent / 100).ToString(CultureInfo.InvariantCulture) })));
        var header = new TableRow(new TableRowProperties(new TableHeader(), new CantSplit()));
        foreach (var (text, percent) in columns)
        {
            header.Append(Cell(percent, new Paragraph(Run(text, bold: true)), shaded: true));
        }
        table.Append(header);
        return table;
    }

    /// <summary>A row is never split across pages (unless it is longer than a page, which Word then must split).</summary>
    private static TableRow Row(params TableCell[] cells) => new([new TableRowProperties(new CantSplit()), .. cells]);

    private static Paragraph KeptWithNext(Paragraph paragraph)
    {
        (paragraph.ParagraphProperties ?? paragraph.PrependChild(new ParagraphProperties())).Append(new KeepNext());
        return paragraph;
    }

    private static TableCell Cell(int percent, Paragraph? content = null, bool shaded = false)
    {
        var properties = new TableCellProperties(new TableCellWidth { Width = (percent * 50).ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Pct });
        if (shaded)
        {
            properties.Append(new Shading { Val = ShadingPatternValues.Clear, Color = "auto", Fill = "D9E2F3" });
        }
        var cell = new TableCell(properties);
        if (content is not null)
        {
            cell.Append(content);
        }
        return cell;
    }

    private static void AddStyles(MainDocumentPart main)
    {
        var part = main.AddNewPart<StyleDefinitionsPart>();
        part.Styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = "Calibri", HighAnsi = "Calibri", EastAsia = "Calibri", ComplexScript = "Calibri" },
                    new FontSize { Val = "22" },
                    new FontSizeComplexScript { Val = "22" },
                    new Languages { Val = "da-DK", EastAsia = "da-DK", Bidi = "ar-SA" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { After = "120", Line = "264", LineRule = LineSpacingRuleValues.Auto }))),
            ParagraphStyle("Normal", "Normal", isDefault: true),
            ParagraphStyle("Title", "Title", size: 48, bold: true, spaceBefore: 0, spaceAfter: 120),
            ParagraphStyle("Subtitle", "Subtitle", size: 30, spaceAfter: 240, color: "404040"),
            ParagraphStyle("Heading1", "heading 1", size: 32, bold: true, spaceBefore: 360, spaceAfter: 120, outline: 0, color: "1F3864"),
            ParagraphStyle("Heading2", "heading 2", size: 26, bold: true, spaceBefore: 240, spaceAfter: 80, outline: 1, color: "1F3864"),
            ParagraphStyle("Quote", "Quote", italic: true, spaceAfter: 120),
            ParagraphStyle("ListParagraph", "List Paragraph", spaceAfter: 40),
            new Style(
                new StyleName { Val = "Table Grid" },
                new UIPriority { Val = 59 },
                new StyleTableProperties(new TableBorders(
                    new TopBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "808080" },
                    new LeftBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "808080" },
                    new BottomBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "808080" },
                    new RightBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "808080" },
                    new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "808080" },
                    new InsideVerticalBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "808080" }),
                    new TableCellMarginDefault(
                        new TopMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                        new TableCellLeftMargin { Width = 108, Type = TableWidthValues.Dxa },
                        new BottomMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                        new TableCellRightMargin { Width = 108, Type = TableWidthValues.Dxa })))
            { Type = StyleValues.Table, StyleId = "TableGrid" });
    }

    private static Style ParagraphStyle(
        string id, string name, bool isDefault = false, int? size = null, bool bold = false, bool italic = false,
        int? spaceBefore = null, int? spaceAfter = null, int? outline = null, string? color = null)
    {
        var style = new Style { Type = StyleValues.Paragraph, StyleId = id };
        if (isDefault)
        {
            style.Default = true;
        }
        style.Append(new StyleName { Val = name });
        if (!isDefault)
        {
            style.Append(new BasedOn { Val = "Normal" });
            style.Append(new NextParagraphStyle { Val = "Normal" });
        }
        style.Append(new PrimaryStyle());
        var paragraph = new StyleParagraphProperties();
        if (outline is not null)
        {
            paragraph.Append(new KeepNext());
        }
        if (spaceBefore is not null || spaceAfter is not null)
        {
            var spacing = new SpacingBetweenLines();
            if (spaceBefore is { } before)
            {
                spacing.Before = before.ToString(CultureInfo.InvariantCulture);
            }
            if (spaceAfter is { } after)
            {
                spacing.After = after.ToString(CultureInfo.InvariantCulture);
            }
            paragraph.Append(spacing);
        }
        if (outline is { } level)
        {
            paragraph.Append(new OutlineLevel { Val = level });
        }
        if (paragraph.HasChildren)
        {
            style.Append(paragraph);
        }
        var run = new StyleRunProperties();
        if (bold)
        {
            run.Append(new Bold());
        }
        if (italic)
        {
            run.Append(new Italic());
        }
        if (color is not null)
        {
            run.Append(new Color { Val = color });
        }
        if (size is { } half)
        {
            run.Append(new FontSize { Val = half.ToString(CultureInfo.InvariantCulture) });
            run.Append(new FontSizeComplexScript { Val = half.ToString(CultureInfo.InvariantCulture) });
        }
        if (run.HasChildren)
        {
            style.Append(run);
        }
        return style;
    }

    private static void AddNumbering(MainDocumentPart main)
    {
        var part = main.AddNewPart<NumberingDefinitionsPart>();
        part.Numbering = new Numbering(
            new AbstractNum(
                new MultiLevelType { Val = MultiLevelValues.SingleLevel },
                new Level(
                    new StartNumberingValue { Val = 1 },
                    new NumberingFormat { Val = NumberFormatValues.Bullet },
                    new LevelText { Val = "•" },
                    new LevelJustification { Val = LevelJustificationValues.Left },
                    new PreviousParagraphProperties(new Indentation { Left = "720", Hanging = "360" }))
                { LevelIndex = 0 })
            { AbstractNumberId = 1 },
            new NumberingInstance(new AbstractNumId { Val = 1 }) { NumberID = BulletList });
    }
}
