using System.Text.Json.Nodes;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Interop.Elsa;
using Workflows.Tests.Definitions;

namespace Workflows.Tests.Interop.Elsa;

/// <summary>Every definition in <c>definitions-json/</c>, exported to Elsa JSON and imported back, is the same definition.</summary>
public class ElsaRoundTripTests
{
    public static TheoryData<string> DefinitionFiles() => [.. DefinitionsFolder.DefinitionFiles()];

    [Theory]
    [MemberData(nameof(DefinitionFiles))]
    public void Definition_ExportedToElsaAndImportedBack_IsSemanticallyEqual(string file)
    {
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(DefinitionsFolder.Path, file)))!.AsObject();
        var export = new ElsaExporter(ElsaImportTests.Copenhagen).Export(original, 3);
        // Through text, as it would travel to Elsa Studio and back.
        var elsaText = export.Document.ToJsonString();

        var result = ElsaImportTests.Importer.Import(JsonNode.Parse(elsaText));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
        var report = result.Report!;
        Assert.Equal(new ElsaImportCounts(original["root"]!["activities"]!.AsArray().Count, 0, 0), report.Counts);
        Assert.True(report.Publishable);
        Assert.Empty(report.Notes);
        AssertSameDefinition(original, result.Draft!);
    }

    [Fact]
    public void Export_NamesTheCustomActivityTypes_AndUsesElsasOwnForTheSharedSet()
    {
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(DefinitionsFolder.Path, "praksisplan-hovedstaden.json")))!.AsObject();

        var export = new ElsaExporter(ElsaImportTests.Copenhagen).Export(original, 2);

        var document = export.Document;
        Assert.Equal("praksisplan-hovedstaden", document["definitionId"]!.GetValue<string>());
        Assert.Equal("Elsa.Flowchart", document["root"]!["type"]!.GetValue<string>());
        var types = document["root"]!["activities"]!.AsArray().Select(a => a!["type"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Elsa.Finish", "Elsa.FlowDecision", "Elsa.Start", "ProcesFlow.Approval", "ProcesFlow.Decision", "ProcesFlow.Hearing", "ProcesFlow.UserTask"], types);
        Assert.Equal(["ProcesFlow.Approval", "ProcesFlow.Decision", "ProcesFlow.Hearing", "ProcesFlow.UserTask"], export.CustomActivityTypes);
        var said = document["customProperties"]![ElsaExporter.ExportKey]!;
        Assert.Equal(export.CustomActivityTypes, said["customActivityTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains(said["notes"]!.AsArray(), n => n!["message"]!.GetValue<string>().StartsWith("ProcesFlow's Hearing has no Elsa counterpart", StringComparison.Ordinal));
        // The If's condition is Elsa JavaScript.
        var decision = document["root"]!["activities"]!.AsArray().Single(a => a!["type"]!.GetValue<string>() == "Elsa.FlowDecision")!;
        Assert.Equal("""{"type":"JavaScript","value":"getInput(\"rules\") == '2022'"}""", decision["condition"]!["expression"]!.ToJsonString(ElsaImportTests.Relaxed));
    }

    [Fact]
    public void ElsaSample_ImportedExportedAndImportedAgain_GivesTheSameDraft()
    {
        // Elsa → ProcesFlow → Elsa → ProcesFlow: placeholders go back to Elsa as they came, so nothing is lost either way.
        var first = ElsaImportTests.Importer.Import(ElsaImportTests.Sample("fork-decision-join-waitall.json"));
        var export = new ElsaExporter(ElsaImportTests.Copenhagen).Export(first.Draft!, 1);

        var second = ElsaImportTests.Importer.Import(JsonNode.Parse(export.Document.ToJsonString()));

        // The Start the first import added is an Elsa.Start now, and is counted as one more mapped activity.
        Assert.Equal(first.Report!.Counts with { Mapped = first.Report.Counts.Mapped + 1 }, second.Report!.Counts);
        Assert.Equal(first.Report.Unresolved, second.Report.Unresolved);
        AssertSameDefinition(first.Draft!, second.Draft!);
    }

    /// <summary>Same id, name, description, inputs, variables, activities (type, name, properties, position, ports) and connections.</summary>
    internal static void AssertSameDefinition(JsonObject expected, JsonObject actual)
    {
        var parsedExpected = DefinitionParser.Default.Parse(expected).Definition!;
        var parsedActual = DefinitionParser.Default.Parse(actual).Definition;
        Assert.NotNull(parsedActual);
        Assert.Equal(parsedExpected.DefinitionId, parsedActual.DefinitionId);
        Assert.Equal(parsedExpected.Name, parsedActual.Name);
        Assert.Equal(parsedExpected.Description ?? "", parsedActual.Description ?? "");
        Assert.Equal(
            parsedExpected.Inputs.Select(i => (i.Name, i.Type, i.Required, i.DisplayName, i.Description, i.Default?.ToJsonString())),
            parsedActual.Inputs.Select(i => (i.Name, i.Type, i.Required, i.DisplayName, i.Description, i.Default?.ToJsonString())));
        Assert.Equal(
            (expected["variables"] as JsonArray ?? []).Select(v => v!.ToJsonString()),
            (actual["variables"] as JsonArray ?? []).Select(v => v!.ToJsonString()));

        var actualActivities = actual["root"]!["activities"]!.AsArray().ToDictionary(a => a!["id"]!.GetValue<string>(), a => a!.AsObject());
        Assert.Equal(expected["root"]!["activities"]!.AsArray().Count, actualActivities.Count);
        foreach (var node in expected["root"]!["activities"]!.AsArray())
        {
            var id = node!["id"]!.GetValue<string>();
            Assert.True(actualActivities.TryGetValue(id, out var back), $"activity '{id}' is missing");
            Assert.True(JsonNode.DeepEquals(Properties(node.AsObject()), Properties(back)), $"activity '{id}':\n{Properties(node.AsObject()).ToJsonString()}\n{Properties(back).ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(node["metadata"]?["designer"]?["position"], back["metadata"]?["designer"]?["position"]), $"position of '{id}'");
            Assert.Equal(parsedExpected.Root.Find(id)!.Name, parsedActual.Root.Find(id)!.Name);
            Assert.Equal(parsedExpected.Root.Find(id)!.Ports, parsedActual.Root.Find(id)!.Ports);
        }
        Assert.Equal(
            parsedExpected.Root.Connections.Select(c => c.ToString()).Order(StringComparer.Ordinal),
            parsedActual.Root.Connections.Select(c => c.ToString()).Order(StringComparer.Ordinal));
    }

    /// <summary>An activity's own properties: everything but its id, its name and the designer's metadata.</summary>
    private static JsonObject Properties(JsonObject activity)
    {
        var copy = activity.DeepClone().AsObject();
        foreach (var key in new[] { "id", "name", "displayName", "metadata" })
        {
            copy.Remove(key);
        }
        return copy;
    }
}
