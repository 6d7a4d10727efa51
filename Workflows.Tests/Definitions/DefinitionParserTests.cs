using System.Text.Json.Nodes;
using Workflows.Definitions.Definitions;

namespace Workflows.Tests.Definitions;

public class DefinitionParserTests
{
    internal const string Valid = """
        {
          "definitionId": "approval-demo",
          "name": "Godkendelse",
          "inputs": [ { "name": "title", "type": "string", "required": true } ],
          "variables": [ { "name": "answered", "value": 0 } ],
          "root": {
            "type": "Flowchart",
            "activities": [
              { "id": "start", "type": "Start", "metadata": { "designer": { "position": { "x": 0, "y": 0 } } } },
              { "id": "wait", "type": "WaitForSignal", "signal": "answer" },
              { "id": "count", "type": "SetVariable", "variable": "answered", "expression": "variables.answered + 1" },
              { "id": "enough", "type": "If", "condition": "variables.answered >= 2" },
              { "id": "end", "type": "Finish" }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
              { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "count", "port": "In" } },
              { "source": { "activity": "count", "port": "Done" }, "target": { "activity": "enough", "port": "In" } },
              { "source": { "activity": "enough", "port": "True" }, "target": { "activity": "end", "port": "In" } },
              { "source": { "activity": "enough", "port": "False" }, "target": { "activity": "wait", "port": "In" } }
            ]
          }
        }
        """;

    private static IReadOnlyList<ValidationError> ErrorsOf(Action<JsonObject> mutate)
    {
        var document = JsonNode.Parse(Valid)!.AsObject();
        mutate(document);
        var result = DefinitionParser.Default.Parse(document);
        Assert.False(result.IsValid, "the mutated definition should be invalid");
        return result.Errors;
    }

    private static JsonArray Activities(JsonObject d) => d["root"]!["activities"]!.AsArray();

    private static JsonArray Connections(JsonObject d) => d["root"]!["connections"]!.AsArray();

    private static void AssertError(IReadOnlyList<ValidationError> errors, string path, string messagePart) =>
        Assert.True(errors.Any(e => e.Path == path && e.Message.Contains(messagePart, StringComparison.Ordinal)),
            $"expected an error at {path} containing '{messagePart}', got:\n{string.Join("\n", errors.Select(e => $"{e.Path}: {e.Message}"))}");

    [Fact]
    public void Parse_ValidDefinition_BindsActivitiesAndConnections()
    {
        var result = DefinitionParser.Default.Parse(Valid);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(5, result.Definition!.Root.Activities.Count);
        Assert.Equal("start", result.Definition.Root.Start.Id);
        Assert.Equal(2, result.Definition.Root.InboundCount("wait"));
    }

    [Fact]
    public void Parse_UnknownActivityType_SuggestsTheNearestType() =>
        AssertError(ErrorsOf(d => Activities(d)[2]!["type"] = "SetVariabel"), "$.root.activities[2].type", "did you mean 'SetVariable'");

    [Fact]
    public void Parse_MissingRequiredProperty_NamesIt() =>
        AssertError(ErrorsOf(d => Activities(d)[3]!.AsObject().Remove("condition")), "$.root.activities[3].condition", "is required");

    [Fact]
    public void Parse_UnknownProperty_IsReportedAsTypo() =>
        AssertError(ErrorsOf(d => Activities(d)[1]!["signall"] = "x"), "$.root.activities[1].signall", "is not a property of this activity");

    [Fact]
    public void Parse_WrongPropertyType_SaysWhatWasExpected() =>
        AssertError(ErrorsOf(d => Activities(d)[1]!["signal"] = 42), "$.root.activities[1].signal", "must be a text, not 42");

    [Fact]
    public void Parse_BadExpression_ReportsPosition() =>
        AssertError(ErrorsOf(d => Activities(d)[3]!["condition"] = "variables.answered >= "), "$.root.activities[3].condition", "at character");

