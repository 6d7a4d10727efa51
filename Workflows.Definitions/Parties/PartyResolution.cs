namespace Workflows.Definitions.Parties;

/// <summary>The parties a selector names, plus every selector that could not be resolved.
/// Resolution never stops at the first error, so a designer can show them all at once.</summary>
public sealed record PartyResolution(IReadOnlyList<Party> Parties, IReadOnlyList<PartySelectorError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <param name="Selector">The selector as written (may be empty).</param>
/// <param name="Index">Position in the selector array, or null when the selector was a single string; lets callers build a JSON path.</param>
/// <param name="Message">English, human-readable, names the selector.</param>
/// <param name="Suggestion">A known id close to the selector, if there is one.</param>
public sealed record PartySelectorError(string Selector, int? Index, string Message, string? Suggestion);
