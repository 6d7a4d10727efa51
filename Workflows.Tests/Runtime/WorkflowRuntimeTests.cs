using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Runtime;
using Workflows.Tests.Fakes;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Runtime;

public class WorkflowRuntimeTests
{
    private static async Task<string> PublishCounterAsync(EngineHarness harness) =>
        await harness.PublishAsync(
            List(
                """{ "id": "start", "type": "Start" }""",
                """{ "id": "wait", "type": "WaitForSignal", "signal": "answer", "resultVariable": "last" }""",
                """{ "id": "count", "type": "SetVariable", "variable": "answers", "expression": "variables.answers + 1" }"""),
            List(C("start", "wait"), C("wait", "count"), C("count", "wait")),
            """ "variables": [ { "name": "answers", "value": 0 }, { "name": "last" } ] """);

    [Fact]
    public async Task Start_SavesInstanceBeforeItsFirstStepRuns()
    {
        var harness = new EngineHarness();
        var id = await PublishCounterAsync(harness);
        var statusesSaved = new List<WorkflowStatus>();
        harness.Instances.BeforeSave = instance =>
        {
            statusesSaved.Add(instance.Status);
            return Task.CompletedTask;
        };

        await harness.StartAsync(id);

        Assert.Equal([WorkflowStatus.Running, WorkflowStatus.Suspended], statusesSaved);
    }

    [Fact]
    public async Task Start_InvalidInput_IsRejectedWithPathsAndNothingIsSaved()
    {
        var harness = new EngineHarness();
        var id = await harness.PublishAsync(List("""{ "id": "start", "type": "Start" }"""), "[]",
            """ "inputs": [ { "name": "title", "type": "string", "required": true }, { "name": "count", "type": "integer" } ] """);

        var exception = await Assert.ThrowsAsync<ValidationException>(() => harness.StartAsync(id, new JsonObject { ["count"] = "many", ["extra"] = 1 }));

        Assert.Contains(exception.Errors, e => e.Path == "$.input.title" && e.Message == "is required");
        Assert.Contains(exception.Errors, e => e.Path == "$.input.count" && e.Message == "must be a whole number");
        Assert.Contains(exception.Errors, e => e.Path == "$.input.extra");
        Assert.Empty(harness.Instances.Journal);
    }

    private static async Task<string> PublishHearingAsync(EngineHarness harness, string deadlineDefault = "") =>
        await harness.PublishAsync(
            List(
                """{ "id": "start", "type": "Start" }""",
                """{ "id": "hearing", "type": "Hearing", "title": "Høring", "parties": { "expression": "input.parties" }, "deadline": { "expression": "input.deadline" } }"""),
            List(C("start", "hearing")),
            $$""" "inputs": [ { "name": "parties", "type": "parties", "required": true }, { "name": "deadline", "type": "deadline", "required": true{{deadlineDefault}} } ] """);

    [Fact]
    public async Task Start_TypedInputsInvalid_IsRejectedWithPathsAndNothingIsSavedOrSent()
    {
        var harness = new EngineHarness();
        var id = await PublishHearingAsync(harness);
        var input = new JsonObject { ["parties"] = new JsonArray("aarhus", "nope"), ["deadline"] = new JsonObject { ["date"] = "2019-10-31", ["at"] = "12.00" } };

        var exception = await Assert.ThrowsAsync<ValidationException>(() => harness.StartAsync(id, input));

        Assert.Equal(
            [
                ("$.input.parties[1]", "Unknown party, group or region 'nope'."),
                ("$.input.deadline.at", "Skal være et klokkeslæt \"HH:mm\" (24 timer), fx \"12:00\"."),
            ],
            exception.Errors.Select(e => (e.Path, e.Message)));
        Assert.Empty(harness.Instances.Journal);
        Assert.Empty(harness.Instances.Outbox);
    }

    [Fact]
    public async Task Start_DefaultDeadlineHasPassed_IsRejectedAndSaysItIsTheDefault()
    {
        var harness = new EngineHarness(Instant.FromUtc(2019, 11, 1, 8, 0));
        var id = await PublishHearingAsync(harness, """, "default": { "date": "2019-10-31", "at": "12:00" }""");

        var exception = await Assert.ThrowsAsync<ValidationException>(() => harness.StartAsync(id, new JsonObject { ["parties"] = "midtjylland" }));

        var error = Assert.Single(exception.Errors);
        Assert.Equal(
            ("$.input.deadline", "torsdag den 31. oktober 2019 kl. 12.00 has already passed (the definition's default, used because the input was not given)"),
            (error.Path, error.Message));
        Assert.Empty(harness.Instances.Outbox);
    }

    [Fact]
    public async Task Start_TypedInputsValid_StartsTheHearingWithTheResolvedParties()
    {
        var harness = new EngineHarness();
        var id = await PublishHearingAsync(harness);

        var instance = await harness.StartAsync(id, new JsonObject { ["parties"] = new JsonArray("aarhus", "skive"), ["deadline"] = new JsonObject { ["workingDays"] = 10, ["at"] = "12:00" } });

        Assert.Equal(WorkflowStatus.Suspended, instance.Status);
        Assert.Equal(["aarhus", "skive"], instance.PartyTasks.Select(t => t.PartyId).Order(StringComparer.Ordinal));
        Assert.Equal(2, harness.Instances.Outbox.Count);
    }

