using System.Text;
using System.Diagnostics;
using Workflows.Host.Api;
using Workflows.Tests.Support;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Persistence;

/// <summary>
/// The durability promise, with real processes: a host is killed while an instance waits on a timer; a new
/// process on the same SQLite file fires that timer and carries the instance on to its end.
/// </summary>
public abstract class HostRestartTests(TestDatabase database) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("procesflow-restart-").FullName;

    private Dictionary<string, string> Settings => TestDatabases.Settings(database, folder, new()
    {
        ["ProcesFlow:ApiKeys:0"] = ProcesFlowApiFactory.ApiKey,
        ["ProcesFlow:DefinitionsFolder"] = Path.Combine(folder, "no-definitions"),
        ["ProcesFlow:Mail:PickupDirectory"] = Path.Combine(folder, "mail-outbox"),
        ["Logging:LogLevel:Default"] = "Warning",
    });

    [Fact]
    public async Task KilledHost_NewProcessOnSameDatabase_FiresPendingTimerAndContinues()
    {
        var definition = $$"""
            {
              "definitionId": "restart", "name": "Genstart",
              "variables": [ { "name": "step", "value": 0 } ],
              "root": { "activities": {{List(
                  """{ "id": "start", "type": "Start" }""",
                  """{ "id": "first", "type": "WaitForSignal", "signal": "first" }""",
                  """{ "id": "one", "type": "SetVariable", "variable": "step", "value": 1 }""",
                  """{ "id": "pause", "type": "Delay", "duration": "PT6S" }""",
                  """{ "id": "two", "type": "SetVariable", "variable": "step", "value": 2 }""",
                  """{ "id": "second", "type": "WaitForSignal", "signal": "second" }""",
                  """{ "id": "three", "type": "SetVariable", "variable": "step", "value": 3 }""")}},
                "connections": {{List(C("start", "first"), C("first", "one"), C("one", "pause"), C("pause", "two"), C("two", "second"), C("second", "three"))}} }
            }
            """;

        Guid instanceId;
        await using (var first = await HostProcess.StartAsync(folder, Settings))
        {
            using var client = Client(first);
            await (await client.PostAsync("/api/definitions", new StringContent(definition, Encoding.UTF8, "application/json"))).ReadAsync<DefinitionSaved>();
            await (await client.PostAsync("/api/definitions/restart/publish", null)).ReadAsync<DefinitionSaved>();
            instanceId = (await (await client.PostJsonAsync("/api/instances", new { definitionId = "restart" })).ReadAsync<InstanceStarted>()).InstanceId;
            await (await client.PostAsync($"/api/instances/{instanceId}/signals/first", null)).ReadAsync<SignalResult>();

            var waiting = await (await client.GetAsync($"/api/instances/{instanceId}")).ReadAsync<InstanceDetails>();
            Assert.Equal("timer", Assert.Single(waiting.WaitingFor).Kind);
            await first.KillAsync();
        }

        await using var second = await HostProcess.StartAsync(folder, Settings);
        using (var client = Client(second))
        {
            // The timer falls due 6 s after the signal: long enough that even on a loaded machine the first process is
            // killed before it fires, so the new process must fire it on its own.
            var details = await PollAsync(client, instanceId, d => d.WaitingFor.Any(w => w.Name == "second"), TimeSpan.FromSeconds(40), second);
            Assert.Equal(2, details.Variables["step"]!.GetValue<decimal>());

            await (await client.PostAsync($"/api/instances/{instanceId}/signals/second", null)).ReadAsync<SignalResult>();
            var finished = await (await client.GetAsync($"/api/instances/{instanceId}")).ReadAsync<InstanceDetails>();
            Assert.Equal("Finished", finished.Status);
            Assert.Equal(3, finished.Variables["step"]!.GetValue<decimal>());

            var journal = await (await client.GetAsync($"/api/instances/{instanceId}/journal")).ReadAsync<List<JournalLine>>();
            Assert.Single(journal, j => j.Kind == "TimerFired");
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestDatabases.Drop(database, folder);
        Directory.Delete(folder, recursive: true);
    }

    private static HttpClient Client(HostProcess host)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ProcesFlowApiFactory.ApiKey);
        return client;
    }

    private static async Task<InstanceDetails> PollAsync(HttpClient client, Guid id, Func<InstanceDetails, bool> done, TimeSpan timeout, HostProcess host)
    {
        var elapsed = Stopwatch.StartNew();
        InstanceDetails details;
        do
        {
            details = await (await client.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
            if (done(details))
            {
                return details;
            }
            await Task.Delay(200);
        }
        while (elapsed.Elapsed < timeout);
        Assert.Fail($"Instance {id} did not get there in {timeout}; it is {details.Status}, waiting for {string.Join(", ", details.WaitingFor.Select(w => w.Name))}.\n{host.Output}");
        return details;
    }
}

[Trait("Database", "Sqlite")]
public sealed class HostRestartTestsOnSqlite() : HostRestartTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class HostRestartTestsOnPostgreSql() : HostRestartTests(TestDatabase.PostgreSql);
