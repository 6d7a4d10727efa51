using System.Text.Json;
using Workflows.Definitions.Parties;

namespace Workflows.Tests.Parties;

public class PartyDirectoryResolveTests
{
    private static readonly PartyDirectory Directory = PartyDirectory.LoadReference();

    [Theory]
    [InlineData("hovedstaden", 29)]
    [InlineData("sjaelland", 17)]
    [InlineData("midtjylland", 19)]
    [InlineData("syddanmark", 22)]
    [InlineData("nordjylland", 11)]
    public void Resolve_RegionSlug_ReturnsThatRegionsKommuner(string region, int count)
    {
        var result = Directory.Resolve(region);

        Assert.True(result.Succeeded);
        Assert.Equal(count, result.Parties.Count);
        Assert.Equal(Directory.InRegion(region), result.Parties);
    }

    [Fact]
    public void Resolve_GroupId_ReturnsItsMembers()
    {
        var result = Directory.Resolve("alle-kommuner-sjaelland");

        Assert.True(result.Succeeded);
        Assert.Equal(17, result.Parties.Count);
        Assert.All(result.Parties, p => Assert.Equal((PartyKind.Kommune, DanishRegion.Sjaelland), (p.Kind, p.Region!.Value)));
    }

    [Fact]
    public void Resolve_ByraadOgRegionsraad_Returns19KommunerThenTheRegionsraad()
    {
        var result = Directory.Resolve("byraad-og-regionsraad-midtjylland");

        Assert.True(result.Succeeded);
        Assert.Equal(20, result.Parties.Count);
        Assert.Equal(Directory.InRegion("midtjylland"), result.Parties.Take(19));
        Assert.Equal("region-midtjylland", result.Parties[19].Id);
    }

    [Fact]
    public void Resolve_KkrAlle_ReturnsTheFiveKkr()
    {
        var result = Directory.Resolve("kkr-alle");

        Assert.Equal(
            ["kkr-hovedstaden", "kkr-sjaelland", "kkr-midtjylland", "kkr-syddanmark", "kkr-nordjylland"],
            result.Parties.Select(p => p.Id));
    }

    [Fact]
    public void Resolve_PartyId_ReturnsThatParty()
    {
        var result = Directory.Resolve("plo-hovedstaden");

        Assert.True(result.Succeeded);
        Assert.Equal("PLO-Hovedstaden", Assert.Single(result.Parties).Name);
    }

    [Fact]
    public void Resolve_Mixture_RemovesDuplicatesAndKeepsFirstAppearanceOrder()
    {
        var result = Directory.Resolve(["kl", "aarhus", "midtjylland", "region-midtjylland", "byraad-og-regionsraad-midtjylland", "kl", "ufm"]);

        Assert.True(result.Succeeded);
        var ids = result.Parties.Select(p => p.Id).ToArray();
        Assert.Equal(1 + 19 + 1 + 1, ids.Length);
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["kl", "aarhus", "horsens"], ids.Take(3));
        Assert.Equal(["region-midtjylland", "ufm"], ids.TakeLast(2));
    }

    [Theory]
    [InlineData("arhus", "aarhus")]
    [InlineData("København", "koebenhavn")]
    [InlineData("Aarhus Kommune", "aarhus")]
    [InlineData("Midtjylland", "midtjylland")]
    [InlineData("Region Sjælland", "region-sjaelland")]
    [InlineData("hoje-taastrup", "hoeje-taastrup")]
    [InlineData("kkr-all", "kkr-alle")]
    public void Resolve_UnknownId_ReportsItWithASuggestion(string selector, string suggestion)
    {
        var result = Directory.Resolve(selector);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Parties);
        var error = Assert.Single(result.Errors);
        Assert.Equal(selector, error.Selector);
        Assert.Null(error.Index);
        Assert.Equal(suggestion, error.Suggestion);
        Assert.Contains($"'{selector}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{suggestion}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownIdFarFromEveryId_HasNoSuggestion()
    {
        var error = Assert.Single(Directory.Resolve("xyzzy-quux-frobozz").Errors);

        Assert.Null(error.Suggestion);
        Assert.Contains("'xyzzy-quux-frobozz'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ArrayWithUnknownIds_ReportsEachWithItsIndexAndResolvesTheRest()
    {
        var result = Directory.Resolve(["aarhus", "nowhere", "skive", "", "odense"]);

        Assert.Equal(["aarhus", "skive", "odense"], result.Parties.Select(p => p.Id));
        Assert.Equal([(1, "nowhere"), (3, "")], result.Errors.Select(e => (e.Index!.Value, e.Selector)));
    }

    [Fact]
    public void Resolve_EmptyArray_SelectsNothingWithoutError()
    {
        var result = Directory.Resolve(Array.Empty<string>());

        Assert.True(result.Succeeded);
        Assert.Empty(result.Parties);
    }

    [Fact]
    public void Resolve_JsonString_ResolvesLikeAString()
    {
        using var json = JsonDocument.Parse("\"midtjylland\"");

        Assert.Equal(19, Directory.Resolve(json.RootElement).Parties.Count);
    }

    [Fact]
    public void Resolve_JsonArray_ResolvesAMixture()
    {
        using var json = JsonDocument.Parse("""["kkr-alle", "region-nordjylland", "kkr-midtjylland"]""");

        var result = Directory.Resolve(json.RootElement);

        Assert.True(result.Succeeded);
        Assert.Equal(6, result.Parties.Count);
    }

    [Fact]
    public void Resolve_JsonArrayWithNonString_ReportsTheElementIndex()
    {
        using var json = JsonDocument.Parse("""["aarhus", 42, "nope"]""");

        var result = Directory.Resolve(json.RootElement);

        Assert.Equal("aarhus", Assert.Single(result.Parties).Id);
        Assert.Equal([1, 2], result.Errors.Select(e => e.Index!.Value));
        Assert.Equal("42", result.Errors[0].Selector);
    }

    [Theory]
    [InlineData("""{"region": "midtjylland"}""")]
    [InlineData("17")]
    [InlineData("null")]
    public void Resolve_JsonOfAnotherShape_IsAnErrorNotAnException(string raw)
    {
        using var json = JsonDocument.Parse(raw);

        var result = Directory.Resolve(json.RootElement);

        Assert.Empty(result.Parties);
        Assert.Null(Assert.Single(result.Errors).Index);
    }
}