    [Fact]
    public async Task Signal_BeforeAnyoneWaits_IsParkedAndConsumedByTheWait()
    {
        var harness = new EngineHarness();
        var id = await harness.PublishAsync(
            List(
                """{ "id": "start", "type": "Start" }""",
                """{ "id": "first", "type": "WaitForSignal", "signal": "first" }""",
                """{ "id": "second", "type": "WaitForSignal", "signal": "second", "resultVariable": "payload" }"""),
            List(C("start", "first"), C("first", "second")),
            """ "variables": [ { "name": "payload" } ] """);
        var instance = await harness.StartAsync(id);

        // "second" arrives while the instance still waits for "first": it must not be lost.
        Assert.Equal(SignalOutcome.Parked, await harness.Runtime.SignalAsync(instance.Id, "second", JsonNode.Parse("""{ "from": "aarhus" }"""), "test", CancellationToken.None));
        Assert.Equal(SignalOutcome.Resumed, await harness.Runtime.SignalAsync(instance.Id, "first", null, "test", CancellationToken.None));

        var done = await harness.ReloadAsync(instance.Id);
        Assert.Equal(WorkflowStatus.Finished, done.Status);
        Assert.Equal("aarhus", done.State.Variables["payload"]!["from"]!.GetValue<string>());
        Assert.Empty(done.State.ParkedSignals);
    }

