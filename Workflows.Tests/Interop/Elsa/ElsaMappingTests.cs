using System.Text.Json.Nodes;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Interop.Elsa;

namespace Workflows.Tests.Interop.Elsa;

/// <summary>One Elsa activity at a time: what it becomes, and what the report says about it.</summary>
public class ElsaMappingTests
{
    /// <summary>An Elsa document with a Start, the given activity (id "a") after it, and the given variables and inputs.</summary>
    private static JsonObject Workflow(string activity, string variables = "[]", string inputs = "[]", string more = "") => JsonNode.Parse($$"""
        {
          "definitionId": "6f2d0e8a9b1c4d3e", "name": "Mapping test", "version": 1,
          "variables": {{variables}}, "inputs": {{inputs}}, "outputs": [],
          "root": {
            "type": "Elsa.Flowchart", "id": "f",
            "activities": [
              { "id": "s", "type": "Elsa.Start", "version": 1 },
              {{activity}}
              {{more}}
            ],
            "connections": [ { "source": { "activity": "s", "port": "Done" }, "target": { "activity": "a", "port": "In" } } ]
          }
        }
        """)!.AsObject();

    private static (JsonObject Activity, ElsaActivityReport Report, ElsaImportReport Whole) ImportOne(JsonObject document)
    {
        var result = ElsaImportTests.Importer.Import(document);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
        var activity = result.Draft!["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "a")!.AsObject();
        activity.Remove("metadata");
        return (activity, result.Report!.Activities.Single(r => r.Id == "a"), result.Report);
    }

    private static string Text(JsonNode node) => node.ToJsonString(ElsaImportTests.Relaxed);

    [Fact]
    public void JavaScriptCondition_WithGettersAndStrictEquality_BecomesAnExpression()
    {
        var (activity, report, whole) = ImportOne(Workflow(
            """{ "id": "a", "type": "Elsa.FlowDecision", "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "return getVariable('answered') >= 17 && getInput(\"region\") === 'midtjylland';" } } }""",
            variables: """[ { "id": "v1", "name": "answered", "typeName": "Int32", "value": "0" } ]""",
            inputs: """[ { "name": "region", "type": "String" } ]"""));

        Assert.Equal("""{"id":"a","type":"If","condition":"variables.answered >= 17 && input.region == 'midtjylland'"}""", Text(activity));
        Assert.Equal(ElsaImportStatus.Mapped, report.Status);
        Assert.True(whole.Publishable);
    }

    [Fact]
    public void CSharpCondition_WithVariablesAccessors_BecomesAnExpression()
    {
        var (activity, _, whole) = ImportOne(Workflow(
            """{ "id": "a", "type": "Elsa.If", "condition": { "typeName": "Boolean", "expression": { "type": "CSharp", "value": "return Variables.Get<int>(\"Answered\") > 3 || Variables.Late == true;" } } }""",
            variables: """[ { "id": "v1", "name": "Answered", "typeName": "Int32", "value": "0" }, { "id": "v2", "name": "Late", "typeName": "Boolean", "value": "false" } ]"""));

        Assert.Equal("""{"id":"a","type":"If","condition":"variables.Answered > 3 || variables.Late == true"}""", Text(activity));
        Assert.True(whole.Publishable);
    }

    [Theory]
    [InlineData("JavaScript", "return getStaticValue() ?? 'x';", "it calls getStaticValue(), and the workflow has no variable 'StaticValue' for it to read")]
    [InlineData("JavaScript", "true ?? false", "it uses '??', which ProcesFlow's expression language does not have")]
    [InlineData("JavaScript", "1 = 1", "it uses '=', which ProcesFlow's expression language does not have")]
    [InlineData("JavaScript", "getVariable('nope') > 1", "it reads the variable 'nope', which the workflow does not declare")]
    [InlineData("CSharp", "DateTime.MaxValue.Hour > 12", "it uses 'DateTime', which ProcesFlow's expression language does not have")]
    [InlineData("Python", "return True", "ProcesFlow does not run Python")]
    public void UntranslatableCondition_IsReportedAtItsPath_AndBlocksPublishing(string language, string code, string reason)
    {
        var document = Workflow($$"""{ "id": "a", "type": "Elsa.FlowDecision", "condition": { "typeName": "Boolean", "expression": { "type": "{{language}}", "value": {{JsonValue.Create(code).ToJsonString()}} } } }""");

        var result = ElsaImportTests.Importer.Import(document);

        Assert.True(result.Succeeded);
        var report = result.Report!.Activities.Single(r => r.Id == "a");
        Assert.Equal(ElsaImportStatus.Approximated, report.Status);
        var note = Assert.Single(report.Notes);
        Assert.Equal("$.root.activities[1].condition.expression.value", note.Path);
        Assert.Equal($"not translated: {reason}; the process owner must write 'condition' before the draft can be published", note.Message);
        // The draft keeps a safe placeholder (false) and an unresolved entry the publish step refuses.
        var activity = result.Draft!["root"]!["activities"]![1]!;
        Assert.Equal("false", activity["condition"]!.GetValue<string>());
        Assert.Equal(code, activity["metadata"]!["unresolved"]![0]!["expression"]!.GetValue<string>());
        var unresolved = Assert.Single(result.Report.Unresolved);
        Assert.Equal("$.root.activities[1].metadata.unresolved[0]", unresolved.Path);
        Assert.False(result.Report.Publishable);
    }

    [Fact]
    public void FlowSwitch_CasesBecomePorts()
    {
        var document = Workflow(
            """
            { "id": "a", "type": "Elsa.FlowSwitch", "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "MatchAny" } },
              "cases": [ { "label": "Many", "condition": { "type": "JavaScript", "value": "getCount() > 10" } },
                         { "label": "None", "condition": { "type": "Literal", "value": "false" } } ] }
            """,
            variables: """[ { "id": "v1", "name": "count", "typeName": "Int32", "value": "0" } ]""",
            more: """, { "id": "b", "type": "Elsa.Finish" }""");
        document["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "a", "port": "Many" }, "target": { "activity": "b", "port": "In" } }"""));
        document["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "a", "port": "Default" }, "target": { "activity": "b", "port": "In" } }"""));

