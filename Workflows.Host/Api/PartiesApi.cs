using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Definitions.Parties;

namespace Workflows.Host.Api;

public static class PartiesApi
{
    /// <summary>Maps <c>/api/parties</c>, <c>/api/parties/groups</c> and <c>/api/parties/{id}</c>
    /// under the given <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapPartiesApi(this IEndpointRouteBuilder api)
    {
        var parties = api.MapGroup("parties").WithTags("Parties");
        parties.MapGet("", GetParties).WithName("GetParties");
        // A literal segment outranks {id}, so "groups" can never be read as a party id.
        parties.MapGet("groups", GetGroups).WithName("GetPartyGroups");
        parties.MapGet("{id}", GetParty).WithName("GetParty");
        return api;
    }

    /// <summary>With a region: that region's kommuner (29 / 17 / 19 / 22 / 11). Without: every party.</summary>
    public static Results<Ok<IReadOnlyList<PartySummaryResponse>>, ValidationProblem> GetParties(string? region, PartyDirectory directory)
    {
        if (string.IsNullOrEmpty(region))
        {
            return TypedResults.Ok<IReadOnlyList<PartySummaryResponse>>(Summaries(directory.All));
        }

        if (!DanishRegions.TryParse(region, out var parsed))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["region"] = [$"Unknown region '{region}'. Valid regions: {string.Join(", ", DanishRegions.Slugs)}."],
            });
        }

        return TypedResults.Ok<IReadOnlyList<PartySummaryResponse>>(Summaries(directory.InRegion(parsed)));
    }

    public static Results<Ok<PartyDetailResponse>, NotFound> GetParty(string id, PartyDirectory directory)
    {
        if (directory.Find(id) is not { } party)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new PartyDetailResponse(
            party.Id,
            party.Name,
            party.Kind,
            party.Region,
            party.Code,
            party.IsRegionskommune,
            party.Contacts,
            directory.GroupsContaining(party.Id).Select(g => g.Id).ToArray()));
    }

    public static Ok<IReadOnlyList<PartyGroupResponse>> GetGroups(PartyDirectory directory) =>
        TypedResults.Ok<IReadOnlyList<PartyGroupResponse>>(
            directory.Groups.Select(g => new PartyGroupResponse(g.Id, g.Name, g.MemberIds.Count, g.MemberIds)).ToArray());

    private static PartySummaryResponse[] Summaries(IEnumerable<Party> parties) =>
        parties.Select(p => new PartySummaryResponse(p.Id, p.Name, p.Kind, p.Region, p.Code)).ToArray();
}

/// <summary>One party in a list, as fixed by DESIGN.md §5.</summary>
public sealed record PartySummaryResponse(string Id, string Name, PartyKind Kind, DanishRegion? Region, string? Code);

/// <summary>One party with its addresses and the groups it belongs to.</summary>
public sealed record PartyDetailResponse(
    string Id,
    string Name,
    PartyKind Kind,
    DanishRegion? Region,
    string? Code,
    bool IsRegionskommune,
    IReadOnlyList<string> Contacts,
    IReadOnlyList<string> Groups);

/// <summary>A party group with its materialized members, usable as a selector in definitions.</summary>
public sealed record PartyGroupResponse(string Id, string Name, int Count, IReadOnlyList<string> Members);
