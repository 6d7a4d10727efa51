using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Interop.Elsa;
using Workflows.Tests.Definitions;

namespace Workflows.Tests.Interop.Elsa;

/// <summary>Elsa 3 documents (Elsa's own, in <c>samples/</c>, and small hand-written ones) become drafts with exact reports.</summary>
public class ElsaImportTests
{
    internal static readonly DateTimeZone Copenhagen = DateTimeZoneProviders.Tzdb["Europe/Copenhagen"];

    internal static ElsaImporter Importer { get; } = new(ActivityRegistry.Default, Copenhagen);

    internal static string SamplesFolder { get; } = Path.Combine(DefinitionsFolder.RepositoryRoot, "Workflows.Tests", "Interop", "Elsa", "samples");

    /// <summary>JSON text without escaping '+' or '&lt;', so expected values read as they are written.</summary>
    internal static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static JsonNode Sample(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(SamplesFolder, file)))!;

    [Theory]
    [InlineData("fork.json", 4, 0, 0)]
    [InlineData("join-any-1.json", 5, 0, 0)]
    [InlineData("decision-implicit-join-on-both-outcomes.json", 2, 0, 0)]
    [InlineData("fork-decision-join-waitall.json", 8, 0, 1)]
    [InlineData("cron-every-hour.json", 1, 0, 1)]
    [InlineData("http-workflow.json", 0, 0, 2)]
    public void Sample_ImportsWithAReportThatAccountsForEveryActivity(string file, int mapped, int approximated, int unsupported)
    {
        var source = Sample(file);
        var result = Importer.Import(source);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
        var report = result.Report!;
        Assert.Equal(new ElsaImportCounts(mapped, approximated, unsupported), report.Counts);
        // Every Elsa activity is in the report once, at its own path, with its own id and type.
        var activities = source["root"]!["activities"]!.AsArray();
        Assert.Equal(activities.Count, report.Activities.Count);
        for (var i = 0; i < activities.Count; i++)
        {
            var entry = Assert.Single(report.Activities, a => a.Path == $"$.root.activities[{i}]");
            Assert.Equal(activities[i]!["id"]!.GetValue<string>(), entry.Id);
            Assert.Equal(activities[i]!["type"]!.GetValue<string>(), entry.Type);
        }
        // The draft is a valid ProcesFlow definition; it is publishable exactly when nothing is unsupported.
        Assert.True(DefinitionParser.Default.Parse(result.Draft).IsValid);
        Assert.Equal(unsupported == 0, report.Publishable);
        Assert.Equal(unsupported, report.Unresolved.Count);
        Assert.Equal(report.Unresolved, UnresolvedParts.Find(result.Draft));
    }

    [Fact]
    public void ForkSample_KeepsIdsNamesPositionsAndPorts_AndAddsAStart()
    {
        var result = Importer.Import(Sample("fork.json"));

        var draft = result.Draft!;
        Assert.Equal("fork", draft["definitionId"]!.GetValue<string>());
        Assert.Equal("Fork", draft["name"]!.GetValue<string>());
        var activities = draft["root"]!["activities"]!.AsArray();
        Assert.Equal(
            """{"id":"start","type":"Start","metadata":{"designer":{"position":{"x":-590,"y":-197}}}}""",
            activities[0]!.ToJsonString());
        Assert.Equal(
            """{"id":"c0e09e3ac3cfdba7","type":"Fork","name":"FlowFork1","branches":["One","Two","Three"],"metadata":{"designer":{"position":{"x":-340,"y":-197}}}}""",
            activities[1]!.ToJsonString());
        Assert.Equal(
            """{"id":"e6f0cddb1cdbdd7c","type":"JournalNote","name":"WriteLine1","text":"One","metadata":{"designer":{"position":{"x":-80,"y":-300}}}}""",
            activities[2]!.ToJsonString());
        Assert.Equal(
            """[{"source":{"activity":"start","port":"Done"},"target":{"activity":"c0e09e3ac3cfdba7","port":"In"}},"""
            + """{"source":{"activity":"c0e09e3ac3cfdba7","port":"One"},"target":{"activity":"e6f0cddb1cdbdd7c","port":"In"}},"""
            + """{"source":{"activity":"c0e09e3ac3cfdba7","port":"Two"},"target":{"activity":"3ece093dfc20c752","port":"In"}},"""
            + """{"source":{"activity":"c0e09e3ac3cfdba7","port":"Three"},"target":{"activity":"ca9fcd1d6069df9","port":"In"}}]""",
            draft["root"]!["connections"]!.ToJsonString());
        var note = Assert.Single(result.Report!.Notes);
        Assert.Equal("$.root", note.Path);
        Assert.Contains("no Elsa.Start", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FaultSample_KeepsAPlaceholderWithTheOriginal_AndSaysWhereToResolveIt()
    {
        var result = Importer.Import(Sample("fork-decision-join-waitall.json"));

        var fault = Assert.Single(result.Report!.Activities, a => a.Status == ElsaImportStatus.Unsupported);
        Assert.Equal("$.root.activities[4]", fault.Path);
        Assert.Equal("Elsa.Fault", fault.Type);
        Assert.Equal("Unresolved", fault.As);
        var placeholder = result.Draft!["root"]!["activities"]![5]!;
        Assert.Equal("$.root.activities[5]", fault.DraftPath);
        Assert.Equal("Elsa.Fault", placeholder["sourceType"]!.GetValue<string>());
        Assert.Equal("cfffbc06a0b6eeb0", placeholder["source"]!["id"]!.GetValue<string>());
        var unresolved = Assert.Single(result.Report.Unresolved);
        Assert.Equal("$.root.activities[5]", unresolved.Path);
        Assert.Contains("'Elsa.Fault'", unresolved.Message, StringComparison.Ordinal);
        // The JavaScript condition "return false;" was translated, and the report says so at its path.
        var decision = Assert.Single(result.Report.Activities, a => a.Type == "Elsa.FlowDecision");
        Assert.Equal(ElsaImportStatus.Mapped, decision.Status);
        Assert.Contains(decision.Notes, n => n.Path == "$.root.activities[3].condition.expression.value" && n.Message.EndsWith("became 'false'", StringComparison.Ordinal));
    }

    [Fact]
    public void TriggerSample_BecomesAPlaceholderAfterAnAddedStart()
    {
        var result = Importer.Import(Sample("cron-every-hour.json"));

        var cron = Assert.Single(result.Report!.Activities, a => a.Type == "Elsa.Cron");
        Assert.Equal(ElsaImportStatus.Unsupported, cron.Status);
        Assert.Contains("trigger", cron.Notes[0].Message, StringComparison.Ordinal);
        Assert.Equal("""[{"source":{"activity":"start","port":"Done"},"target":{"activity":"13658e4b3bfafaaf","port":"In"}},{"source":{"activity":"13658e4b3bfafaaf","port":"Done"},"target":{"activity":"1bf2412c9603f5d3","port":"In"}}]""",
            result.Draft!["root"]!["connections"]!.ToJsonString());
    }

    [Fact]
    public void LoopThatNeverWaits_IsRefusedAtTheElsaActivityInTheLoop()
    {
        var result = Importer.Import(Sample("implicit-loop.json"));

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        // SetVariable1 (first in the document of the four in the loop) is where ProcesFlow reports the loop.
        Assert.Equal("$.root.activities[0]", error.Path);
        Assert.Contains("is in a loop (", error.Message, StringComparison.Ordinal);
        Assert.Contains("no activity that waits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoopSample_WithADelayInTheLoop_ImportsAndTranslatesTheGetters()
    {
        var source = Sample("implicit-loop.json");
        source["root"]!["activities"]!.AsArray().Add(JsonNode.Parse("""
            { "id": "Pause", "type": "Elsa.Delay", "duration": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "1.00:00:00" } } }
            """));
        var connections = source["root"]!["connections"]!.AsArray();
        connections[4] = JsonNode.Parse("""{ "source": "WriteLine2", "target": "Pause", "sourcePort": "Done", "targetPort": "In" }""");
        connections.Add(JsonNode.Parse("""{ "source": "Pause", "target": "WriteLine1", "sourcePort": "Done", "targetPort": "In" }"""));

        var result = Importer.Import(source);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
        Assert.Equal(new ElsaImportCounts(7, 0, 0), result.Report!.Counts);
        var activities = result.Draft!["root"]!["activities"]!.AsArray();
        var increment = activities.Single(a => a!["id"]!.GetValue<string>() == "SetVariable1")!;
        Assert.Equal("""{"id":"SetVariable1","type":"SetVariable","name":"Increment counter","variable":"Counter","expression":"variables.Counter + 1","metadata":{"designer":{"position":{"x":2620,"y":2280}}}}""",
            increment.ToJsonString(Relaxed));
        Assert.Equal("variables.Counter > 1", activities.Single(a => a!["id"]!.GetValue<string>() == "FlowDecision1")!["condition"]!.GetValue<string>());
        Assert.Equal("P1D", activities.Single(a => a!["id"]!.GetValue<string>() == "Pause")!["duration"]!.GetValue<string>());
        Assert.Equal("""[{"name":"Counter","value":0}]""", result.Draft["variables"]!.ToJsonString());
        // Start1 is Elsa's Start: kept, none added.
        Assert.Single(activities, a => a!["type"]!.GetValue<string>() == "Start");
        Assert.Empty(result.Report.Notes);
    }
}
