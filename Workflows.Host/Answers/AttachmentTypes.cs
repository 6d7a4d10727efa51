using System.IO.Compression;
using System.Text;

namespace Workflows.Host.Answers;

/// <summary>
/// Recognises the file types a høringssvar may carry by their content, never by their name: a program renamed
/// to "svar.pdf" is refused. PDF, and the Office Open XML and OpenDocument formats (which are ZIP files whose
/// inner parts say what they are).
/// </summary>
public static class AttachmentTypes
{
    public sealed record FileType(string Name, string ContentType, string Extension);

    public static readonly FileType Pdf = new("PDF", "application/pdf", ".pdf");
    public static readonly FileType Docx = new("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");
    public static readonly FileType Xlsx = new("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx");
    public static readonly FileType Odt = new("OpenDocument-tekst (ODT)", "application/vnd.oasis.opendocument.text", ".odt");

    /// <summary>For messages: "PDF, Word (DOCX), OpenDocument-tekst (ODT) eller Excel (XLSX)".</summary>
    public static string Allowed => "PDF, Word (DOCX), OpenDocument-tekst (ODT) eller Excel (XLSX)";

    /// <summary>The type of the file at <paramref name="path"/>, or null when it is none of the allowed ones.</summary>
    public static FileType? Detect(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[5];
        if (stream.Read(head) < 4)
        {
            return null;
        }
        if (head.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }
        if (!head.StartsWith("PK\u0003\u0004"u8))
        {
            return null;
        }
        stream.Position = 0;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            if (zip.GetEntry("mimetype") is { } mimetype)
            {
                using var reader = new StreamReader(mimetype.Open(), Encoding.ASCII);
                return reader.ReadToEnd().Trim() == Odt.ContentType ? Odt : null;
            }
            if (zip.GetEntry("[Content_Types].xml") is null)
            {
                return null;
            }
            return zip.GetEntry("word/document.xml") is not null ? Docx
                : zip.GetEntry("xl/workbook.xml") is not null ? Xlsx
                : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
