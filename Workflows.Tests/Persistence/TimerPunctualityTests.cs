using System.Diagnostics;
using System.Text;
using NodaTime;
using Workflows.Host.Api;
using Workflows.Tests.Support;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Persistence;

/// <summary>
/// Timers on the real clock go through Hangfire: one fires once, and within two seconds of its due time "under
/// normal load". Measured on the host as its own process (Hangfire keeps some settings process-wide, and this
/// test process hosts many hosts), and alone, not beside the tests that load the machine.
/// </summary>
[Collection(RunsAlone.Name)]
public abstract class TimerPunctualityTests(TestDatabase database) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("procesflow-timer-").FullName;

    [Fact]
    public async Task Delay_OnTheSystemClock_FiresOnceWithinTwoSecondsOfItsDueTime()
    {
        await using var host = await HostProcess.StartAsync(folder, TestDatabases.Settings(database, folder, new()
        {
            ["ProcesFlow:ApiKeys:0"] = ProcesFlowApiFactory.ApiKey,
            ["ProcesFlow:DefinitionsFolder"] = Path.Combine(folder, "no-definitions"),
            ["ProcesFlow:Mail:PickupDirectory"] = Path.Combine(folder, "mail-outbox"),
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ProcesFlowApiFactory.ApiKey);
        var definition = $$"""
            { "definitionId": "punctual", "name": "Præcis",
              "root": { "activities": {{List("""{ "id": "start", "type": "Start" }""", """{ "id": "wait", "type": "Delay", "duration": "PT2S" }""")}},
                        "connections": {{List(C("start", "wait"))}} } }
            """;
        await (await client.PostAsync("/api/definitions", new StringContent(definition, Encoding.UTF8, "application/json"))).ReadAsync<DefinitionSaved>();
        await (await client.PostAsync("/api/definitions/punctual/publish", null)).ReadAsync<DefinitionSaved>();
        var id = (await (await client.PostJsonAsync("/api/instances", new { definitionId = "punctual" })).ReadAsync<InstanceStarted>()).InstanceId;
        var due = Assert.Single((await (await client.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>()).WaitingFor).ResumeAt!.Value;

        var elapsed = Stopwatch.StartNew();
        InstanceDetails details;
        do
        {
            await Task.Delay(100);
            details = await (await client.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        }
        while (details.Status != "Finished" && elapsed.Elapsed < TimeSpan.FromSeconds(15));

        Assert.True(details.Status == "Finished", $"The timer did not fire within 15 s.\n{host.Output}");
        var journal = await (await client.GetAsync($"/api/instances/{id}/journal")).ReadAsync<List<JournalLine>>();
        var fired = Assert.Single(journal, j => j.Kind == "TimerFired");
        Assert.InRange(fired.At - due, Duration.Zero, Duration.FromSeconds(2));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestDatabases.Drop(database, folder);
        Directory.Delete(folder, recursive: true);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Timing";
}

[Collection(RunsAlone.Name)]
[Trait("Database", "Sqlite")]
public sealed class TimerPunctualityTestsOnSqlite() : TimerPunctualityTests(TestDatabase.Sqlite);

[Collection(RunsAlone.Name)]
[Trait("Database", "PostgreSql")]
public sealed class TimerPunctualityTestsOnPostgreSql() : TimerPunctualityTests(TestDatabase.PostgreSql);
