using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Api;

/// <summary>
/// The simulated clock over HTTP, on a real SQLite file: timers fire in due order, time survives a restart, and
/// weeks pass in well under a second (measured alone, so other tests do not load the machine meanwhile).
/// </summary>
[Collection(Persistence.RunsAlone.Name)]
public abstract class SimulatedClockTests(TestDatabase database) : IDisposable
{
    private readonly ProcesFlowApiFactory factory = Simulated(new ProcesFlowApiFactory(database), "2019-10-01T10:00");

    /// <summary>Six weekly reminders, then a final deadline; each reminder is a mail in the outbox.</summary>
    private static readonly string WeeklyReminders = $$"""
        {
          "definitionId": "weekly-reminders", "name": "Ugentlige påmindelser",
          "variables": [ { "name": "sent", "value": 0 } ],
          "root": { "activities": {{List(
              """{ "id": "start", "type": "Start" }""",
              """{ "id": "more", "type": "If", "condition": "variables.sent < 6" }""",
              """{ "id": "week", "type": "WaitUntil", "deadline": { "days": 7, "at": "09:00" } }""",
              """{ "id": "mail", "type": "SendEmail", "to": "postkasse@skive.kommune.example", "subject": "Påmindelse {{ variables.sent }}", "body": "Husk høringssvaret." }""",
              """{ "id": "count", "type": "SetVariable", "variable": "sent", "expression": "variables.sent + 1" }""",
              """{ "id": "deadline", "type": "WaitUntil", "deadline": { "date": "2019-11-15", "at": "12:00" } }""")}},
            "connections": {{List(C("start", "more"), C("more", "week", "True"), C("week", "mail"), C("mail", "count"), C("count", "more"), C("more", "deadline", "False"))}} }
        }
        """;

    [Fact]
    public async Task Clock_StartsAtConfiguredLocalTime_InCopenhagen()
    {
        var clock = await (await factory.CreateApiClient().GetAsync("/api/clock")).ReadAsync<ClockReading>();
        Assert.Equal(Instant.FromUtc(2019, 10, 1, 8, 0), clock.Now);
    }

    [Fact]
    public async Task Advance_SixWeeksOfReminders_FireInDueOrder()
    {
        var client = factory.CreateApiClient();
        await PublishAsync(client, WeeklyReminders, "weekly-reminders");
        var instance = await (await client.PostJsonAsync("/api/instances", new { definitionId = "weekly-reminders" })).ReadAsync<InstanceStarted>();

        var after = await (await client.PostJsonAsync("/api/clock/advance", new { by = "P7W" })).ReadAsync<ClockReading>();

        Assert.Equal(Instant.FromUtc(2019, 11, 19, 9, 0), after.Now);
        var details = await (await client.GetAsync($"/api/instances/{instance.InstanceId}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Finished", details.Status);
        Assert.Equal(6, details.Variables["sent"]!.GetValue<decimal>());

        var journal = await (await client.GetAsync($"/api/instances/{instance.InstanceId}/journal")).ReadAsync<List<JournalLine>>();
        var fired = journal.Where(j => j.Kind == "TimerFired").Select(j => j.At).ToList();
        // Weekly at 09:00 local (08:00Z before the DST change on 27 October, 08:00Z after is 09:00 CET), then the deadline.
        Assert.Equal(
            [
                Instant.FromUtc(2019, 10, 8, 7, 0), Instant.FromUtc(2019, 10, 15, 7, 0), Instant.FromUtc(2019, 10, 22, 7, 0),
                Instant.FromUtc(2019, 10, 29, 8, 0), Instant.FromUtc(2019, 11, 5, 8, 0), Instant.FromUtc(2019, 11, 12, 8, 0),
                Instant.FromUtc(2019, 11, 15, 11, 0),
            ],
            fired);
        Assert.Equal(6, journal.Count(j => j.Kind == "MailQueued"));
    }

    [Fact]
    public async Task SixWeekHearing_WithReminders_RunsThroughTheSimulatedClock()
    {
        var client = factory.CreateApiClient();
        var started = await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new
            {
                title = "Praksisplan 2019",
                parties = "hovedstaden",
                deadline = new { date = "2019-11-08", at = "12:00" },
                reminders = new object[] { new { workingDaysBefore = 10, at = "09:00" }, new { workingDaysBefore = 2, at = "09:00" } },
            },
        })).ReadAsync<InstanceStarted>();
        await client.PostJsonAsync($"/api/instances/{started.InstanceId}/parties/bornholm/answer", new { noComments = true });

        await (await client.PostJsonAsync("/api/clock/advance", new { by = "P6W" })).ReadAsync<ClockReading>();

        var details = await (await client.GetAsync($"/api/instances/{started.InstanceId}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Finished", details.Status);
        Assert.Equal(28, details.Parties.Count(p => p.Status == "Overdue"));
        var journal = await (await client.GetAsync($"/api/instances/{started.InstanceId}/journal")).ReadAsync<List<JournalLine>>();
        // Two reminder rounds to the 28 who never answered (not Bornholm), then the deadline.
        Assert.Equal(3, journal.Count(j => j.Kind == "TimerFired"));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        Assert.Equal(28 * 2, await db.Outbox.CountAsync(o => o.InstanceId == started.InstanceId && o.Template == "reminder"));
    }

    [Fact]
    public async Task Advance_BackwardsOrBadInput_Is400_AndMovesNothing()
    {
        var client = factory.CreateApiClient();
        var back = await client.PostJsonAsync("/api/clock/advance", new { to = "2019-09-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
        Assert.Contains("cannot go back", await back.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync("/api/clock/advance", new { by = "three days" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync("/api/clock/advance", new { by = "P1D", to = "2019-10-02T00:00:00Z" })).StatusCode);

        var clock = await (await client.GetAsync("/api/clock")).ReadAsync<ClockReading>();
        Assert.Equal(Instant.FromUtc(2019, 10, 1, 8, 0), clock.Now);
    }

    [Fact]
    public async Task Restart_ContinuesFromTheLastSimulatedInstant_NotTheConfiguredStart()
    {
        var client = factory.CreateApiClient();
        await client.PostJsonAsync("/api/clock/advance", new { to = "2019-10-31T11:00:00Z" });

        using var restarted = Simulated(ProcesFlowApiFactory.Reopen(database, factory.Folder), "2030-01-01T00:00:00Z");
        var clock = await (await restarted.CreateApiClient().GetAsync("/api/clock")).ReadAsync<ClockReading>();
        Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0), clock.Now);
    }

    public void Dispose() => factory.Dispose();

    private static ProcesFlowApiFactory Simulated(ProcesFlowApiFactory host, string start)
    {
        host.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        host.Settings["ProcesFlow:Clock:Start"] = start;
        return host;
    }

    private static async Task PublishAsync(HttpClient client, string json, string id)
    {
        await (await client.PostAsync("/api/definitions", new StringContent(json, Encoding.UTF8, "application/json"))).ReadAsync<DefinitionSaved>();
        await (await client.PostAsync($"/api/definitions/{id}/publish", null)).ReadAsync<DefinitionSaved>();
    }
}

[Collection(Persistence.RunsAlone.Name)]
[Trait("Database", "Sqlite")]
public sealed class SimulatedClockTestsOnSqlite() : SimulatedClockTests(TestDatabase.Sqlite);

[Collection(Persistence.RunsAlone.Name)]
[Trait("Database", "PostgreSql")]
public sealed class SimulatedClockTestsOnPostgreSql() : SimulatedClockTests(TestDatabase.PostgreSql);
