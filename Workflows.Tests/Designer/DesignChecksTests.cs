using System.Text.Json.Nodes;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Designer;

namespace Workflows.Tests.Designer;

/// <summary>The designer's graph checks and the engine's tolerance of the designer's metadata.</summary>
public sealed class DesignChecksTests
{
    private static readonly DesignChecks Checks = new(DefinitionParser.Default);

    [Fact]
    public void NotesInTheFlowchartMetadata_AreAcceptedAndIgnoredByTheEngine()
    {
        var flow = DesignerApiTests.Flow("with-notes", complete: true);
        var parsed = DefinitionParser.Default.Parse(flow);
        Assert.Empty(parsed.Errors);
        Assert.Equal(["start", "hearing", "end"], parsed.Definition!.Root.Activities.Select(a => a.Id));
    }

    [Fact]
    public void CompleteFlow_HasNoProblems()
    {
        var result = Checks.Check(DesignerApiTests.Flow("complete", complete: true));
        Assert.Empty(result.Problems);
        Assert.True(result.CanPublish);
    }

    [Fact]
    public void NoFinish_UnreachableActivity_JoinWithoutFork_AreErrorsOnTheirNodes()
    {
        var flow = JsonNode.Parse("""
            {
              "definitionId": "graph", "name": "Graf",
              "root": {
                "activities": [
                  { "id": "start", "type": "Start" },
                  { "id": "wait", "type": "Delay", "duration": "P1D" },
                  { "id": "join", "type": "Join", "mode": "WaitAll" },
                  { "id": "lonely", "type": "Delay", "duration": "P2D" }
                ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait" } },
                  { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "join" } }
                ]
              }
            }
            """);
        var result = Checks.Check(flow);
        Assert.False(result.CanPublish);
        Assert.Equal(
            [
                new DesignProblem("$.root.activities", null, "Forløbet har ingen Afslut-aktivitet.", "error"),
                new DesignProblem("$.root.activities[3]", "lonely", "Aktiviteten kan ikke nås fra Start.", "error"),
                new DesignProblem("$.root.activities[2]", "join", "Udgangen »Færdig« er ikke forbundet til nogen aktivitet.", "error"),
                new DesignProblem("$.root.activities[2]", "join", "Sammenføjningen (Join) har ingen forgrening (Fork) før sig.", "error"),
                new DesignProblem("$.root.activities[3]", "lonely", "Udgangen »Færdig« er ikke forbundet til nogen aktivitet.", "error"),
            ],
            result.Problems);
    }

    [Fact]
    public void JoinAfterAFork_IsFine()
    {
        var flow = JsonNode.Parse("""
            {
              "definitionId": "fork-join", "name": "Del og saml",
              "root": {
                "activities": [
                  { "id": "start", "type": "Start" },
                  { "id": "fork", "type": "Fork", "branches": ["a", "b"] },
                  { "id": "join", "type": "Join", "mode": "WaitAll" },
                  { "id": "end", "type": "Finish" }
                ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "fork" } },
                  { "source": { "activity": "fork", "port": "a" }, "target": { "activity": "join" } },
                  { "source": { "activity": "fork", "port": "b" }, "target": { "activity": "join" } },
                  { "source": { "activity": "join", "port": "Done" }, "target": { "activity": "end" } }
                ]
              }
            }
            """);
        var result = Checks.Check(flow);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void EveryShippedDefinition_CanBePublished()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "definitions-json");
        var files = Directory.GetFiles(folder, "*.json").Where(f => !f.EndsWith("definition.schema.json", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, files.Count);
        foreach (var file in files)
        {
            var result = Checks.Check(JsonNode.Parse(File.ReadAllText(file)));
            Assert.True(result.CanPublish, $"{Path.GetFileName(file)}: {string.Join("; ", result.Problems.Select(p => $"{p.Path} {p.Message}"))}");
        }
    }

    [Theory]
    [InlineData("is required", "Skal udfyldes.")]
    [InlineData("'x' is not the id of any activity", "Forbindelsen fører til »x«, som ikke findes.")]
    [InlineData("something new the parser says", "Fejl: something new the parser says")]
    [InlineData("Skal være et klokkeslæt \"HH:mm\" (24 timer), fx \"12:00\".", "Skal være et klokkeslæt \"HH:mm\" (24 timer), fx \"12:00\".")]
    [InlineData("must be 1–100 lower-case letters, digits and hyphens, starting with a letter or digit", "Id'et skal være 1–100 små bogstaver, tal og bindestreger.")]
    public void ParserMessages_InDanish_UnknownOnesKeptBehindADanishLead(string english, string danish) =>
        Assert.Equal(danish, DesignChecks.Translate(english));

    [Fact]
    public void Ports_OfEveryBindableActivity_EvenWhenTheDocumentHasErrors()
    {
        var ports = DefinitionParser.Default.PortsOf(JsonNode.Parse("""
            { "root": { "activities": [ { "id": "if", "type": "If", "condition": "true" }, { "id": "bad", "type": "Nonsense" } ] } }
            """));
        Assert.Equal(["True", "False"], ports["if"]);
        Assert.False(ports.ContainsKey("bad"));
        Assert.Equal(["Approved", "Rejected", "Postponed"], DefinitionParser.Default.DefaultPorts("Decision"));
    }
}