    [Fact]
    public void Parse_ExpressionReadingUndeclaredVariable_IsReported() =>
        AssertError(ErrorsOf(d => Activities(d)[3]!["condition"] = "variables.anwsered >= 2"), "$.root.activities[3].condition", "no variable 'anwsered'");

    [Fact]
    public void Parse_DanglingConnection_NamesTheMissingActivity() =>
        AssertError(ErrorsOf(d => Connections(d)[1]!["target"]!["activity"] = "nowhere"), "$.root.connections[1].target.activity", "'nowhere' is not the id of any activity");

    [Fact]
    public void Parse_UnknownSourcePort_ListsThePorts() =>
        AssertError(ErrorsOf(d => Connections(d)[3]!["source"]!["port"] = "Yes"), "$.root.connections[3].source.port", "its ports are True, False");

    [Fact]
    public void Parse_DuplicateIds_PointsAtTheFirst() =>
        AssertError(ErrorsOf(d => Activities(d)[2]!["id"] = "wait"), "$.root.activities[2].id", "already the id of $.root.activities[1]");

    [Fact]
    public void Parse_UnreachableActivity_IsReported() =>
        AssertError(ErrorsOf(d => Activities(d).Add(JsonNode.Parse("""{ "id": "orphan", "type": "Finish" }"""))), "$.root.activities[5]", "cannot be reached from Start");

    [Fact]
    public void Parse_CycleWithoutWait_IsReported()
    {
        // Looping back to "count" instead of "wait" would spin forever without waiting.
        AssertError(ErrorsOf(d => Connections(d)[4]!["target"]!["activity"] = "count"), "$.root.activities[2]", "loop (count → enough) with no activity that waits");
    }

    [Fact]
    public void Parse_NoStart_IsReported() =>
        AssertError(ErrorsOf(d =>
        {
            Activities(d).RemoveAt(0);
            Connections(d).RemoveAt(0);
        }), "$.root.activities", "must contain one Start");

    [Fact]
    public void Parse_WrongTypes_AtEveryLevel_AreAllReported()
    {
        var errors = ErrorsOf(d =>
        {
            d["definitionId"] = "Not Valid!";
            d["name"] = 3;
            d["inputs"] = "none";
            d["variables"]!.AsArray().Add(5);
            Activities(d)[1]!["metadata"] = JsonNode.Parse("""{ "designer": { "position": { "x": "left", "y": 1 } } }""");
        });
        AssertError(errors, "$.definitionId", "lower-case letters");
        AssertError(errors, "$.name", "must be a text, not 3");
        AssertError(errors, "$.inputs", "must be a list");
        AssertError(errors, "$.variables[1]", "must be an object, not 5");
        AssertError(errors, "$.root.activities[1].metadata.designer.position.x", "must be a number");
    }

    [Theory]
    [InlineData("""{ "name": "deadline", "type": "deadline", "default": { "date": "2019-10-31", "at": "12" } }""", "$.inputs[0].default.at", "Skal være et klokkeslæt \"HH:mm\" (24 timer), fx \"12:00\".")]
    [InlineData("""{ "name": "parties", "type": "parties", "default": [] }""", "$.inputs[0].default", "must name at least one party")]
    [InlineData("""{ "name": "reminders", "type": "reminders", "default": [{ "workingDaysAfter": 1 }] }""", "$.inputs[0].default[0]", "is a rykker (after the deadline); a reminder comes before it, e.g. { \"workingDaysBefore\": 3, \"at\": \"09:00\" }")]
    [InlineData("""{ "name": "material", "type": "material", "default": [{ "title": "Udkast", "url": "udkast.pdf" }] }""", "$.inputs[0].default[0].url", "must be an http(s) address")]
    [InlineData("""{ "name": "latePolicy", "type": "latePolicy", "default": "accept" }""", "$.inputs[0].default", "must be \"reject\", or { \"mode\": \"acceptUntil\", \"until\": { \"date\": \"…\", \"at\": \"…\" } }")]
    [InlineData("""{ "name": "count", "type": "integer", "default": "many" }""", "$.inputs[0].default", "must be a whole number")]
    public void Parse_InputDefaultNotOfItsType_IsReportedAtThePathInTheDefault(string input, string path, string message)
    {
        var errors = ErrorsOf(d => d["inputs"] = new JsonArray(JsonNode.Parse(input)));
        Assert.Equal([(path, message)], errors.Select(e => (e.Path, e.Message)));
    }

