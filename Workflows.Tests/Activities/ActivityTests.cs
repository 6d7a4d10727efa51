using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Runtime;
using Workflows.Tests.Fakes;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Activities;

/// <summary>Each core activity, run by the engine on in-memory stores and a fake clock.</summary>
public class ActivityTests
{
    private static async Task<(EngineHarness Harness, WorkflowInstance Instance)> RunAsync(
        string activities, string connections, string? extra = null, JsonObject? input = null, Instant? start = null)
    {
        var harness = new EngineHarness(start);
        var id = await harness.PublishAsync(activities, connections, extra);
        return (harness, await harness.StartAsync(id, input));
    }

    [Fact]
    public async Task Start_ThenNothing_FinishesTheInstance()
    {
        var (_, instance) = await RunAsync(List("""{ "id": "start", "type": "Start" }"""), "[]");
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.NotNull(instance.FinishedAt);
    }

    [Fact]
    public async Task Finish_EndsTheInstance_AndCancelsOtherWaits()
    {
        var (_, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "fork", "type": "Fork", "branches": ["wait", "stop"] }""",
                 """{ "id": "wait", "type": "WaitForSignal", "signal": "never" }""", """{ "id": "stop", "type": "Finish" }"""),
            List(C("start", "fork"), C("fork", "wait", "wait"), C("fork", "stop", "stop")));
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.Empty(instance.Bookmarks);
    }

    [Fact]
    public async Task SetVariable_LiteralAndExpression()
    {
        var (_, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""",
                 """{ "id": "a", "type": "SetVariable", "variable": "parties", "value": ["aarhus", "skive"] }""",
                 """{ "id": "b", "type": "SetVariable", "variable": "count", "expression": "length(variables.parties) * 10" }"""),
            List(C("start", "a"), C("a", "b")),
            """ "variables": [ { "name": "parties" }, { "name": "count" } ] """);
        Assert.Equal("""["aarhus","skive"]""", instance.State.Variables["parties"]!.ToJsonString());
        Assert.Equal(20, instance.State.Variables["count"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData(19, "True")]
    [InlineData(12, "False")]
    public async Task If_ChoosesThePortByCondition(int answered, string expectedPort)
    {
        var (harness, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "all", "type": "If", "condition": "input.answered == 19" }""",
                 """{ "id": "yes", "type": "SetVariable", "variable": "path", "value": "True" }""",
                 """{ "id": "no", "type": "SetVariable", "variable": "path", "value": "False" }"""),
            List(C("start", "all"), C("all", "yes", "True"), C("all", "no", "False")),
            """ "inputs": [ { "name": "answered", "type": "integer" } ], "variables": [ { "name": "path" } ] """,
            new JsonObject { ["answered"] = answered });
        Assert.Equal(expectedPort, instance.State.Variables["path"]!.GetValue<string>());
        Assert.Contains($"Hvis (all) afsluttet ({expectedPort})", string.Join("\n", harness.Instances.Journal.Select(j => j.Message)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("godkendt", "MatchFirst", "G")]
    [InlineData("udsat", "MatchFirst", "U")]
    [InlineData("noget andet", "MatchFirst", "D")]
    [InlineData("godkendt", "MatchAny", "GA")]
    public async Task Switch_FollowsMatchingCasesOrDefault(string outcome, string mode, string expected)
    {
        var (_, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""",
                 $$"""
                 { "id": "decision", "type": "Switch", "mode": "{{mode}}", "cases": [
                     { "port": "godkendt", "condition": "input.outcome == 'godkendt'" },
                     { "port": "udsat", "condition": "input.outcome == 'udsat'" },
                     { "port": "alle", "condition": "input.outcome == 'godkendt'" } ] }
                 """,
                 """{ "id": "g", "type": "SetVariable", "variable": "trail", "expression": "variables.trail + 'G'" }""",
                 """{ "id": "u", "type": "SetVariable", "variable": "trail", "expression": "variables.trail + 'U'" }""",
                 """{ "id": "a", "type": "SetVariable", "variable": "trail", "expression": "variables.trail + 'A'" }""",
                 """{ "id": "d", "type": "SetVariable", "variable": "trail", "expression": "variables.trail + 'D'" }"""),
            List(C("start", "decision"), C("decision", "g", "godkendt"), C("decision", "u", "udsat"), C("decision", "a", "alle"), C("decision", "d", "Default")),
            """ "inputs": [ { "name": "outcome", "type": "string" } ], "variables": [ { "name": "trail", "value": "" } ] """,
            new JsonObject { ["outcome"] = outcome });
        Assert.Equal(expected, instance.State.Variables["trail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delay_WeeksAcrossDstChange_KeepWallClockTime()
    {
        // Monday 10 March 2025 09:00 in Copenhagen (08:00Z, winter time) plus 4 weeks is Monday 7 April 09:00 (07:00Z, summer time).
        var (_, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "wait", "type": "Delay", "duration": "P4W" }"""),
            List(C("start", "wait")),
            start: Instant.FromUtc(2025, 3, 10, 8, 0));
        Assert.Equal(Instant.FromUtc(2025, 4, 7, 7, 0), Assert.Single(instance.Bookmarks).ResumeAt);
    }

    [Fact]
    public async Task Delay_FromInputExpression_AndResumesAfterward()
    {
        var (harness, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "wait", "type": "Delay", "duration": { "expression": "input.wait" } }"""),
            List(C("start", "wait")),
            """ "inputs": [ { "name": "wait", "type": "string" } ] """,
            new JsonObject { ["wait"] = "PT2H" });
        Assert.Equal(harness.Clock.GetCurrentInstant() + Duration.FromHours(2), Assert.Single(instance.Bookmarks).ResumeAt);

        await harness.AdvanceAsync(Duration.FromHours(2));
        Assert.Equal(WorkflowStatus.Finished, (await harness.ReloadAsync(instance.Id)).Status);
    }

    [Fact]
    public async Task Delay_ExpressionGivingWrongValue_FaultsNamingTheProperty()
    {
        var (harness, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "wait", "type": "Delay", "duration": { "expression": "input.wait" } }"""),
            List(C("start", "wait")),
            """ "inputs": [ { "name": "wait", "type": "string" } ] """,
            new JsonObject { ["wait"] = "tre dage" });
        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        Assert.StartsWith("$.root.activities[1].duration: The expression 'input.wait' gave \"tre dage\"", Assert.Single(harness.Instances.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitUntil_AbsoluteDanishDeadline_WaitsUntilThatInstant()
    {
        var (_, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "deadline", "type": "WaitUntil", "deadline": { "date": "2019-10-31", "at": "12:00" } }"""),
            List(C("start", "deadline")));
        // 31 October 2019 is after the October DST change: 12:00 in Copenhagen is 11:00Z.
        Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0), Assert.Single(instance.Bookmarks).ResumeAt);
    }

    [Fact]
    public async Task WaitUntil_DeadlineOnHoliday_IsKeptAndWarnedInTheJournal()
    {
        var (harness, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "deadline", "type": "WaitUntil", "deadline": { "expression": "input.deadline" } }"""),
            List(C("start", "deadline")),
            """ "inputs": [ { "name": "deadline", "type": "object" } ] """,
            JsonNode.Parse("""{ "deadline": { "date": "2022-04-18", "at": "12:00" } }""")!.AsObject(),
            Instant.FromUtc(2022, 3, 1, 8, 0));
        Assert.Equal(Instant.FromUtc(2022, 4, 18, 10, 0), Assert.Single(instance.Bookmarks).ResumeAt);
        Assert.Contains(harness.Instances.Journal, j => j.Message.StartsWith("Advarsel:", StringComparison.Ordinal) && j.Message.Contains("2. påskedag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitUntil_RelativeWorkingDays_SkipsEasterHolidays()
    {
        // Sent Wednesday 13 April 2022; skærtorsdag, langfredag and 2. påskedag are not working days.
        var (_, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "deadline", "type": "WaitUntil", "deadline": { "workingDays": 3, "at": "12:00" } }"""),
            List(C("start", "deadline")),
            start: Instant.FromUtc(2022, 4, 13, 8, 0));
        Assert.Equal(Instant.FromUtc(2022, 4, 21, 10, 0), Assert.Single(instance.Bookmarks).ResumeAt);
    }

    [Fact]
    public async Task WaitForSignal_StoresThePayloadInTheVariable()
    {
        var harness = new EngineHarness();
        var id = await harness.PublishAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "wait", "type": "WaitForSignal", "signal": "decision", "resultVariable": "decision" }"""),
            List(C("start", "wait")),
            """ "variables": [ { "name": "decision" } ] """);
        var instance = await harness.StartAsync(id);
        Assert.Equal("decision", Assert.Single(instance.Bookmarks).Name);

        await harness.Runtime.SignalAsync(instance.Id, "decision", JsonNode.Parse("""{ "outcome": "godkendt" }"""), "test", CancellationToken.None);

        var done = await harness.ReloadAsync(instance.Id);
        Assert.Equal("godkendt", done.State.Variables["decision"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendEmail_QueuesRenderedMailInTheOutbox()
    {
        var (harness, _) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""",
                 """{ "id": "mail", "type": "SendEmail", "to": { "expression": "input.recipients" }, "subject": "Høring: {{ input.title }}", "body": "Svar senest {{ input.deadlineText }}." }"""),
            List(C("start", "mail")),
            """ "inputs": [ { "name": "recipients", "type": "array" }, { "name": "title", "type": "string" }, { "name": "deadlineText", "type": "string" } ] """,
            JsonNode.Parse("""{ "recipients": ["postkasse@aarhus.kommune.example"], "title": "Praksisplan", "deadlineText": "torsdag den 31. oktober 2019 kl. 12.00" }""")!.AsObject());
        var mail = Assert.Single(harness.Instances.Outbox);
        Assert.Equal(["postkasse@aarhus.kommune.example"], mail.To);
        Assert.Equal("Høring: Praksisplan", mail.Subject);
        Assert.Equal("Svar senest torsdag den 31. oktober 2019 kl. 12.00.", mail.TextBody);
    }

    [Fact]
    public async Task SendEmail_InvalidRecipient_FaultsAndQueuesNothing()
    {
        var (harness, instance) = await RunAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "mail", "type": "SendEmail", "to": "ikke en adresse", "subject": "x", "body": "y" }"""),
            List(C("start", "mail")));
        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        Assert.Empty(harness.Instances.Outbox);
        Assert.Contains("'ikke en adresse' is not an e-mail address", Assert.Single(harness.Instances.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_EveryActivityHasDanishNameAndItsPropertiesAreDeclaredOnce()
    {
        foreach (var descriptor in ActivityRegistry.Core)
        {
            Assert.False(string.IsNullOrWhiteSpace(descriptor.DisplayName));
            Assert.Equal(descriptor.Properties.Count, descriptor.Properties.Select(p => p.Name).Distinct().Count());
        }
    }
}
