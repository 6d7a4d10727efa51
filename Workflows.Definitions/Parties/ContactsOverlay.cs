namespace Workflows.Definitions.Parties;

/// <summary>The result of laying an operator's contacts over a directory.</summary>
/// <param name="Directory">The directory with every valid entry applied. When <see cref="Succeeded"/> is
/// false it is only good for a dry run: callers that send mail must refuse to start instead.</param>
/// <param name="Errors">Every unparseable line, malformed address and unknown party id, with line and field.</param>
public sealed record ContactsOverlay(PartyDirectory Directory, IReadOnlyList<ContactsError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
