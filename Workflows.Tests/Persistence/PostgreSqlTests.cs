using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Host.Api;
using Workflows.Tests.Support;

namespace Workflows.Tests.Persistence;

/// <summary>
/// The scale-out provider on a real PostgreSQL server: its own migrations, NodaTime instants as timestamptz,
/// Hangfire's schema in the same database, and a whole hearing through the API.
/// </summary>
[Trait("Database", "PostgreSql")]
public sealed class PostgreSqlTests
{
    [Fact]
    public async Task StandardHearing_OnPostgreSql_RunsAnswersRemindsAndCloses()
    {
        using var factory = new ProcesFlowApiFactory(TestDatabase.PostgreSql);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
        var client = factory.CreateApiClient();

        var started = await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = JsonNode.Parse("""
                { "title": "Rammeaftale 2021-22", "parties": "sjaelland", "deadline": { "date": "2019-10-31", "at": "12:00" },
                  "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ] }
                """),
        })).ReadAsync<InstanceStarted>();
        var details = await (await client.GetAsync($"/api/instances/{started.InstanceId}")).ReadAsync<InstanceDetails>();
        Assert.Equal(17, details.Parties.Count);
        Assert.All(details.Parties, p => Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0), p.Deadline));

        await (await client.PostJsonAsync($"/api/instances/{started.InstanceId}/parties/holbaek/answer", new { text = "Holbæk tiltræder." })).ReadAsync<SignalResult>();
        await client.PostJsonAsync("/api/clock/advance", new { to = "2019-10-31T11:00:00Z" });

        var after = await (await client.GetAsync($"/api/instances/{started.InstanceId}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Finished", after.Status);
        Assert.Equal("Answered", after.Parties.Single(p => p.PartyId == "holbaek").Status);
        Assert.Equal(16, after.Parties.Count(p => p.Status == "Overdue"));
        var outstanding = await (await client.GetAsync("/api/outstanding?region=sjaelland")).ReadAsync<List<OutstandingTask>>();
        Assert.Equal(16, outstanding.Count);
        var journal = await (await client.GetAsync($"/api/instances/{started.InstanceId}/journal")).ReadAsync<List<JournalLine>>();
        Assert.Equal(2, journal.Count(j => j.Kind == "TimerFired"));
    }
}