        var (activity, report, _) = ImportOne(document);

        Assert.Equal("""{"id":"a","type":"Switch","cases":[{"port":"Many","condition":"variables.count > 10"},{"port":"None","condition":"false"}],"mode":"MatchAny"}""", Text(activity));
        Assert.Equal(ElsaImportStatus.Mapped, report.Status);
    }

    [Fact]
    public void Delay_TimeSpanBecomesAnIsoPeriod()
    {
        var (activity, report, _) = ImportOne(Workflow("""{ "id": "a", "type": "Elsa.Delay", "duration": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "3.04:30:00" } } }"""));

        Assert.Equal("""{"id":"a","type":"Delay","duration":"P3DT4H30M"}""", Text(activity));
        Assert.Equal(ElsaImportStatus.Mapped, report.Status);
    }

    [Fact]
    public void Timer_InTheFlow_IsApproximatedAsOneDelay()
    {
        var (activity, report, _) = ImportOne(Workflow("""{ "id": "a", "type": "Elsa.Timer", "interval": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "00:05:00" } } }"""));

        Assert.Equal("""{"id":"a","type":"Delay","duration":"PT5M"}""", Text(activity));
        Assert.Equal(ElsaImportStatus.Approximated, report.Status);
        Assert.Contains(report.Notes, n => n.Path == "$.root.activities[1]" && n.Message.Contains("waits once", StringComparison.Ordinal));
    }

    [Fact]
    public void StartAt_BecomesADanishDeadline()
    {
        var (activity, report, _) = ImportOne(Workflow("""{ "id": "a", "type": "Elsa.StartAt", "dateTime": { "typeName": "DateTimeOffset", "expression": { "type": "Literal", "value": "2019-10-31T11:00:00+00:00" } } }"""));

        // 11:00 UTC on 31 October 2019 is 12.00 in Copenhagen (winter time).
        Assert.Equal("""{"id":"a","type":"WaitUntil","deadline":{"date":"2019-10-31","at":"12:00"}}""", Text(activity));
        Assert.Equal(ElsaImportStatus.Mapped, report.Status);
        Assert.Contains(report.Notes, n => n.Path == "$.root.activities[1].dateTime" && n.Message.Contains("2019-10-31 kl. 12:00 (Europe/Copenhagen)", StringComparison.Ordinal));
    }

    [Fact]
    public void SendEmail_LiquidIsTranslated_AndTheSenderIsReportedAsNotCarriedOver()
    {
        var (activity, report, whole) = ImportOne(Workflow(
            """
            { "id": "a", "type": "Elsa.SendEmail",
              "from": { "typeName": "String", "expression": { "type": "Literal", "value": "kkr@example.dk" } },
              "to": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"postkasse@aarhus.kommune.example\",\"post@odder.example\"]" } },
              "subject": { "typeName": "String", "expression": { "type": "Liquid", "value": "Høring: {{ Workflow.Input.Title }}" } },
              "body": { "typeName": "String", "expression": { "type": "Liquid", "value": "Kære {{ Variables.PartyName }}" } } }
            """,
            variables: """[ { "id": "v1", "name": "PartyName", "typeName": "String", "value": "" } ]""",
            inputs: """[ { "name": "Title", "type": "String" } ]"""));

        Assert.Equal("""{"id":"a","type":"SendEmail","to":["postkasse@aarhus.kommune.example","post@odder.example"],"subject":"Høring: {{ input.Title }}","body":"Kære {{ variables.PartyName }}"}""", Text(activity));
        Assert.Equal(ElsaImportStatus.Approximated, report.Status);
        var note = Assert.Single(report.Notes);
        Assert.Equal("$.root.activities[1].from", note.Path);
        Assert.True(whole.Publishable);
    }

    [Fact]
    public void LiquidReadingSomethingElse_IsLeftForTheProcessOwner()
    {
        var (activity, report, whole) = ImportOne(Workflow("""{ "id": "a", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "Liquid", "value": "Instance {{ Workflow.Id }}" } } }"""));

        Assert.Equal("", activity["text"]!.GetValue<string>());
        Assert.Equal(ElsaImportStatus.Approximated, report.Status);
        Assert.Contains(report.Notes, n => n.Path == "$.root.activities[1].text.expression.value" && n.Message.Contains("reads 'Workflow'", StringComparison.Ordinal));
        Assert.False(whole.Publishable);
    }

    [Fact]
    public void Event_BecomesASignalWait()
    {
        var (activity, report, _) = ImportOne(Workflow("""{ "id": "a", "type": "Elsa.Event", "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "answer-received" } } }"""));

        Assert.Equal("""{"id":"a","type":"WaitForSignal","signal":"answer-received"}""", Text(activity));
        Assert.Equal(ElsaImportStatus.Mapped, report.Status);
    }

    [Fact]
    public void SetVariable_LiteralIsTypedByTheVariable_AndVariableExpressionsRead()
    {
        var document = Workflow(
            """{ "id": "a", "type": "Elsa.SetVariable", "variable": { "id": "v1", "name": "count" }, "value": { "typeName": "Object", "expression": { "type": "Literal", "value": "17" } } }""",
            variables: """[ { "id": "v1", "name": "count", "typeName": "Int32", "value": "0" }, { "id": "v2", "name": "copy", "typeName": "Int32" } ]""",
            more: """, { "id": "b", "type": "Elsa.SetVariable", "variable": { "id": "v2", "name": "copy" }, "value": { "typeName": "Object", "expression": { "type": "Variable", "value": { "id": "v1" } } } }""");
        document["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "a", "port": "Done" }, "target": { "activity": "b", "port": "In" } }"""));

        var result = ElsaImportTests.Importer.Import(document);

        var activities = result.Draft!["root"]!["activities"]!.AsArray();
        Assert.Equal("""{"id":"a","type":"SetVariable","variable":"count","value":17}""", Text(activities[1]!));
        Assert.Equal("""{"id":"b","type":"SetVariable","variable":"copy","expression":"variables.count"}""", Text(activities[2]!));
        Assert.Equal(new ElsaImportCounts(3, 0, 0), result.Report!.Counts);
    }

    [Fact]
    public void UnknownPort_IsLeftOutAndMustBeRedrawn()
    {
        var document = Workflow("""{ "id": "a", "type": "Elsa.FlowDecision", "condition": { "typeName": "Boolean", "expression": { "type": "Literal", "value": "true" } } }""",
            more: """, { "id": "b", "type": "Elsa.Finish" }""");
        document["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "a", "port": "Maybe" }, "target": { "activity": "b", "port": "In" } }"""));
        document["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "a", "port": "True" }, "target": { "activity": "b", "port": "In" } }"""));

        var result = ElsaImportTests.Importer.Import(document);

        var report = result.Report!.Activities.Single(r => r.Id == "a");
        Assert.Equal(ElsaImportStatus.Approximated, report.Status);
        Assert.Contains(report.Notes, n => n.Path == "$.root.connections[1]" && n.Message.Contains("port 'Maybe'", StringComparison.Ordinal));
        Assert.Equal("$.root.activities[1].metadata.unresolved[0]", Assert.Single(result.Report.Unresolved).Path);
        Assert.Equal(2, result.Draft!["root"]!["connections"]!.AsArray().Count);
    }

    [Fact]
    public void UnreachableActivity_IsLeftOutAndReported()
    {
        var (_, _, whole) = ImportOne(Workflow("""{ "id": "a", "type": "Elsa.Finish" }""", more: """, { "id": "lonely", "type": "Elsa.WriteLine" }"""));

        var lonely = whole.Activities.Single(r => r.Id == "lonely");
        Assert.Equal(ElsaImportStatus.Unsupported, lonely.Status);
        Assert.Null(lonely.DraftPath);
        Assert.Contains("cannot be reached from the start", lonely.Notes[0].Message, StringComparison.Ordinal);
        // Left out, Elsa would not run it either: nothing to resolve.
        Assert.True(whole.Publishable);
    }

    [Fact]
    public void PublishAfterResolving_IsAllowed()
    {
        var result = ElsaImportTests.Importer.Import(Workflow("""{ "id": "a", "type": "Elsa.FlowDecision", "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "Math.random() > 0.5" } } }"""));
        var draft = result.Draft!;
        Assert.Single(UnresolvedParts.Find(draft));

        var activity = draft["root"]!["activities"]![1]!.AsObject();
        activity["condition"] = "true";
        activity["metadata"]!.AsObject().Remove("unresolved");

        Assert.Empty(UnresolvedParts.Find(draft));
        Assert.True(DefinitionParser.Default.Parse(draft).IsValid);
    }
}
