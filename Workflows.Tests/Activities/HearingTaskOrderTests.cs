using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Tests.Fakes;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Activities;

/// <summary>
/// A hearing lists its parties (the missing ones in its result, the journal's warnings) in the order the definition
/// named them, although the store returns tasks created at one instant in no fixed order.
/// </summary>
public sealed class HearingTaskOrderTests
{
    [Fact]
    public async Task MissingParties_AreListedInTheOrderTheyWereNamed_AfterReloads()
    {
        var harness = new EngineHarness(Instant.FromUtc(2019, 11, 7, 11, 0));
        var id = await harness.PublishAsync(
            List(
                """{ "id": "start", "type": "Start" }""",
                """{ "id": "accede", "type": "Hearing", "ask": "accession", "title": "Samarbejdsaftale", "parties": "hovedstaden", "deadline": { "date": "2020-01-31", "at": "12:00" }, "effectiveDate": { "date": "2020-02-01" }, "resultVariable": "result" }""",
                """{ "id": "done", "type": "Finish" }"""),
            List(C("start", "accede"), C("accede", "done", "Approved"), C("accede", "done", "NotApproved")),
            """ "variables": [ { "name": "result" } ] """);
        var instance = await harness.StartAsync(id, new JsonObject());
        var named = harness.Instances.Outbox.Select(m => m.Model!["partyId"]!.GetValue<string>()).ToList();
        Assert.Equal(29, named.Count);

        await harness.AdvanceAsync(Duration.FromDays(90));

        var result = (await harness.ReloadAsync(instance.Id)).State.Variables["result"]!;
        Assert.Equal(named, result["missing"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(named, result["parties"]!.AsArray().Select(p => p!["partyId"]!.GetValue<string>()));
    }
}