    [Fact]
    public async Task Signals_RacingOnOneInstance_AreAllApplied()
    {
        var harness = new EngineHarness();
        var id = await PublishCounterAsync(harness);
        var instance = await harness.StartAsync(id);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            harness.Runtime.SignalAsync(instance.Id, "answer", JsonValue.Create(i), "test", CancellationToken.None))));

        var after = await harness.ReloadAsync(instance.Id);
        Assert.Equal(20, after.State.Variables["answers"]!.GetValue<decimal>());
        Assert.Equal(0, harness.Locks.Count);
    }

    [Fact]
    public async Task Signals_RacingAcrossTwoRuntimes_ConflictIsRetriedAndBothApplied()
    {
        // Two runtimes (two nodes) share one store; only the store's revision check keeps them honest.
        var harness = new EngineHarness();
        var id = await PublishCounterAsync(harness);
        var instance = await harness.StartAsync(id);
        var otherNode = new WorkflowRuntime(harness.Definitions, harness.Instances, harness.Catalog, harness.Runner, new InstanceLocks(), harness.Clock, harness.Parties, harness.Calendar);

        var bothLoaded = new TaskCompletionSource();
        var waiting = 0;
        harness.Instances.BeforeSave = async _ =>
        {
            // Hold the first save of each node until both have loaded the same revision.
            if (Interlocked.Increment(ref waiting) == 2)
            {
                bothLoaded.SetResult();
            }
            await bothLoaded.Task.WaitAsync(TimeSpan.FromSeconds(5));
        };

        await Task.WhenAll(
            Task.Run(() => harness.Runtime.SignalAsync(instance.Id, "answer", null, "node-1", CancellationToken.None)),
            Task.Run(() => otherNode.SignalAsync(instance.Id, "answer", null, "node-2", CancellationToken.None)));

        var after = await harness.ReloadAsync(instance.Id);
        Assert.Equal(2, after.State.Variables["answers"]!.GetValue<decimal>());
        Assert.True(waiting >= 3, "one save must have conflicted and been retried");
    }

    [Fact]
    public async Task Timer_FiresOnce_EvenWhenAskedTwice()
    {
        var harness = new EngineHarness();
        var id = await harness.PublishAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "wait", "type": "Delay", "duration": "PT1H" }""",
                 """{ "id": "count", "type": "SetVariable", "variable": "fired", "expression": "variables.fired + 1" }"""),
            List(C("start", "wait"), C("wait", "count")),
            """ "variables": [ { "name": "fired", "value": 0 } ] """);
        var instance = await harness.StartAsync(id);
        var bookmark = Assert.Single(instance.Bookmarks);

        Assert.False(await harness.Runtime.FireTimerAsync(instance.Id, bookmark.Id, CancellationToken.None));
        harness.Clock.Advance(Duration.FromHours(1));
        var results = await Task.WhenAll(
            harness.Runtime.FireTimerAsync(instance.Id, bookmark.Id, CancellationToken.None),
            harness.Runtime.FireTimerAsync(instance.Id, bookmark.Id, CancellationToken.None));

        Assert.Equal(1, results.Count(fired => fired));
        Assert.Equal(1, (await harness.ReloadAsync(instance.Id)).State.Variables["fired"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task FailingActivity_IsRetriedByPolicy_ThenFaultsWithIncidents_AndOperatorRetryContinues()
    {
        var flaky = new FlakyActivity(failures: 3);
        var registry = new ActivityRegistry([.. ActivityRegistry.Core, flaky.Descriptor]);
        var harness = new EngineHarness(retryPolicy: new RetryPolicy([Duration.FromSeconds(10), Duration.FromMinutes(1)]), registry: registry);
        var id = await harness.PublishAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "flaky", "type": "Flaky" }""", """{ "id": "end", "type": "Finish" }"""),
            List(C("start", "flaky"), C("flaky", "end")));

        var instance = await harness.StartAsync(id);
        Assert.Equal(WorkflowStatus.Suspended, instance.Status);
        Assert.Equal(WorkflowRunner.RetryBookmark, Assert.Single(instance.Bookmarks).Name);

        await harness.AdvanceAsync(Duration.FromMinutes(5));

        var faulted = await harness.ReloadAsync(instance.Id);
        Assert.Equal(WorkflowStatus.Faulted, faulted.Status);
        Assert.Equal([1, 2, 3], harness.Instances.Incidents.Select(i => i.Attempt));
        Assert.All(harness.Instances.Incidents, i => Assert.Contains("InvalidOperationException: SMTP nede", i.Message, StringComparison.Ordinal));

        Assert.True(await harness.Runtime.RetryAsync(instance.Id, "operator@kkr.example", CancellationToken.None));
        var finished = await harness.ReloadAsync(instance.Id);
        Assert.Equal(WorkflowStatus.Finished, finished.Status);
        Assert.Contains(harness.Instances.Journal, j => j.Kind == JournalKind.InstanceRetried && j.Actor == "operator@kkr.example");
    }

    [Fact]
    public async Task ExpressionErrorAtRunTime_FaultsAtOnce_WithTheActivityAndPropertyInTheIncident()
    {
        var harness = new EngineHarness(retryPolicy: RetryPolicy.Default);
        var id = await harness.PublishAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "check", "type": "If", "condition": "input.title" }"""),
            List(C("start", "check")),
            """ "inputs": [ { "name": "title", "type": "string" } ] """);

        var instance = await harness.StartAsync(id, new JsonObject { ["title"] = "Høring" });

        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        var incident = Assert.Single(harness.Instances.Incidents);
        Assert.Equal("check", incident.ActivityId);
        Assert.Equal("$.root.activities[1].condition: The condition 'input.title' did not give true or false.", incident.Message);
        Assert.Null(incident.RetryAt);
    }

    [Fact]
    public async Task RecoverInterrupted_RunsAnInstanceACrashLeftRunning()
    {
        var harness = new EngineHarness();
        var id = await PublishCounterAsync(harness);
        // Simulate a crash right after the first save: the start step never ran.
        harness.Instances.BeforeSave = instance => instance.Revision == 1
            ? throw new IOException("process killed")
            : Task.CompletedTask;
        await Assert.ThrowsAsync<IOException>(() => harness.StartAsync(id));
        harness.Instances.BeforeSave = null;

        harness.Clock.Advance(Duration.FromMinutes(2));
        Assert.Equal(1, await harness.Runtime.RecoverInterruptedAsync(Duration.FromMinutes(1), CancellationToken.None));

        var recovered = (await harness.Instances.FindInterruptedAsync(harness.Clock.GetCurrentInstant(), CancellationToken.None));
        Assert.Empty(recovered);
        Assert.Contains(harness.Instances.Journal, j => j.Kind == JournalKind.InstanceRecovered);
    }

    [Fact]
    public async Task Cancel_DropsEveryWait_AndSignalsAfterwardsAreNotKept()
    {
        var harness = new EngineHarness();
        var id = await PublishCounterAsync(harness);
        var instance = await harness.StartAsync(id);

        Assert.True(await harness.Runtime.CancelAsync(instance.Id, "sekretariat@kkr.example", "Sagen er trukket tilbage", CancellationToken.None));

        var cancelled = await harness.ReloadAsync(instance.Id);
        Assert.Equal(WorkflowStatus.Cancelled, cancelled.Status);
        Assert.Empty(cancelled.Bookmarks);
        Assert.Equal(SignalOutcome.InstanceEnded, await harness.Runtime.SignalAsync(instance.Id, "answer", null, "test", CancellationToken.None));
        Assert.False(await harness.Runtime.CancelAsync(instance.Id, "x", null, CancellationToken.None));
    }

    [Fact]
    public async Task UnknownInstance_IsReportedAsNotFound()
    {
        var harness = new EngineHarness();
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => harness.Runtime.SignalAsync(Guid.NewGuid(), "x", null, "test", CancellationToken.None));
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => harness.StartAsync("no-such-definition"));
    }

    /// <summary>An activity that throws a number of times before it succeeds, like a mail server that is down.</summary>
    private sealed class FlakyActivity(int failures) : IActivity
    {
        private int calls;

        public ActivityDescriptor Descriptor => new("Flaky", "Ustabil", "Test", "Fejler et antal gange.", [], false,
            _ => new ActivityBinding(this, [ActivityResult.DonePort]));

        public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
            ++calls <= failures ? throw new InvalidOperationException("SMTP nede") : ValueTask.FromResult(ActivityResult.Done);
    }
}
