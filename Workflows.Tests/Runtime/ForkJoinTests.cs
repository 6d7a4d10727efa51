using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Runtime;
using Workflows.Tests.Fakes;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Runtime;

/// <summary>
/// Fork and Join in every mode: three branches that each wait for their own signal (a, b, c), then a join,
/// then a SetVariable that records the join fired.
/// </summary>
public class ForkJoinTests
{
    private static async Task<(EngineHarness Harness, Guid InstanceId)> StartAsync(string joinProperties)
    {
        var harness = new EngineHarness();
        var activities = List(
            """{ "id": "start", "type": "Start" }""",
            """{ "id": "fork", "type": "Fork", "branches": ["A", "B", "C"] }""",
            """{ "id": "waitA", "type": "WaitForSignal", "signal": "a" }""",
            """{ "id": "waitB", "type": "WaitForSignal", "signal": "b" }""",
            """{ "id": "waitC", "type": "WaitForSignal", "signal": "c" }""",
            $$"""{ "id": "join", "type": "Join", {{joinProperties}} }""",
            """{ "id": "after", "type": "SetVariable", "variable": "joined", "expression": "variables.joined + 1" }""");
        var connections = List(
            C("start", "fork"), C("fork", "waitA", "A"), C("fork", "waitB", "B"), C("fork", "waitC", "C"),
            C("waitA", "join"), C("waitB", "join"), C("waitC", "join"), C("join", "after"));
        var id = await harness.PublishAsync(activities, connections, """ "variables": [ { "name": "joined", "value": 0 } ] """);
        var instance = await harness.StartAsync(id);
        Assert.Equal(WorkflowStatus.Suspended, instance.Status);
        Assert.Equal(3, instance.Bookmarks.Count);
        return (harness, instance.Id);
    }

    private static Task<SignalOutcome> Signal(EngineHarness harness, Guid id, string name) =>
        harness.Runtime.SignalAsync(id, name, null, "test", CancellationToken.None);

    [Fact]
    public async Task WaitAll_ContinuesOnlyWhenEveryBranchArrived()
    {
        var (harness, id) = await StartAsync("\"mode\": \"WaitAll\"");
        await Signal(harness, id, "a");
        await Signal(harness, id, "c");
        Assert.DoesNotContain("join", harness.Completed(id));
        Assert.Equal(WorkflowStatus.Suspended, (await harness.ReloadAsync(id)).Status);

        await Signal(harness, id, "b");
        var instance = await harness.ReloadAsync(id);
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.Equal(1, instance.State.Variables["joined"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task WaitAny_ContinuesOnFirstArrival_AndCancelsTheOtherBranches()
    {
        var (harness, id) = await StartAsync("\"mode\": \"WaitAny\"");
        await Signal(harness, id, "b");

        var instance = await harness.ReloadAsync(id);
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.Empty(instance.Bookmarks);
        Assert.Equal(1, instance.State.Variables["joined"]!.GetValue<decimal>());
        Assert.Contains(harness.Instances.Journal, j => j.InstanceId == id && j.Kind == JournalKind.ActivityCancelled && j.ActivityId == "waitA");

        // A late signal for a cancelled branch does not run the join a second time.
        Assert.Equal(SignalOutcome.InstanceEnded, await harness.Runtime.SignalAsync(id, "a", null, "test", CancellationToken.None));
    }

    [Fact]
    public async Task Quorum_ContinuesWhenCountReached_AndCancelsTheRest()
    {
        var (harness, id) = await StartAsync("\"mode\": \"Quorum\", \"count\": 2");
        await Signal(harness, id, "c");
        Assert.Equal(WorkflowStatus.Suspended, (await harness.ReloadAsync(id)).Status);
        await Signal(harness, id, "a");

        var instance = await harness.ReloadAsync(id);
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.Equal(1, instance.State.Variables["joined"]!.GetValue<decimal>());
        Assert.Empty(instance.Bookmarks);
    }

    [Fact]
    public async Task WaitAny_RaceBetweenReminderTimerAndAnswer_FiresOnce()
    {
        // The classic "reminder or answer" race: whichever comes first wins; the other is cancelled.
        var harness = new EngineHarness();
        var activities = List(
            """{ "id": "start", "type": "Start" }""",
            """{ "id": "fork", "type": "Fork", "branches": ["answer", "timeout"] }""",
            """{ "id": "answer", "type": "WaitForSignal", "signal": "answer" }""",
            """{ "id": "timeout", "type": "Delay", "duration": "P3D" }""",
            """{ "id": "join", "type": "Join", "mode": "WaitAny" }""",
            """{ "id": "count", "type": "SetVariable", "variable": "runs", "expression": "variables.runs + 1" }""");
        var connections = List(
            C("start", "fork"), C("fork", "answer", "answer"), C("fork", "timeout", "timeout"),
            C("answer", "join"), C("timeout", "join"), C("join", "count"));
        var id = await harness.PublishAsync(activities, connections, """ "variables": [ { "name": "runs", "value": 0 } ] """);
        var instance = await harness.StartAsync(id);

        await harness.AdvanceAsync(Duration.FromDays(4));
        await harness.Runtime.SignalAsync(instance.Id, "answer", null, "test", CancellationToken.None);

        var done = await harness.ReloadAsync(instance.Id);
        Assert.Equal(1, done.State.Variables["runs"]!.GetValue<decimal>());
        Assert.Equal(WorkflowStatus.Finished, done.Status);
    }

    [Fact]
    public async Task WaitAll_WhenABranchCanNeverArrive_FaultsWithAnIncidentInsteadOfHanging()
    {
        var harness = new EngineHarness();
        var activities = List(
            """{ "id": "start", "type": "Start" }""",
            """{ "id": "fork", "type": "Fork", "branches": ["A", "B"] }""",
            """{ "id": "check", "type": "If", "condition": "false" }""",
            """{ "id": "join", "type": "Join", "mode": "WaitAll" }""",
            """{ "id": "end", "type": "Finish" }""");
        var connections = List(
            C("start", "fork"), C("fork", "join", "A"), C("fork", "check", "B"), C("check", "join", "True"), C("join", "end"));
        var id = await harness.PublishAsync(activities, connections);

        var instance = await harness.StartAsync(id);

        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        var incident = Assert.Single(harness.Instances.Incidents);
        Assert.Contains("'join' waits for branches that can no longer arrive", incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fork_BranchesRunInDeclaredOrder()
    {
        var harness = new EngineHarness();
        var activities = List(
            """{ "id": "start", "type": "Start" }""",
            """{ "id": "fork", "type": "Fork", "branches": ["one", "two"] }""",
            """{ "id": "one", "type": "SetVariable", "variable": "order", "expression": "variables.order + '1'" }""",
            """{ "id": "two", "type": "SetVariable", "variable": "order", "expression": "variables.order + '2'" }""");
        var id = await harness.PublishAsync(activities, List(C("start", "fork"), C("fork", "one", "one"), C("fork", "two", "two")),
            """ "variables": [ { "name": "order", "value": "" } ] """);
        var instance = await harness.StartAsync(id, new JsonObject());
        Assert.Equal("12", instance.State.Variables["order"]!.GetValue<string>());
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
    }
}
