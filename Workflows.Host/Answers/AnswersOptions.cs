namespace Workflows.Host.Answers;

/// <summary><c>ProcesFlow:Answers</c>: where attachments are kept and how large an answer may be.</summary>
public sealed class AnswersOptions
{
    public const string SectionName = "ProcesFlow:Answers";

    /// <summary>Outside the web root; relative paths are under the content root.</summary>
    public string AttachmentsFolder { get; set; } = "data/attachments";

    public long MaxFileBytes { get; set; } = 25 * 1024 * 1024;

    public int MaxFiles { get; set; } = 10;

    /// <summary>All of an answer's files together; by default <see cref="MaxFiles"/> files of <see cref="MaxFileBytes"/>.</summary>
    public long? MaxTotalBytes { get; set; }

    public long TotalBytes => MaxTotalBytes ?? MaxFiles * MaxFileBytes;

    /// <summary>
    /// The most an answer form's request may carry: the files, one file's worth more (so an answer a little over the limit
    /// is still read and answered with the form and the typed text kept), and the form's text. Beyond it the request
    /// is cut off.
    /// </summary>
    public long RequestCeilingBytes => TotalBytes + MaxFileBytes + (MaxTextLength * 4L) + (1024 * 1024);

    public int MaxTextLength { get; set; } = 100_000;

    /// <summary>
    /// Answer-page requests one client address may make per minute (sign-in has its own limit): enough for a person, too few to
    /// guess links. A load test from one address (the benchmark) raises it.
    /// </summary>
    public int RequestsPerMinute { get; set; } = 60;
}
