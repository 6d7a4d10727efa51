using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Definitions.Parties;
using Workflows.Host.Api;

namespace Workflows.Tests.Parties;

/// <summary>The handlers called directly, without HTTP; <see cref="PartiesApiTests"/> covers the wire.</summary>
public class PartiesApiHandlerTests
{
    private static readonly PartyDirectory Directory = PartyDirectory.LoadReference();

    // The web defaults are what minimal APIs use: camelCase property names.
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("hovedstaden", 29)]
    [InlineData("sjaelland", 17)]
    [InlineData("midtjylland", 19)]
    [InlineData("syddanmark", 22)]
    [InlineData("nordjylland", 11)]
    public void GetParties_WithRegion_ReturnsThatRegionsKommuner(string region, int count)
    {
        var ok = Assert.IsType<Ok<IReadOnlyList<PartySummaryResponse>>>(PartiesApi.GetParties(region, Directory).Result);

        Assert.Equal(count, ok.Value!.Count);
        Assert.All(ok.Value, p => Assert.Equal(PartyKind.Kommune, p.Kind));
    }

    [Fact]
    public void GetParties_WithoutRegion_ReturnsEveryParty()
    {
        var ok = Assert.IsType<Ok<IReadOnlyList<PartySummaryResponse>>>(PartiesApi.GetParties(null, Directory).Result);

        Assert.Equal(Directory.All.Count, ok.Value!.Count);
    }

    [Theory]
    [InlineData("vestjylland")]
    [InlineData("Midtjylland")]
    [InlineData("region-midtjylland")]
    public void GetParties_UnknownRegion_IsAValidationProblemKeyedRegion(string region)
    {
        var problem = Assert.IsType<ValidationProblem>(PartiesApi.GetParties(region, Directory).Result);

        var message = Assert.Single(problem.ProblemDetails.Errors["region"]);
        Assert.Contains($"'{region}'", message, StringComparison.Ordinal);
        Assert.All(DanishRegions.Slugs, slug => Assert.Contains(slug, message, StringComparison.Ordinal));
    }

    [Fact]
    public void GetParty_Known_ReturnsDetailsWithContactsAndGroups()
    {
        var ok = Assert.IsType<Ok<PartyDetailResponse>>(PartiesApi.GetParty("bornholm", Directory).Result);

        Assert.True(ok.Value!.IsRegionskommune);
        Assert.Equal("400", ok.Value.Code);
        Assert.NotEmpty(ok.Value.Contacts);
        Assert.Contains("sundhedsklynge-hovedstaden-bornholm", ok.Value.Groups);
    }

    [Fact]
    public void GetParty_Unknown_IsNotFound()
    {
        Assert.IsType<NotFound>(PartiesApi.GetParty("nowhere", Directory).Result);
    }

    [Fact]
    public void GetGroups_ListsMaterializedMembers()
    {
        var groups = PartiesApi.GetGroups(Directory).Value!;

        var group = Assert.Single(groups, g => g.Id == "byraad-og-regionsraad-midtjylland");
        Assert.Equal(20, group.Count);
        Assert.Equal("region-midtjylland", group.Members[^1]);
    }

    [Fact]
    public void PartySummaryResponse_SerializesWithTheContractsNamesAndLowerCaseValues()
    {
        var aarhus = Directory.Find("aarhus")!;
        var response = new PartySummaryResponse(aarhus.Id, aarhus.Name, aarhus.Kind, aarhus.Region, aarhus.Code);

        var json = JsonSerializer.Serialize(response, WebJson);

        Assert.Equal("""{"id":"aarhus","name":"Aarhus Kommune","kind":"kommune","region":"midtjylland","code":"751"}""", json);
    }
}
