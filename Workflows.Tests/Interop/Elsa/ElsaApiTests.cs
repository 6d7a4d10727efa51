using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Host.Api;
using Workflows.Tests.Support;

namespace Workflows.Tests.Interop.Elsa;

/// <summary>
/// <c>POST /api/definitions/import/elsa</c> and <c>GET /api/definitions/{id}/export/elsa</c> on the real host and a real
/// SQLite database: Elsa's own workflows import, publish and run; what cannot be resolved is refused at publishing;
/// broken and hostile documents get 400 with JSON paths, never a 5xx.
/// </summary>
public abstract class ElsaApiTests(ProcesFlowApiFactory factory)
{
    private readonly HttpClient client = factory.CreateApiClient();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string SampleText(string file) => File.ReadAllText(Path.Combine(ElsaImportTests.SamplesFolder, file));

    private Task<HttpResponseMessage> ImportAsync(string json, string query = "") => client.PostAsync($"/api/definitions/import/elsa{query}", Json(json));

    private static async Task<JsonObject> ProblemErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["errors"]!.AsObject();
    }

    [Theory]
    [InlineData("fork.json", "elsa-fork", new[] { "One", "Two", "Three" })]
    [InlineData("join-any-1.json", "elsa-join-any", new[] { "Start", "End" })]
    [InlineData("decision-implicit-join-on-both-outcomes.json", "elsa-decision", new[] { "" })]
    public async Task SupportedSample_ImportsPublishesAndRunsToTheEnd(string file, string id, string[] journalNotes)
    {
        var imported = await (await ImportAsync(SampleText(file), $"?definitionId={id}")).ReadAsync<ElsaImported>();
        Assert.Equal(id, imported.DefinitionId);
        Assert.Equal(1, imported.Version);
        Assert.True(imported.Publishable);
        Assert.Equal(0, imported.Report.Counts.Unsupported);

        var published = await (await client.PostAsync($"/api/definitions/{id}/publish", null)).ReadAsync<DefinitionSaved>();
        Assert.Equal(new DefinitionSaved(id, 1), published);
        var started = await (await client.PostJsonAsync("/api/instances", new { definitionId = id, input = new { } })).ReadAsync<InstanceStarted>();
        Assert.Equal("Finished", started.Status);

        // Every WriteLine ran once, as a journal note (the join-any flow ends once, not twice).
        var journal = await (await client.GetAsync($"/api/instances/{started.InstanceId}/journal")).ReadAsync<List<JournalLine>>();
        var noteIds = imported.Definition["root"]!["activities"]!.AsArray()
            .Where(a => a!["type"]!.GetValue<string>() == "JournalNote").Select(a => a!["id"]!.GetValue<string>()).ToHashSet();
        var written = journal.Where(j => j.ActivityId is not null && noteIds.Contains(j.ActivityId) && j.Kind != "ActivityStarted" && j.Kind != "ActivityCompleted").Select(j => j.Message).ToList();
        Assert.Equal(journalNotes.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ImportedEvent_WaitsForItsSignal_ThenFinishes()
    {
        var elsa = """
            {
              "name": "Vent på svar", "definitionId": "a1b2c3",
              "root": { "type": "Elsa.Flowchart", "activities": [
                  { "id": "wait", "type": "Elsa.Event", "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "svar" } },
                    "metadata": { "designer": { "position": { "x": 100, "y": 40 } } } },
                  { "id": "end", "type": "Elsa.Finish" } ],
                "connections": [ { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "end", "port": "In" } } ] }
            }
            """;
        var imported = await (await ImportAsync(elsa)).ReadAsync<ElsaImported>();
        Assert.Equal("vent-paa-svar", imported.DefinitionId);
        await (await client.PostAsync("/api/definitions/vent-paa-svar/publish", null)).ReadAsync<DefinitionSaved>();

        var started = await (await client.PostJsonAsync("/api/instances", new { definitionId = "vent-paa-svar", input = new { } })).ReadAsync<InstanceStarted>();
        Assert.Equal("Suspended", started.Status);
        var signal = await (await client.PostAsync($"/api/instances/{started.InstanceId}/signals/svar", null)).ReadAsync<SignalResult>();
        Assert.Equal("Resumed", signal.Outcome);
        var details = await (await client.GetAsync($"/api/instances/{started.InstanceId}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Finished", details.Status);
    }

    [Fact]
    public async Task UnsupportedSample_IsSavedAsADraft_ButPublishingIsRefusedWithThePathToResolve()
    {
        var response = await ImportAsync(SampleText("fork-decision-join-waitall.json"), "?definitionId=elsa-fault");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var imported = await response.ReadAsync<ElsaImported>();
        Assert.False(imported.Publishable);
        var unresolved = Assert.Single(imported.Report.Unresolved);
        Assert.Equal("$.root.activities[5]", unresolved.Path);

        var publish = await client.PostAsync("/api/definitions/elsa-fault/publish", null);
        var errors = await ProblemErrorsAsync(publish);
        Assert.Equal(["$.root.activities[5]"], errors.Select(e => e.Key));
        Assert.Contains("'Elsa.Fault'", errors["$.root.activities[5]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        // Not published, so it cannot be started.
        var start = await client.PostJsonAsync("/api/instances", new { definitionId = "elsa-fault", input = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);

        // The process owner replaces the placeholder with a Finish and saves the draft: now it publishes.
        var draft = imported.Definition;
        var placeholder = draft["root"]!["activities"]![5]!.AsObject();
        foreach (var key in new[] { "sourceType", "reason", "ports", "source" })
        {
            placeholder.Remove(key);
        }
        placeholder["type"] = "Finish";
        await (await client.PostAsync("/api/definitions", Json(draft.ToJsonString()))).ReadAsync<DefinitionSaved>();
        var published = await (await client.PostAsync("/api/definitions/elsa-fault/publish", null)).ReadAsync<DefinitionSaved>();
        Assert.Equal(1, published.Version);
    }

    [Fact]
    public async Task DryRun_ReturnsTheDraftAndReport_AndSavesNothing()
    {
        var response = await ImportAsync(SampleText("cron-every-hour.json"), "?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var imported = await response.ReadAsync<ElsaImported>();
        Assert.Equal("cronworkflow", imported.DefinitionId);
        Assert.Null(imported.Version);
        Assert.False(imported.Publishable);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/definitions/cronworkflow")).StatusCode);
    }

    [Fact]
    public async Task ImportUnderATakenName_IsAConflict_UnlessTheIdIsGiven()
    {
        var first = await ImportAsync(SampleText("http-workflow.json"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var again = await ImportAsync(SampleText("http-workflow.json"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("?definitionId=http-hello-world", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var asVersion = await (await ImportAsync(SampleText("http-workflow.json"), "?definitionId=http-hello-world")).ReadAsync<ElsaImported>();
        Assert.Equal("http-hello-world", asVersion.DefinitionId);
    }

    [Fact]
    public async Task Export_GivesElsaJson_ThatImportsBackAndRuns()
    {
        var response = await client.GetAsync("/api/definitions/standard-hearing/export/elsa");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var elsa = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("standard-hearing", elsa["definitionId"]!.GetValue<string>());
        Assert.Equal("Elsa.Flowchart", elsa["root"]!["type"]!.GetValue<string>());
        Assert.Equal(["ProcesFlow.Hearing"], elsa["customProperties"]!["ProcesFlow:Export"]!["customActivityTypes"]!.AsArray().Select(t => t!.GetValue<string>()));

        var back = await (await ImportAsync(elsa.ToJsonString(), "?definitionId=standard-hearing-copy")).ReadAsync<ElsaImported>();
        Assert.True(back.Publishable);
        await (await client.PostAsync("/api/definitions/standard-hearing-copy/publish", null)).ReadAsync<DefinitionSaved>();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/definitions/no-such-thing/export/elsa")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/definitions/standard-hearing/export/elsa?version=99")).StatusCode);
    }

    public static TheoryData<string, string, string> BrokenDocuments() => new()
    {
        { "not JSON", "{ \"root\": ", "$" },
        { "a list", "[1, 2]", "$" },
        { "no root", """{ "name": "x" }""", "$.root" },
        { "a sequence", """{ "name": "x", "root": { "type": "Elsa.Sequence", "activities": [] } }""", "$.root.type" },
        { "activities not a list", """{ "name": "x", "root": { "type": "Elsa.Flowchart", "activities": 7 } }""", "$.root.activities" },
        { "id a number", """{ "name": "x", "root": { "type": "Elsa.Flowchart", "activities": [ { "id": 5, "type": "Elsa.Start" } ] } }""", "$.root.activities[0].id" },
        { "type missing", """{ "name": "x", "root": { "type": "Elsa.Flowchart", "activities": [ { "id": "a" } ] } }""", "$.root.activities[0].type" },
        { "name a list", """{ "name": [], "root": { "type": "Elsa.Flowchart", "activities": [] } }""", "$.name" },
        { "variable name with a space", """{ "name": "x", "variables": [ { "name": "my var" } ], "root": { "type": "Elsa.Flowchart", "activities": [] } }""", "$.variables[0].name" },
        { "connection to nowhere", """{ "name": "x", "root": { "type": "Elsa.Flowchart", "activities": [ { "id": "a", "type": "Elsa.Start" } ], "connections": [ { "source": { "activity": "a", "port": "Done" }, "target": { "activity": "b", "port": "In" } } ] } }""", "$.root.connections[0].target.activity" },
        { "unknown expression language", """{ "name": "x", "root": { "type": "Elsa.Flowchart", "activities": [ { "id": "a", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "Cobol", "value": "DISPLAY 'HI'" } } } ] } }""", "$.root.activities[0].text.expression.type" },
        { "expression a number", """{ "name": "x", "root": { "type": "Elsa.Flowchart", "activities": [ { "id": "a", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": 3 } } ] } }""", "$.root.activities[0].text.expression" },
        { "a cycle that never waits", """{ "name": "x", "root": { "type": "Elsa.Flowchart", "activities": [ { "id": "s", "type": "Elsa.Start" }, { "id": "a", "type": "Elsa.WriteLine" }, { "id": "b", "type": "Elsa.WriteLine" } ], "connections": [ { "source": { "activity": "s", "port": "Done" }, "target": { "activity": "a", "port": "In" } }, { "source": { "activity": "a", "port": "Done" }, "target": { "activity": "b", "port": "In" } }, { "source": { "activity": "b", "port": "Done" }, "target": { "activity": "a", "port": "In" } } ] } }""", "$.root.activities[1]" },
        { "two starts", """{ "name": "x", "root": { "type": "Elsa.Flowchart", "activities": [ { "id": "s", "type": "Elsa.Start" }, { "id": "t", "type": "Elsa.Start" } ] } }""", "$.root.activities[1]" },
    };

    [Theory]
    [MemberData(nameof(BrokenDocuments))]
    public async Task BrokenDocument_Gives400WithTheJsonPath(string what, string json, string path)
    {
        var errors = await ProblemErrorsAsync(await ImportAsync(json));

        Assert.True(errors.ContainsKey(path), $"{what}: expected an error at {path}, got {errors.ToJsonString()}");
    }

    [Fact]
    public async Task TenThousandActivities_Gives400AtTheActivities()
    {
        var activities = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $$"""{"id":"w{{i}}","type":"Elsa.WriteLine"}"""));
        var connections = string.Join(",", Enumerable.Range(1, 9_999).Select(i => $$"""{"source":"w{{i - 1}}","target":"w{{i}}","sourcePort":"Done"}"""));
        var json = $$"""{ "name": "Lang", "root": { "type": "Elsa.Flowchart", "activities": [{{activities}}], "connections": [{{connections}}] } }""";

        var errors = await ProblemErrorsAsync(await ImportAsync(json));

        Assert.Equal(["$.root.activities"], errors.Select(e => e.Key));
        Assert.Contains("10000 activities", errors["$.root.activities"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeeplyNestedJson_Gives400_NotAStackOverflow()
    {
        var json = """{ "name": "x", "root": { "type": "Elsa.Flowchart", "activities": [ { "id": "a", "type": "Elsa.WriteLine", "text": """
            + new string('[', 10_000) + new string(']', 10_000) + " } ] } }";

        var errors = await ProblemErrorsAsync(await ImportAsync(json));

        Assert.Equal(["$"], errors.Select(e => e.Key));
        Assert.StartsWith("is not valid JSON", errors["$"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooLargeDocument_Gives413()
    {
        var json = "{ \"name\": \"x\", \"description\": \"" + new string('x', ElsaApi.MaxDocumentBytes) + "\" }";

        var response = await ImportAsync(json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task InvalidRequestedId_Gives400()
    {
        var errors = await ProblemErrorsAsync(await ImportAsync(SampleText("fork.json"), "?definitionId=Not%20An%20Id"));

        Assert.Equal(["definitionId"], errors.Select(e => e.Key));
    }

    /// <summary>200 seeded mutations of Elsa's own samples: each is imported (201, 200 or 409) or refused with 400 keyed by path; never a 5xx.</summary>
    [Fact]
    public async Task MutatedSamples_NeverGiveA5xx()
    {
        var random = new Random(14);
        var samples = Directory.GetFiles(ElsaImportTests.SamplesFolder, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        JsonNode?[] wrong = [42, true, null, "", JsonNode.Parse("[]"), JsonNode.Parse("{}"), JsonNode.Parse("""{ "expression": { "type": "JavaScript", "value": "while(true){}" } }"""), "Elsa.Start"];
        for (var round = 0; round < 200; round++)
        {
            var document = JsonNode.Parse(samples[random.Next(samples.Count)])!;
            var nodes = new List<(JsonNode Parent, object Key)>();
            Collect(document, nodes);
            for (var change = 0; change < 1 + random.Next(3); change++)
            {
                var (parent, key) = nodes[random.Next(nodes.Count)];
                var value = wrong[random.Next(wrong.Length)]?.DeepClone();
                if (parent is JsonObject obj)
                {
                    obj[(string)key] = value;
                }
                else if (parent is JsonArray array && (int)key < array.Count)
                {
                    array[(int)key] = value;
                }
            }
            var response = await ImportAsync(document.ToJsonString(), $"?dryRun=true&definitionId=mutant-{round}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"round {round}: {(int)response.StatusCode} {body}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.All(JsonNode.Parse(body)!["errors"]!.AsObject(), e => Assert.StartsWith("$", e.Key, StringComparison.Ordinal));
            }
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode Parent, object Key)> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    into.Add((obj, key));
                    if (value is not null)
                    {
                        Collect(value, into);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    into.Add((array, i));
                    if (array[i] is { } item)
                    {
                        Collect(item, into);
                    }
                }
                break;
        }
    }
}

[Trait("Database", "Sqlite")]
public sealed class ElsaApiTestsOnSqlite(SqliteApiFactory factory) : ElsaApiTests(factory), IClassFixture<SqliteApiFactory>;

[Trait("Database", "PostgreSql")]
public sealed class ElsaApiTestsOnPostgreSql(PostgreSqlApiFactory factory) : ElsaApiTests(factory), IClassFixture<PostgreSqlApiFactory>;
