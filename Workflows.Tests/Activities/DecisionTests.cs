using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Runtime;
using Workflows.Tests.Fakes;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Activities;

/// <summary>Decisions by bodies at their meetings, and tasks for people, on the engine with a fake clock.</summary>
public class DecisionTests
{
    // Monday 20 January 2020, 09:00 in Copenhagen.
    private static readonly Instant Monday = Instant.FromUtc(2020, 1, 20, 8, 0);

    private static async Task<(EngineHarness Harness, Guid Id)> StartAsync(string decisionProperties)
    {
        var harness = new EngineHarness(Monday);
        var id = await harness.PublishAsync(
            List(
                """{ "id": "start", "type": "Start" }""",
                $$"""{ "id": "kdnet", "type": "Decision", "body": "kd-net-midtjylland", "item": "Fælles Servicecenter", "resultVariable": "decision", {{decisionProperties}} }""",
                """{ "id": "approved", "type": "SetVariable", "variable": "outcome", "value": "Approved" }""",
                """{ "id": "rejected", "type": "SetVariable", "variable": "outcome", "value": "Rejected" }""",
                """{ "id": "postponed", "type": "SetVariable", "variable": "outcome", "value": "Postponed" }"""),
            List(C("start", "kdnet"), C("kdnet", "approved", "Approved"), C("kdnet", "rejected", "Rejected"), C("kdnet", "postponed", "Postponed")),
            """ "variables": [ { "name": "decision" }, { "name": "outcome" } ] """);
        return (harness, (await harness.StartAsync(id)).Id);
    }

    private static Task<SignalOutcome> Decide(EngineHarness harness, Guid id, string outcome, string activityId = "kdnet") =>
        harness.Runtime.SignalAsync(id, $"{activityId}:decision", new JsonObject { ["outcome"] = outcome, ["actor"] = "sekretariatet" }, "test", CancellationToken.None);

    private static List<string> Journal(EngineHarness harness, Guid id) =>
        harness.Instances.Journal.Where(j => j.InstanceId == id).Select(j => j.Message).ToList();

    [Fact]
    public async Task NoMeetingGiven_TheItemGoesToTheBodysNextMeetingInItsCalendar()
    {
        var (harness, id) = await StartAsync(""" "kind": "approval" """);

        Assert.Contains("'Fælles Servicecenter' er sat på dagsordenen til mødet i KD-Net (kommunaldirektørerne i Region Midtjylland) fredag den 24. januar 2020 kl. 10.00.", Journal(harness, id));
        var instance = await harness.ReloadAsync(id);
        Assert.Contains(instance.Bookmarks, b => b.Name == "kdnet:decision");
        Assert.Contains(instance.Bookmarks, b => b.ResumeAt == Instant.FromUtc(2020, 1, 24, 9, 0));
    }

