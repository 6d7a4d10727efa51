using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Hearings;

/// <summary>
/// A hearing's timer is scheduled once: answers resume the hearing, but its next timer (the same instant) keeps its
/// bookmark id and so its one Hangfire job. Before, every answer scheduled one more job for the same instant.
/// Real host, SQLite file, Hangfire on the system clock.
/// </summary>
public abstract class TimerJobCountTests(TestDatabase database) : IDisposable
{
    private readonly ProcesFlowApiFactory factory = new(database);

    [Fact]
    public async Task NinetyEightPartyHearing_NinetyEightAnswers_StillOneScheduledTimerJob()
    {
        var api = factory.CreateApiClient();
        var id = await HearingFlows.PublishAndStartAsync(api, "alle-98", HearingFlows.OneHearing("alle-98",
            """ "parties": "alle-kommuner", "deadline": { "workingDays": 15, "at": "12:00" }, "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ] """));

        var parties = (await (await api.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>()).Parties;
        Assert.Equal(98, parties.Count);
        var timer = await TimerBookmarkAsync(id);
        Assert.Equal([timer], ScheduledTimerJobs());

        foreach (var party in parties.Take(97))
        {
            await (await api.PostJsonAsync($"/api/instances/{id}/parties/{party.PartyId}/answer", new { noComments = true })).ReadAsync<SignalResult>();
        }

        // 97 answers later the hearing waits for the same instant with the same bookmark, and Hangfire holds one job for it.
        Assert.Equal(timer, await TimerBookmarkAsync(id));
        Assert.Equal([timer], ScheduledTimerJobs());

        await (await api.PostJsonAsync($"/api/instances/{id}/parties/{parties[97].PartyId}/answer", new { noComments = true })).ReadAsync<SignalResult>();
        var finished = await (await api.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Finished", finished.Status);
        Assert.Equal(98, finished.Parties.Count(p => p.Status == "NoComments"));
        Assert.Equal([timer], ScheduledTimerJobs());
    }

    private async Task<Guid> TimerBookmarkAsync(Guid instanceId)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        return await db.Bookmarks.Where(b => b.InstanceId == instanceId && b.ResumeAt != null).Select(b => b.Id).SingleAsync();
    }

    /// <summary>The bookmark ids of the timer jobs Hangfire has scheduled (the job's second argument).</summary>
    private List<Guid> ScheduledTimerJobs()
    {
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return monitoring.ScheduledJobs(0, 1000)
            .Where(j => j.Value.Job.Method.Name == "FireTimerAsync")
            .Select(j => (Guid)j.Value.Job.Args[1])
            .ToList();
    }

    public void Dispose() => factory.Dispose();
}

[Trait("Database", "Sqlite")]
public sealed class TimerJobCountTestsOnSqlite() : TimerJobCountTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class TimerJobCountTestsOnPostgreSql() : TimerJobCountTests(TestDatabase.PostgreSql);
