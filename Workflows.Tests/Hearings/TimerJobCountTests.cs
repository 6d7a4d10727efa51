using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Hearings;

/// <summary>
/// A hearing's timer is scheduled once: answers resume the hearing, but its next timer (the same instant) keeps its
/// bookmark id, so no new timer and no new Hangfire job. Before, every answer scheduled one more job for the same instant.
/// Hangfire wakes the engine by the second a timer falls due in; several hearings' timers due in one second share a job.
/// Real host, SQLite file or PostgreSQL, Hangfire on the system clock.
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
        Assert.Equal([WakeUpSecond(timer.Due)], ScheduledWakeUps());

        foreach (var party in parties.Take(97))
        {
            await (await api.PostJsonAsync($"/api/instances/{id}/parties/{party.PartyId}/answer", new { noComments = true })).ReadAsync<SignalResult>();
        }

        // 97 answers later the hearing waits for the same instant with the same bookmark, and Hangfire holds one job for it.
        Assert.Equal(timer, await TimerBookmarkAsync(id));
        Assert.Equal([WakeUpSecond(timer.Due)], ScheduledWakeUps());

        await (await api.PostJsonAsync($"/api/instances/{id}/parties/{parties[97].PartyId}/answer", new { noComments = true })).ReadAsync<SignalResult>();
        var finished = await (await api.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Finished", finished.Status);
        Assert.Equal(98, finished.Parties.Count(p => p.Status == "NoComments"));
        Assert.Equal([WakeUpSecond(timer.Due)], ScheduledWakeUps());
    }

    [Fact]
    public async Task FiveHearingsWithTheSameDeadline_OneWakeUpJob()
    {
        var api = factory.CreateApiClient();
        var hearing = HearingFlows.OneHearing("samme-frist",
            """ "parties": "midtjylland", "deadline": { "date": "2030-01-31", "at": "12:00" } """);
        var ids = new List<Guid> { await HearingFlows.PublishAndStartAsync(api, "samme-frist", hearing) };
        for (var i = 1; i < 5; i++)
        {
            ids.Add((await (await api.PostJsonAsync("/api/instances", new { definitionId = "samme-frist" })).ReadAsync<InstanceStarted>()).InstanceId);
        }

        var timers = new List<(Guid Id, NodaTime.Instant Due)>();
        foreach (var id in ids)
        {
            timers.Add(await TimerBookmarkAsync(id));
        }
        Assert.Equal(5, timers.Select(t => t.Id).Distinct().Count());
        Assert.Single(timers.Select(t => t.Due).Distinct());
        Assert.Equal([WakeUpSecond(timers[0].Due)], ScheduledWakeUps());
    }

    private async Task<(Guid Id, NodaTime.Instant Due)> TimerBookmarkAsync(Guid instanceId)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        var timer = await db.Bookmarks.Where(b => b.InstanceId == instanceId && b.ResumeAt != null).Select(b => new { b.Id, b.ResumeAt }).SingleAsync();
        return (timer.Id, timer.ResumeAt!.Value);
    }

    /// <summary>The second a timer due at <paramref name="due"/> wakes the engine in (rounded up), as Unix milliseconds.</summary>
    private static long WakeUpSecond(NodaTime.Instant due) => (due.ToUnixTimeMilliseconds() + 999) / 1000 * 1000;

    /// <summary>The due seconds of the wake-up jobs Hangfire has scheduled (the job's argument).</summary>
    private List<long> ScheduledWakeUps()
    {
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return monitoring.ScheduledJobs(0, 1000)
            .Where(j => j.Value.Job.Method.Name == "FireDueTimersAsync")
            .Select(j => (long)j.Value.Job.Args[0])
            .ToList();
    }

    public void Dispose() => factory.Dispose();
}

[Trait("Database", "Sqlite")]
public sealed class TimerJobCountTestsOnSqlite() : TimerJobCountTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class TimerJobCountTestsOnPostgreSql() : TimerJobCountTests(TestDatabase.PostgreSql);
