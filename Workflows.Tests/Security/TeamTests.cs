using System.Net;
using Workflows.Host.Api;
using Workflows.Host.Security;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>A hearing restricted to a team: the team's members see it, another team's members do not (API and pages).</summary>
public abstract class TeamTests : IDisposable
{
    private const string Midt = "KKR Midtjylland";
    private const string Sjaelland = "KKR Sjælland";

    private readonly ProcesFlowApiFactory factory;

    protected TeamTests(TestDatabase database)
    {
        factory = new(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    public void Dispose() => factory.Dispose();

    private static async Task<Guid> StartAsync(HttpClient client, string title, string party, string? team) =>
        (await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            team,
            input = new { title, caseNumber = "SAG-1", parties = new[] { party }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;

    [Fact]
    public async Task ATeamMember_SeesOnlyItsTeamsHearings_AndThoseWithoutATeam()
    {
        var admin = factory.CreateApiClient();
        var midt = await StartAsync(admin, "Erhvervsfremme Midt", "aarhus", Midt);
        var sjaelland = await StartAsync(admin, "Rammeaftale Sjælland", "roskilde", Sjaelland);
        var shared = await StartAsync(admin, "Fælles høring", "skive", null);

        var (midtKey, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Secretariat, Midt);
        var listed = (await (await midtKey.GetAsync("/api/instances")).ReadAsync<List<InstanceSummary>>()).Select(i => i.InstanceId).ToHashSet();
        Assert.Contains(midt, listed);
        Assert.Contains(shared, listed);
        Assert.DoesNotContain(sjaelland, listed);
        Assert.Equal(HttpStatusCode.NotFound, (await midtKey.GetAsync($"/api/instances/{sjaelland}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await midtKey.GetAsync($"/api/instances/{midt}")).StatusCode);
        var outstanding = await (await midtKey.GetAsync("/api/outstanding")).ReadAsync<List<OutstandingTask>>();
        Assert.Equal(["aarhus", "skive"], outstanding.Select(o => o.PartyId).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await midtKey.PostJsonAsync($"/api/instances/{sjaelland}/parties/roskilde/deadline", new { deadline = new { date = "2019-11-07", at = "12:00" } })).StatusCode);
        Assert.Empty(await (await midtKey.GetAsync($"/api/instances/{sjaelland}/answers")).ReadAsync<List<AnswerDescription>>());

        var page = WebUtility.HtmlDecode(await (await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader, Sjaelland)).GetStringAsync("/"));
        Assert.Contains("Rammeaftale Sjælland", page, StringComparison.Ordinal);
        Assert.Contains("Fælles høring", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Erhvervsfremme Midt", page, StringComparison.Ordinal);

        // Administrators see every team's hearings.
        var all = (await (await admin.GetAsync("/api/instances")).ReadAsync<List<InstanceSummary>>()).Select(i => i.InstanceId).ToHashSet();
        Assert.Superset(new HashSet<Guid> { midt, sjaelland, shared }, all);
    }

    [Fact]
    public async Task AHearingStartedByATeamMember_BelongsToItsTeam_AndAnotherTeamCannotBeNamed()
    {
        var (midtKey, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Secretariat, Midt);
        var (sjaellandKey, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Secretariat, Sjaelland);
        var own = await StartAsync(midtKey, "Midts egen", "aarhus", team: null);
        Assert.Equal(HttpStatusCode.NotFound, (await sjaellandKey.GetAsync($"/api/instances/{own}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await midtKey.PostJsonAsync("/api/instances", new { definitionId = "standard-hearing", team = Sjaelland })).StatusCode);
    }
}

[Trait("Database", "Sqlite")]
public sealed class TeamTestsOnSqlite() : TeamTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class TeamTestsOnPostgreSql() : TeamTests(TestDatabase.PostgreSql);
