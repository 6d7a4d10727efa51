using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Security;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>What each role may and may not do, over the API (with a key of the role) and on the pages (signed in).</summary>
public abstract class RoleTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected RoleTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    public void Dispose() => factory.Dispose();

    private static readonly string Definition = HearingFlows.OneHearing("role-flow", """
        "parties": ["aarhus", "skive"], "deadline": { "date": "2019-10-31", "at": "12:00" }
        """);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<Guid> StartedHearingAsync() =>
        (await (await factory.CreateApiClient().PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Praksisplan", caseNumber = "SAG-1", parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;

    private static object NewDeadline => new { deadline = new { date = "2019-11-07", at = "12:00" } };

    [Fact]
    public async Task ProcessOwner_DesignsPublishesAndStarts_ButDoesNotRunHearingsOrAdminister()
    {
        var id = await StartedHearingAsync();
        var (api, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.ProcessOwner);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/definitions", Json(Definition))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/definitions/role-flow/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/instances", new { definitionId = "role-flow" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostJsonAsync($"/api/instances/{id}/parties/aarhus/deadline", NewDeadline)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostJsonAsync($"/api/instances/{id}/parties/aarhus/answer", new { text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostJsonAsync("/api/clock/advance", new { by = "P1D" })).StatusCode);

        var pages = await SecuritySupport.SignedInAsync(factory, StaffRoles.ProcessOwner);
        Assert.Equal(HttpStatusCode.OK, (await pages.GetAsync("/designer")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pages.GetAsync($"/hoeringer/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pages.PostAsync($"/hoeringer/{id}/paamind", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pages.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task Secretariat_RunsHearings_ButDoesNotPublishOrAdminister()
    {
        var id = await StartedHearingAsync();
        await factory.CreateApiClient().PostAsync("/api/definitions", Json(Definition));
        var (api, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Secretariat);
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/instances/{id}/parties/aarhus/deadline", NewDeadline)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/instances/{id}/parties/skive/answer", new { text = "Modtaget på papir" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/instances/{id}/memo")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("/api/definitions", Json(Definition))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("/api/definitions/role-flow/publish", null)).StatusCode);

        var pages = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var hearing = await pages.GetStringAsync($"/hoeringer/{id}");
        var remind = await pages.PostAsync($"/hoeringer/{id}/paamind", new FormUrlEncodedContent([new("__RequestVerificationToken", StaffSession.Token(hearing))]));
        Assert.Equal(HttpStatusCode.Redirect, remind.StatusCode);
        Assert.Equal($"/hoeringer/{id}?udfoert=paamindet", remind.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await pages.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pages.GetAsync("/hangfire")).StatusCode);
        Assert.DoesNotContain("href=\"/admin\"", hearing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reader_ReadsEverything_AndChangesNothing()
    {
        var id = await StartedHearingAsync();
        var (api, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Reader);
        foreach (var path in new[] { "/api/definitions", "/api/instances", $"/api/instances/{id}", "/api/outstanding", $"/api/instances/{id}/answers", "/api/parties?region=midtjylland", "/openapi/v1.json" })
        {
            Assert.True((await api.GetAsync(path)).StatusCode == HttpStatusCode.OK, path);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostJsonAsync("/api/instances", new { definitionId = "standard-hearing" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostJsonAsync($"/api/instances/{id}/cancel", new { })).StatusCode);

        var pages = await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader);
        foreach (var path in new[] { "/", $"/hoeringer/{id}", $"/hoeringer/{id}/parter/aarhus", "/parter", "/overskredet", "/designer" })
        {
            Assert.True((await pages.GetAsync(path)).StatusCode == HttpStatusCode.OK, path);
        }
        var hearing = await pages.GetStringAsync($"/hoeringer/{id}");
        var refused = await pages.PostAsync($"/hoeringer/{id}/paamind", new FormUrlEncodedContent([new("__RequestVerificationToken", StaffSession.Token(hearing))]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Adgang nægtet", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await pages.GetAsync("/scalar/v1")).StatusCode);
    }

    [Fact]
    public async Task Administrator_AndConfiguredKeys_MayDoEverything()
    {
        var admin = await StaffSession.SignedInAsync(factory);
        foreach (var path in new[] { "/admin", "/admin/noegler", "/admin/revision", "/hangfire", "/scalar/v1" })
        {
            Assert.True((await admin.GetAsync(path)).StatusCode == HttpStatusCode.OK, path);
        }
        var configured = factory.CreateApiClient();
        Assert.Equal(HttpStatusCode.Created, (await configured.PostAsync("/api/definitions", Json(Definition))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await configured.PostAsync("/api/definitions/role-flow/publish", null)).StatusCode);
        var id = await StartedHearingAsync();
        Assert.Equal(HttpStatusCode.OK, (await configured.PostJsonAsync($"/api/instances/{id}/parties/aarhus/deadline", NewDeadline)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await configured.PostJsonAsync("/api/clock/advance", new { by = "P1D" })).StatusCode);
    }

    [Fact]
    public async Task AKey_StopsWorkingAtItsExpiry()
    {
        var (expired, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Administrator, expiresAt: NodaTime.Instant.FromUtc(2019, 10, 1, 8, 0));
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetAsync("/api/definitions")).StatusCode);
        var (live, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Reader, expiresAt: NodaTime.Instant.FromUtc(2019, 10, 2, 8, 0));
        Assert.Equal(HttpStatusCode.OK, (await live.GetAsync("/api/definitions")).StatusCode);
    }

    [Fact]
    public async Task ARoleChange_EndsTheSessionsOfTheOldRole()
    {
        var user = await SecuritySupport.CreateUserAsync(factory, StaffRoles.Secretariat);
        var session = await SecuritySupport.SignInAsync(factory, user.Email, SecuritySupport.Password);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/")).StatusCode);
        await factory.Services.GetRequiredService<Workflows.Host.Staff.StaffAccounts>().ChangeRoleAsync(user.Id, StaffRoles.Reader, null, CancellationToken.None);
        var after = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/login", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}

[Trait("Database", "Sqlite")]
public sealed class RoleTestsOnSqlite() : RoleTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class RoleTestsOnPostgreSql() : RoleTests(TestDatabase.PostgreSql);