    [Fact]
    public async Task Postponed_MovesToTheNextMeeting_ThenApproved_LeavesOnApprovedWithTheDecisionRecorded()
    {
        var (harness, id) = await StartAsync(""" "kind": "approval" """);
        await harness.AdvanceAsync(Duration.FromDays(4) + Duration.FromHours(3));
        Assert.Contains(Journal(harness, id), l => l.StartsWith("Mødet i KD-Net (kommunaldirektørerne i Region Midtjylland) fredag den 24. januar 2020 kl. 10.00 er afholdt", StringComparison.Ordinal));

        await Decide(harness, id, "postponed");
        Assert.Contains(Journal(harness, id), l => l.Contains("har udsat 'Fælles Servicecenter'. Punktet behandles på mødet fredag den 13. marts 2020 kl. 10.00.", StringComparison.Ordinal));
        Assert.Contains((await harness.ReloadAsync(id)).Bookmarks, b => b.ResumeAt == Instant.FromUtc(2020, 3, 13, 9, 0));

        await Decide(harness, id, "approved");
        var instance = await harness.ReloadAsync(id);
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.Equal("Approved", instance.State.Variables["outcome"]!.GetValue<string>());
        Assert.Equal("approved", instance.State.Variables["decision"]!["outcome"]!.GetValue<string>());
        Assert.Equal("sekretariatet", instance.State.Variables["decision"]!["actor"]!.GetValue<string>());
        Assert.Contains(Journal(harness, id), l => l.StartsWith("KD-Net (kommunaldirektørerne i Region Midtjylland) har godkendt 'Fælles Servicecenter' (før mødet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostponedWithNoLaterMeeting_LeavesOnPostponed()
    {
        var (harness, id) = await StartAsync(""" "meeting": { "date": "2020-10-23", "at": "10:00" } """);
        await harness.AdvanceAsync(Duration.FromDays(300));

        await Decide(harness, id, "postponed");

        var instance = await harness.ReloadAsync(id);
        Assert.Equal("Postponed", instance.State.Variables["outcome"]!.GetValue<string>());
        Assert.Contains(Journal(harness, id), l => l.Contains("organets mødekalender har intet senere møde", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutcomeTheKindDoesNotAllow_IsJournaledAndTheItemKeepsWaiting()
    {
        var (harness, id) = await StartAsync(""" "kind": "approval" """);

        await Decide(harness, id, "discussed");

        var instance = await harness.ReloadAsync(id);
        Assert.Equal(WorkflowStatus.Suspended, instance.Status);
        Assert.Contains(Journal(harness, id), l => l.StartsWith("En beslutning med udfaldet 'discussed' kan ikke registreres", StringComparison.Ordinal));
        Assert.Contains(instance.Bookmarks, b => b.Name == "kdnet:decision" && b.Payload!["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()).SequenceEqual(["approved", "rejected", "postponed"]));
    }

    [Fact]
    public async Task UnknownBody_FaultsNamingTheProperty()
    {
        var harness = new EngineHarness(Monday);
        var id = await harness.PublishAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "d", "type": "Decision", "body": "dassos", "item": "Punkt" }"""),
            List(C("start", "d")));

        var instance = await harness.StartAsync(id);

        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        Assert.Contains(harness.Instances.Incidents, i => i.InstanceId == instance.Id && i.Message.Contains("'dassos' is no party in the directory", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DiscussionItem_HasDiscussedAndPostponedPortsOnly()
    {
        var result = DefinitionParser.Default.Parse("""
            { "definitionId": "x", "name": "x", "root": { "type": "Flowchart",
              "activities": [ { "id": "start", "type": "Start" }, { "id": "d", "type": "Decision", "body": "kkr-midtjylland", "item": "Punkt", "kind": "discussion" }, { "id": "f", "type": "Finish" } ],
              "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "d", "port": "In" } },
                               { "source": { "activity": "d", "port": "Approved" }, "target": { "activity": "f", "port": "In" } } ] } }
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("$.root.connections[1].source.port", error.Path);
        Assert.Contains("Discussed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserTask_WarnsAtItsDeadline_AndContinuesOnlyWhenDone()
    {
        var harness = new EngineHarness(Instant.FromUtc(2019, 11, 8, 11, 0));
        var id = await harness.PublishAsync(
            List("""{ "id": "start", "type": "Start" }""",
                 """{ "id": "send", "type": "UserTask", "title": "Send høringssvaret", "assignee": "Sekretariatet", "deadline": { "date": "2019-11-24" } }""",
                 """{ "id": "end", "type": "Finish" }"""),
            List(C("start", "send"), C("send", "end")));
        var instance = await harness.StartAsync(id);
        Assert.Contains(Journal(harness, instance.Id), l => l.StartsWith("Opgave: Send høringssvaret (ansvarlig: Sekretariatet), frist søndag den 24. november 2019", StringComparison.Ordinal));

        await harness.AdvanceAsync(Duration.FromDays(20));
        Assert.Contains(Journal(harness, instance.Id), l => l.StartsWith("Advarsel: opgaven 'Send høringssvaret' er ikke løst inden fristen", StringComparison.Ordinal));
        Assert.Equal(WorkflowStatus.Suspended, (await harness.ReloadAsync(instance.Id)).Status);

        await harness.Runtime.SignalAsync(instance.Id, "send:complete", new JsonObject { ["note"] = "Sendt." }, "test", CancellationToken.None);
        Assert.Equal(WorkflowStatus.Finished, (await harness.ReloadAsync(instance.Id)).Status);
        Assert.Contains("Opgaven 'Send høringssvaret' er løst. Bemærkning: Sendt.", Journal(harness, instance.Id));
    }
}
