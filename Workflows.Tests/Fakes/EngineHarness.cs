using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Testing;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Persistence.InMemory;
using Workflows.Definitions.Runtime;

namespace Workflows.Tests.Fakes;

/// <summary>The engine wired with in-memory stores and a fake clock, for runtime and activity tests.</summary>
public sealed class EngineHarness
{
    public static readonly DateTimeZone Copenhagen = DateTimeZoneProviders.Tzdb["Europe/Copenhagen"];

    public EngineHarness(Instant? start = null, RetryPolicy? retryPolicy = null, ActivityRegistry? registry = null)
    {
        Clock = new FakeClock(start ?? Instant.FromUtc(2019, 10, 1, 8, 0));
        var parser = new DefinitionParser(registry ?? ActivityRegistry.Default);
        Catalog = new DefinitionCatalog(Definitions, parser);
        Manager = new DefinitionManager(Definitions, parser, Clock);
        Runner = new WorkflowRunner(Clock, Calendar, Parties, retryPolicy ?? RetryPolicy.None);
        Runtime = new WorkflowRuntime(Definitions, Instances, Catalog, Runner, Locks, Clock, Parties, Calendar);
    }

    public FakeClock Clock { get; }

    public DeadlineCalculator Calendar { get; } = new(new WorkingDayCalendar(), Copenhagen);

    public PartyDirectory Parties { get; } = PartyDirectory.LoadReference();

    public InMemoryWorkflowDefinitionStore Definitions { get; } = new();

    public InMemoryWorkflowInstanceStore Instances { get; } = new();

    public InstanceLocks Locks { get; } = new();

    public DefinitionCatalog Catalog { get; }

    public DefinitionManager Manager { get; }

    public WorkflowRunner Runner { get; }

    public WorkflowRuntime Runtime { get; }

    /// <summary>Publishes a flowchart built from activities and connections given as JSON.</summary>
    public async Task<string> PublishAsync(string activitiesJson, string connectionsJson, string? extra = null, string id = "test-flow")
    {
        var json = $$"""
            {
              "definitionId": "{{id}}",
              "name": "Testforløb",
              {{(extra is null ? "" : extra + ",")}}
              "root": { "type": "Flowchart", "activities": {{activitiesJson}}, "connections": {{connectionsJson}} }
            }
            """;
        await Manager.SaveAndPublishAsync(JsonNode.Parse(json)!, CancellationToken.None);
        return id;
    }

    public Task<WorkflowInstance> StartAsync(string definitionId, JsonObject? input = null) =>
        Runtime.StartAsync(definitionId, input, "test", CancellationToken.None);

    public async Task<WorkflowInstance> ReloadAsync(Guid instanceId) =>
        (await Instances.FindAsync(instanceId, CancellationToken.None))!;

    /// <summary>Moves the fake clock and fires every timer that became due, timer by timer, in due order.</summary>
    public async Task AdvanceAsync(Duration by)
    {
        var target = Clock.GetCurrentInstant() + by;
        while (await Instances.FindNextTimerAsync(CancellationToken.None) is { } next && next <= target)
        {
            if (next > Clock.GetCurrentInstant())
            {
                Clock.Reset(next);
            }
            await Runtime.FireDueTimersAsync(CancellationToken.None);
        }
        Clock.Reset(target);
    }

    /// <summary>The ids of activities that completed, in order, from the journal.</summary>
    public IReadOnlyList<string> Completed(Guid instanceId) =>
        Instances.Journal.Where(j => j.InstanceId == instanceId && j.Kind == JournalKind.ActivityCompleted).Select(j => j.ActivityId!).ToList();
}
