using System.Net;
using Workflows.Host.Api;
using Workflows.Host.Security;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>The teams page: an administrator puts a hearing and a staff member in a team; both changes are audited with before and after.</summary>
public abstract class TeamAdminTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected TeamAdminTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }

    private static async Task<HttpResponseMessage> PostTeamAsync(HttpClient browser, string action, string team)
    {
        var page = await browser.GetStringAsync("/admin/teams");
        return await browser.PostAsync(action, new FormUrlEncodedContent([new("__RequestVerificationToken", StaffSession.Token(page)), new("team", team)]));
    }

    [Fact]
    public async Task AnAdministrator_PutsAHearingAndAUserInATeam_AndTheTeamDecidesWhoSeesTheHearing()
    {
        var id = (await (await factory.CreateApiClient().PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Praksisplan", caseNumber = "SAG-1", parties = new[] { "aarhus" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;
        var member = await SecuritySupport.CreateUserAsync(factory, StaffRoles.Secretariat, "kkr-midt");
        var admin = await StaffSession.SignedInAsync(factory);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/teams"));
        Assert.Contains($"action=\"/admin/teams/hoeringer/{id}\"", page, StringComparison.Ordinal);
        Assert.Contains($"action=\"/admin/teams/brugere/{member.Id}\"", page, StringComparison.Ordinal);
        Assert.Contains("kkr-midt: 1 brugere, 0 høringer", page, StringComparison.Ordinal);

        var moved = await PostTeamAsync(admin, $"/admin/teams/hoeringer/{id}", "kkr-nord");
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Contains("Høringen »Praksisplan« er nu i team kkr-nord.", WebUtility.HtmlDecode(await moved.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var hearingLine = await SecuritySupport.SingleAsync(factory, "HearingTeamChanged");
        Assert.Equal((StaffSession.Email, $"instanceId={id}", "intet team", "team kkr-nord"), (hearingLine.Actor, hearingLine.Target, hearingLine.Before, hearingLine.After));

        var browser = await SecuritySupport.SignInAsync(factory, member.Email, SecuritySupport.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/hoeringer/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await PostTeamAsync(admin, $"/admin/teams/brugere/{member.Id}", "kkr-nord")).StatusCode);
        var userLine = await SecuritySupport.SingleAsync(factory, "UserTeamChanged");
        Assert.Equal((StaffSession.Email, $"user={member.Email}", "team kkr-midt", "team kkr-nord"), (userLine.Actor, userLine.Target, userLine.Before, userLine.After));
        // The member's session carried the old team and has ended; signed in again, the member sees the hearing, still a Sekretariat.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync($"/hoeringer/{id}")).StatusCode);
        browser = await SecuritySupport.SignInAsync(factory, member.Email, SecuritySupport.Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/hoeringer/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/admin/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync($"/admin/teams/hoeringer/{id}", new FormUrlEncodedContent([new("team", "")]))).StatusCode);
    }
}

public sealed class TeamAdminTestsOnSqlite() : TeamAdminTests(TestDatabase.Sqlite);

public sealed class TeamAdminTestsOnPostgreSql() : TeamAdminTests(TestDatabase.PostgreSql);