    [Fact]
    public void Parse_InputDefaults_AreCheckedForFormOnly_TheClockAndDirectoryAreAskedAtStart()
    {
        var document = JsonNode.Parse(Valid)!.AsObject();
        document["inputs"] = JsonNode.Parse("""
            [
              { "name": "deadline", "type": "deadline", "default": { "date": "2019-10-31", "at": "12:00" } },
              { "name": "parties", "type": "parties", "default": ["nowhere"] }
            ]
            """);
        var result = DefinitionParser.Default.Parse(document);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Parse_UnknownInputType_ListsTheTypes() =>
        AssertError(
            ErrorsOf(d => d["inputs"] = JsonNode.Parse("""[ { "name": "when", "type": "frist" } ]""")),
            "$.inputs[0].type",
            "must be one of string, number, integer, boolean, date, object, array, any, deadline, parties, reminders, material, latePolicy");

    [Theory]
    [InlineData("""{ "designer": 5 }""", "$.root.activities[1].metadata.designer", "must be an object, not 5")]
    [InlineData("""{ "designer": { "position": 3 } }""", "$.root.activities[1].metadata.designer.position", "must be an object")]
    [InlineData("""{ "designer": { "position": [1] } }""", "$.root.activities[1].metadata.designer.position", "not a list")]
    public void Parse_DesignerMetadataOfWrongShape_IsReportedNotThrown(string metadata, string path, string message) =>
        AssertError(ErrorsOf(d => Activities(d)[1]!["metadata"] = JsonNode.Parse(metadata)), path, message);

    [Fact]
    public void Parse_QuorumLargerThanBranches_IsReported()
    {
        var json = """
            { "definitionId": "q", "name": "Q", "root": { "activities": [
                { "id": "s", "type": "Start" },
                { "id": "f", "type": "Fork", "branches": ["a", "b"] },
                { "id": "j", "type": "Join", "mode": "Quorum", "count": 3 }
              ], "connections": [
                { "source": { "activity": "s", "port": "Done" }, "target": { "activity": "f" } },
                { "source": { "activity": "f", "port": "a" }, "target": { "activity": "j" } },
                { "source": { "activity": "f", "port": "b" }, "target": { "activity": "j" } }
              ] } }
            """;
        var result = DefinitionParser.Default.Parse(json);
        AssertError(result.Errors, "$.root.activities[2]", "quorum 3 is larger than the 2 connection(s)");
    }

    [Theory]
    [InlineData("", "$", "is not valid JSON")]
    [InlineData("{ \"definitionId\": ", "$", "is not valid JSON (line 1")]
    [InlineData("[1, 2]", "$", "must be a JSON object")]
    [InlineData("null", "$", "must be a JSON object")]
    [InlineData("{}", "$.definitionId", "is required")]
    public void Parse_MalformedDocument_GivesPathedError(string json, string path, string message) =>
        AssertError(DefinitionParser.Default.Parse(json).Errors, path, message);

    [Fact]
    public void Parse_DeeplyNestedJson_IsRejectedNotCrashed()
    {
        var json = "{ \"definitionId\": \"x\", \"name\": \"x\", \"variables\": [{ \"name\": \"v\", \"value\": " + new string('[', 10_000) + new string(']', 10_000) + " }] }";
        AssertError(DefinitionParser.Default.Parse(json).Errors, "$", "is not valid JSON");
    }
}
