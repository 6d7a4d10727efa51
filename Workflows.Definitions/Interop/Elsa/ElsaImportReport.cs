using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workflows.Definitions.Definitions;

namespace Workflows.Definitions.Interop.Elsa;

/// <summary>What became of one Elsa activity.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ElsaImportStatus>))]
public enum ElsaImportStatus
{
    /// <summary>A ProcesFlow activity does the same.</summary>
    Mapped,

    /// <summary>A ProcesFlow activity does nearly the same; the notes say what differs.</summary>
    Approximated,

    /// <summary>ProcesFlow cannot do it; the draft holds an <c>Unresolved</c> placeholder (or leaves it out, when Elsa would never run it).</summary>
    Unsupported,
}

/// <summary>A remark at a JSON path of the Elsa document, e.g. <c>$.root.activities[3].condition</c>.</summary>
public sealed record ElsaImportNote(string Path, string Message);

/// <summary>One Elsa activity and what it became.</summary>
/// <param name="Path">Its JSON path in the Elsa document.</param>
/// <param name="Id">Its Elsa id (kept as the ProcesFlow id).</param>
/// <param name="Type">Its Elsa type, e.g. <c>Elsa.FlowDecision</c>.</param>
/// <param name="Status">Mapped, approximated or unsupported.</param>
/// <param name="As">The ProcesFlow type it became, or null when it was left out.</param>
/// <param name="DraftPath">Its JSON path in the draft, or null when it was left out.</param>
/// <param name="Notes">What differs, what was not carried over, what must be resolved.</param>
public sealed record ElsaActivityReport(
    string Path, string Id, string Type, ElsaImportStatus Status, string? As, string? DraftPath, IReadOnlyList<ElsaImportNote> Notes);

/// <summary>How many activities got each status.</summary>
public sealed record ElsaImportCounts(int Mapped, int Approximated, int Unsupported);

/// <summary>
/// The report of an import: every Elsa activity with its status, notes on the workflow as a whole, and the parts
/// of the draft that must be resolved before it can be published (keyed by their path in the draft).
/// </summary>
public sealed record ElsaImportReport(
    ElsaImportCounts Counts,
    IReadOnlyList<ElsaActivityReport> Activities,
    IReadOnlyList<ElsaImportNote> Notes,
    IReadOnlyList<ValidationError> Unresolved)
{
    /// <summary>Whether the draft can be published as it is.</summary>
    public bool Publishable => Unresolved.Count == 0;
}

/// <summary>Either a draft and its report, or the errors (keyed by JSON paths into the Elsa document) that stopped the import.</summary>
public sealed record ElsaImportResult(JsonObject? Draft, ElsaImportReport? Report, IReadOnlyList<ValidationError> Errors)
{
    public bool Succeeded => Draft is not null && Report is not null;
}
