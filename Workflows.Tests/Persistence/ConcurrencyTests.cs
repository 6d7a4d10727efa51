using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Definitions.Persistence;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Persistence;

/// <summary>
/// One writer per instance through the instance row's revision: a save from a stale copy is refused on both providers
/// and changes nothing, and two hosts on one database answering the same hearing at once lose no answer.
/// </summary>
public abstract class ConcurrencyTests(TestDatabase database) : IDisposable
{
    private readonly ProcesFlowApiFactory factory = Simulated(new ProcesFlowApiFactory(database));

    private static ProcesFlowApiFactory Simulated(ProcesFlowApiFactory host)
    {
        host.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        host.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
        return host;
    }

    public void Dispose() => factory.Dispose();

    private static async Task<Guid> StartHearingAsync(HttpClient client, JsonNode parties) =>
        (await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new JsonObject
            {
                ["title"] = "Rammeaftale",
                ["parties"] = parties,
                ["deadline"] = new JsonObject { ["date"] = "2019-10-31", ["at"] = "12:00" },
            },
        })).ReadAsync<InstanceStarted>()).InstanceId;

    [Fact]
    public async Task SaveFromAStaleCopy_IsRefusedAsAConflict_AndLeavesTheOtherWritersSave()
    {
        var id = await StartHearingAsync(factory.CreateApiClient(), new JsonArray("aarhus"));
        var store = factory.Services.GetRequiredService<IWorkflowInstanceStore>();
        var first = (await store.FindAsync(id, CancellationToken.None))!;
        var stale = (await store.FindAsync(id, CancellationToken.None))!;
        var revision = first.Revision;

        await store.SaveAsync(first, CancellationToken.None);
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.SaveAsync(stale, CancellationToken.None));

        Assert.Equal(id, conflict.InstanceId);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        Assert.Equal(revision + 1, await db.Instances.Where(i => i.Id == id).Select(i => i.Revision).SingleAsync());
        Assert.Equal(1, await db.Bookmarks.CountAsync(b => b.InstanceId == id && b.ResumeAt != null));
        Assert.Equal(1, await db.PartyTasks.CountAsync(t => t.InstanceId == id));
    }

    [Fact]
    public async Task TwoHostsOnOneDatabase_AnsweringOneHearingAtOnce_StoreEveryAnswerOnce()
    {
        var id = await StartHearingAsync(factory.CreateApiClient(), JsonValue.Create("sjaelland"));
        using var other = Simulated(ProcesFlowApiFactory.Reopen(database, factory.Folder));
        var hosts = new[] { factory.CreateApiClient(), other.CreateApiClient() };
        var parties = (await (await hosts[0].GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>()).Parties.Select(p => p.PartyId).ToList();
        Assert.Equal(17, parties.Count);

        // Each host has its own in-process lock, so only the revision keeps the two from overwriting each other.
        var answers = parties.Select((partyId, i) => hosts[i % 2].PostJsonAsync($"/api/instances/{id}/parties/{partyId}/answer", new { text = $"Svar fra {partyId}." }));
        foreach (var response in await Task.WhenAll(answers))
        {
            Assert.Equal("Resumed", (await response.ReadAsync<SignalResult>()).Outcome);
        }

        var after = await (await hosts[1].GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        Assert.All(after.Parties, p => Assert.Equal("Answered", p.Status));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        var stored = await db.Answers.Where(a => a.InstanceId == id).Join(db.PartyTasks, a => a.PartyTaskId, t => t.Id, (a, t) => t.PartyId).ToListAsync();
        Assert.Equal(parties.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }
}

[Trait("Database", "Sqlite")]
public sealed class ConcurrencyTestsOnSqlite() : ConcurrencyTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class ConcurrencyTestsOnPostgreSql() : ConcurrencyTests(TestDatabase.PostgreSql);
