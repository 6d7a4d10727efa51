namespace Workflows.Definitions.Parties;

/// <summary>A body that can receive a hearing or approve something.</summary>
/// <param name="Id">Stable ASCII slug (æ→ae, ø→oe, å→aa), e.g. <c>hoeje-taastrup</c>; referenced from definitions and stored on party tasks.</param>
/// <param name="Name">Danish name as the body calls itself, e.g. "Københavns Kommune".</param>
/// <param name="Kind">What kind of body it is.</param>
/// <param name="Region">The region the body belongs to; null for national bodies.</param>
/// <param name="Code">Official code: the three-digit kommunekode for kommuner, the four-digit regionskode for regions; null otherwise.</param>
/// <param name="IsRegionskommune">True only for Bornholm, which is counted among the 29 Hovedstaden kommuner but often scoped separately.</param>
/// <param name="Contacts">One or more e-mail addresses; the shipped ones are placeholders on the reserved <c>.example</c> domain.</param>
public sealed record Party(
    string Id,
    string Name,
    PartyKind Kind,
    DanishRegion? Region,
    string? Code,
    bool IsRegionskommune,
    IReadOnlyList<string> Contacts);

/// <summary>A named set of parties that a definition or a start request can address at once,
/// e.g. <c>byraad-og-regionsraad-midtjylland</c>. Members are materialized party ids, in a stable order.</summary>
public sealed record PartyGroup(string Id, string Name, IReadOnlyList<string> MemberIds);

/// <summary>How a group is written in the reference data: members are selectors (region slugs,
/// party ids or other groups), and <paramref name="Except"/> removes party ids from the result.</summary>
public sealed record PartyGroupDefinition(string Id, string Name, IReadOnlyList<string> Members, IReadOnlyList<string>? Except = null);
