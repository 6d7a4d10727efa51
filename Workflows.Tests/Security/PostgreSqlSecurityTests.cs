using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Host.Security;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>Roles, keys, teams and the append-only audit trail on a real PostgreSQL server.</summary>
[Trait("Database", "PostgreSql")]
public sealed class PostgreSqlSecurityTests
{
    [Fact]
    public async Task KeysTeamsAndTheAuditTrail_WorkOnPostgreSql_AndTheTrailRefusesChanges()
    {
        using var factory = new ProcesFlowApiFactory(TestDatabase.PostgreSql);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";

        var admin = factory.CreateApiClient();
        var midt = (await (await admin.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            team = "KKR Midtjylland",
            input = new { title = "Midt", caseNumber = "SAG-1", parties = new[] { "aarhus" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;
        var (other, otherName) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Secretariat, "KKR Sjælland");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/instances/{midt}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostJsonAsync($"/api/instances/{midt}/parties/aarhus/deadline", new { deadline = new { date = "2019-11-07", at = "12:00" } })).StatusCode);
        var (reader, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Reader);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostJsonAsync($"/api/instances/{midt}/cancel", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJsonAsync($"/api/instances/{midt}/parties/aarhus/deadline", new { deadline = new { date = "2019-11-07", at = "12:00" } })).StatusCode);

        var deadline = await SecuritySupport.SingleAsync(factory, "ChangePartyDeadline");
        Assert.Equal(("api-key-1", "2019-10-31T11:00:00Z"), (deadline.Actor, deadline.Before));
        Assert.DoesNotContain(await SecuritySupport.AuditAsync(factory), a => a.Actor == $"api-key:{otherName}");

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Audit.ExecuteUpdateAsync(s => s.SetProperty(a => a.Actor, "someone else")));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Audit.ExecuteDeleteAsync());
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
    }
}
