using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using NodaTime.Text;
using Workflows.Definitions.Calendar;

namespace Workflows.Host.Reports;

/// <summary>
/// The party matrix of a hearing as a spreadsheet: one row per consulted party in Danish alphabetical order,
/// as CSV for Danish Excel (UTF-8 with BOM, semicolons, CRLF) or as an XLSX workbook.
/// </summary>
public static class PartyMatrixExport
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The columns, in order, with their width in the workbook (characters).</summary>
    public static readonly IReadOnlyList<(string Header, double Width)> Columns =
    [
        ("Part", 32), ("Kommunekode", 13), ("Region", 20), ("Status", 20), ("Frist", 38), ("Frist (ISO)", 27),
        ("Besvaret", 38), ("For sent", 10), ("Antal bilag", 12),
    ];

    private static readonly OffsetDateTimePattern Iso = OffsetDateTimePattern.Rfc3339;

    public static string FileName(HearingReport report, string extension) =>
        $"partsmatrix-{SafeText.FileNamePart(report.CaseNumber) ?? report.InstanceId.ToString("N")[..12]}.{extension}";

    /// <summary>The rows as text, one array per party, in the order of <see cref="Columns"/>.</summary>
    public static IEnumerable<string[]> Rows(HearingReport report) =>
        report.Parties.Select(p => new[]
        {
            p.Name,
            p.Code ?? "",
            p.Region ?? "",
            p.DecisionText is { } decision ? $"{PartyStatusText.Danish(p.Status)} ({decision.ToLowerInvariant()})" : PartyStatusText.Danish(p.Status),
            p.Deadline.Text,
            Iso.Format(p.Deadline.Zoned.ToOffsetDateTime()),
            p.Answer is { } answer ? DanishText.DateTime(answer.ReceivedAt) : p.Received ? "Ja" : "",
            p.Late ? "Ja" : "Nej",
            p.AttachmentCount.ToString(CultureInfo.InvariantCulture),
        });

    /// <summary>
    /// For Excel in Denmark: semicolons, a byte order mark (so æ, ø and å survive), CRLF lines, and a cell Excel would
    /// read as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>) kept as text behind an apostrophe.
    /// </summary>
    public static byte[] Csv(HearingReport report)
    {
        var options = new CsvWriterOptions { Separator = ';', NewLine = "\r\n", WriteByteOrderMark = true, Injection = CsvInjection.Escape };
        using var stream = new MemoryStream();
        using (var writer = CsvWriter.Create(stream, options, leaveOpen: true))
        {
            foreach (var row in Rows(report).Prepend(Columns.Select(c => c.Header).ToArray()))
            {
                writer.WriteRecord(row.Select(SafeText.Clean).ToArray());
            }
        }
        return stream.ToArray();
    }

    public static byte[] Xlsx(HearingReport report)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            document.PackageProperties.Title = SafeText.Clean($"Partsmatrix: {report.Title}");
            document.PackageProperties.Creator = "ProcesFlow";
            document.PackageProperties.Language = "da-DK";

            var workbook = document.AddWorkbookPart();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }), new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
                new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
                new CellFormats(
                    new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
                    new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true })
                { Count = 2 });

            var sheet = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            var rows = Rows(report).ToList();
            data.Append(Row(1, Columns.Select(c => c.Header).ToArray(), header: true));
            for (var i = 0; i < rows.Count; i++)
            {
                data.Append(Row((uint)(i + 2), rows[i], header: false));
            }
            var lastCell = $"{ColumnName(Columns.Count - 1)}{rows.Count + 1}";
            sheet.Worksheet = new Worksheet(
                new SheetViews(new SheetView(
                    new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                    new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
                { WorkbookViewId = 0, TabSelected = true }),
                new Columns(Columns.Select((c, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = c.Width, CustomWidth = true })),
                data,
                new AutoFilter { Reference = $"A1:{lastCell}" });

            workbook.Workbook = new Workbook(
                new Sheets(new Sheet { Name = "Parter", SheetId = 1, Id = workbook.GetIdOfPart(sheet) }),
                new DefinedNames(new DefinedName($"Parter!$A$1:${ColumnName(Columns.Count - 1)}${rows.Count + 1}") { Name = "_xlnm._FilterDatabase", LocalSheetId = 0, Hidden = true }));
        }
        return stream.ToArray();
    }

    private static Row Row(uint index, string[] values, bool header)
    {
        var row = new Row { RowIndex = index };
        for (var i = 0; i < values.Length; i++)
        {
            var reference = $"{ColumnName(i)}{index}";
            // The number of files is a number; everything else (kommunekode included: "101" is a code) is text.
            Cell cell = !header && i == Columns.Count - 1 && int.TryParse(values[i], CultureInfo.InvariantCulture, out var number)
                ? new Cell(new CellValue(number)) { CellReference = reference, DataType = CellValues.Number }
                : new Cell(new InlineString(new Text(SafeText.Clean(values[i])) { Space = SpaceProcessingModeValues.Preserve })) { CellReference = reference, DataType = CellValues.InlineString };
            if (header)
            {
                cell.StyleIndex = 1;
            }
            row.Append(cell);
        }
        return row;
    }

    private static string ColumnName(int index) => ((char)('A' + index)).ToString();
}
