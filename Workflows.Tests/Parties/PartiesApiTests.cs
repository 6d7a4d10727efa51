using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflows.Tests.Support;

namespace Workflows.Tests.Parties;

/// <summary><c>/api/parties</c> over HTTP, through the shared host fixture (which sends a valid API key).</summary>
public abstract class PartiesApiTests(ProcesFlowApiFactory factory)
{
    private readonly HttpClient client = factory.CreateApiClient();

    [Theory]
    [InlineData("hovedstaden", 29)]
    [InlineData("sjaelland", 17)]
    [InlineData("midtjylland", 19)]
    [InlineData("syddanmark", 22)]
    [InlineData("nordjylland", 11)]
    public async Task GetParties_WithRegion_ReturnsThatRegionsKommunerInTheContractShape(string region, int count)
    {
        using var json = await GetJsonAsync($"/api/parties?region={region}");

        var parties = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(count, parties.Length);
        Assert.All(parties, p =>
        {
            Assert.Equal(["id", "name", "kind", "region", "code"], p.EnumerateObject().Select(property => property.Name));
            Assert.Equal("kommune", p.GetProperty("kind").GetString());
            Assert.Equal(region, p.GetProperty("region").GetString());
            Assert.Matches("^[0-9]{3}$", p.GetProperty("code").GetString()!);
        });
    }

    [Fact]
    public async Task GetParties_Midtjylland_ContainsAarhusWithCode751()
    {
        using var json = await GetJsonAsync("/api/parties?region=midtjylland");

        var aarhus = Assert.Single(json.RootElement.EnumerateArray(), p => p.GetProperty("id").GetString() == "aarhus");
        Assert.Equal("751", aarhus.GetProperty("code").GetString());
        Assert.Equal("Aarhus Kommune", aarhus.GetProperty("name").GetString());
    }

    [Fact]
    public async Task GetParties_WithoutRegion_ReturnsEveryPartyOfEveryKind()
    {
        using var json = await GetJsonAsync("/api/parties");

        var parties = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(98, parties.Count(p => p.GetProperty("kind").GetString() == "kommune"));
        var kl = Assert.Single(parties, p => p.GetProperty("id").GetString() == "kl");
        Assert.Equal("organisation", kl.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, kl.GetProperty("region").ValueKind);
        Assert.Contains(parties, p => p.GetProperty("kind").GetString() == "kkr");
        Assert.Contains(parties, p => p.GetProperty("kind").GetString() == "region");
    }

    [Fact]
    public async Task GetParties_UnknownRegion_Is400KeyedRegionListingTheValidSlugs()
    {
        using var response = await client.GetAsync(new Uri("/api/parties?region=vestjylland", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = json.RootElement.GetProperty("errors").GetProperty("region")[0].GetString()!;
        Assert.Contains("hovedstaden, sjaelland, midtjylland, syddanmark, nordjylland", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetParty_Bornholm_HasItsDetails()
    {
        using var json = await GetJsonAsync("/api/parties/bornholm");

        Assert.Equal("400", json.RootElement.GetProperty("code").GetString());
        Assert.True(json.RootElement.GetProperty("isRegionskommune").GetBoolean());
        Assert.NotEmpty(json.RootElement.GetProperty("contacts").EnumerateArray());
    }

    [Fact]
    public async Task GetParty_Unknown_Is404()
    {
        using var response = await client.GetAsync(new Uri("/api/parties/nowhere", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetGroups_ListsTheGroupsWithTheirMembers()
    {
        var groups = await client.GetFromJsonAsync<GroupDto[]>(new Uri("/api/parties/groups", UriKind.Relative));

        Assert.NotNull(groups);
        Assert.Equal(20, Assert.Single(groups, g => g.Id == "byraad-og-regionsraad-midtjylland").Members.Count);
        Assert.Equal(5, Assert.Single(groups, g => g.Id == "kkr-alle").Count);
    }

    private async Task<JsonDocument> GetJsonAsync(string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private sealed record GroupDto(string Id, string Name, int Count, IReadOnlyList<string> Members);
}

[Trait("Database", "Sqlite")]
public sealed class PartiesApiTestsOnSqlite(SqliteApiFactory factory) : PartiesApiTests(factory), IClassFixture<SqliteApiFactory>;

[Trait("Database", "PostgreSql")]
public sealed class PartiesApiTestsOnPostgreSql(PostgreSqlApiFactory factory) : PartiesApiTests(factory), IClassFixture<PostgreSqlApiFactory>;
