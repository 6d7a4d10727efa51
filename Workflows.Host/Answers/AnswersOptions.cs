namespace Workflows.Host.Answers;

/// <summary><c>ProcesFlow:Answers</c>: where attachments are kept and how large an answer may be.</summary>
public sealed class AnswersOptions
{
    public const string SectionName = "ProcesFlow:Answers";

    /// <summary>Outside the web root; relative paths are under the content root.</summary>
    public string AttachmentsFolder { get; set; } = "data/attachments";

    public long MaxFileBytes { get; set; } = 25 * 1024 * 1024;

    public int MaxFiles { get; set; } = 10;

    public int MaxTextLength { get; set; } = 100_000;

    /// <summary>
    /// Answer-page and sign-in requests one client address may make per minute: enough for a person, too few to
    /// guess links. A load test from one address (the benchmark) raises it.
    /// </summary>
    public int RequestsPerMinute { get; set; } = 60;
}
