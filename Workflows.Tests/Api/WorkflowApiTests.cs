using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Host.Api;
using Workflows.Tests.Definitions;
using Workflows.Tests.Support;

namespace Workflows.Tests.Api;

public abstract class WorkflowApiTests(ProcesFlowApiFactory factory)
{
    private readonly HttpClient client = factory.CreateApiClient();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task PostPublishStartSignal_ThenJournalTellsTheWholeStory()
    {
        var json = DefinitionParserTests.Valid.Replace("approval-demo", "api-story", StringComparison.Ordinal);
        var saved = await (await client.PostAsync("/api/definitions", Json(json))).ReadAsync<DefinitionSaved>();
        Assert.Equal(new DefinitionSaved("api-story", 1), saved);

        // Not published yet: it cannot be started.
        var early = await client.PostJsonAsync("/api/instances", new { definitionId = "api-story", input = new { title = "x" } });
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);

        var published = await (await client.PostAsync("/api/definitions/api-story/publish", null)).ReadAsync<DefinitionSaved>();
        Assert.Equal(1, published.Version);

        var started = await (await client.PostJsonAsync("/api/instances", new { definitionId = "api-story", input = new { title = "Praksisplan 2019" } }))
            .ReadAsync<InstanceStarted>();
        Assert.Equal("Suspended", started.Status);

        var signal1 = await (await client.PostAsync($"/api/instances/{started.InstanceId}/signals/answer", Json("""{ "from": "aarhus" }"""))).ReadAsync<SignalResult>();
        Assert.Equal("Resumed", signal1.Outcome);
        await client.PostAsync($"/api/instances/{started.InstanceId}/signals/answer", null);

        var details = await (await client.GetAsync($"/api/instances/{started.InstanceId}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Finished", details.Status);
        Assert.Equal("api-story", details.DefinitionId);
        Assert.Equal(1, details.DefinitionVersion);
        Assert.Equal("Praksisplan 2019", details.Name);
        Assert.Equal(2, details.Variables["answered"]!.GetValue<decimal>());
        Assert.Empty(details.Parties);

        var journal = await (await client.GetAsync($"/api/instances/{started.InstanceId}/journal")).ReadAsync<List<JournalLine>>();
        Assert.Equal("InstanceStarted", journal[0].Kind);
        Assert.Equal("api-key-1", journal[0].Actor);
        Assert.Equal(2, journal.Count(j => j.Kind == "SignalReceived"));
        Assert.Equal("aarhus", journal.First(j => j.Kind == "SignalReceived").Data!["from"]!.GetValue<string>());
        Assert.Equal("InstanceFinished", journal[^1].Kind);

        var signalAfterEnd = await client.PostAsync($"/api/instances/{started.InstanceId}/signals/answer", null);
        Assert.Equal(HttpStatusCode.Conflict, signalAfterEnd.StatusCode);
    }

    [Fact]
    public async Task PostDefinition_Invalid_Gives400WithErrorsKeyedByJsonPath()
    {
        var response = await client.PostAsync("/api/definitions", Json("""{ "definitionId": "bad", "name": "B", "root": { "activities": [ { "id": "s", "type": "Strat" } ] } }"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("did you mean 'Start'", problem["errors"]!["$.root.activities[0].type"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartInstance_BadInput_Gives400KeyedByInputPath()
    {
        var json = DefinitionParserTests.Valid.Replace("approval-demo", "api-inputs", StringComparison.Ordinal);
        await client.PostAsync("/api/definitions", Json(json));
        await client.PostAsync("/api/definitions/api-inputs/publish", null);

        var response = await client.PostJsonAsync("/api/instances", new { definitionId = "api-inputs", input = new { title = 17 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("must be a text", problem["errors"]!["$.input.title"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task EditingPublishedDefinition_CreatesDraftVersion2_WhileVersion1StaysPublished()
    {
        var json = DefinitionParserTests.Valid.Replace("approval-demo", "api-versions", StringComparison.Ordinal);
        await client.PostAsync("/api/definitions", Json(json));
        await client.PostAsync("/api/definitions/api-versions/publish", null);

        var draft = await (await client.PostAsync("/api/definitions", Json(json.Replace("Godkendelse", "Godkendelse v2", StringComparison.Ordinal)))).ReadAsync<DefinitionSaved>();
        Assert.Equal(2, draft.Version);

        var versions = await (await client.GetAsync("/api/definitions/api-versions/versions")).ReadAsync<List<DefinitionVersionSummary>>();
        Assert.Equal([(2, false), (1, true)], versions.Select(v => (v.Version, v.IsPublished)));
        var latest = await (await client.GetAsync("/api/definitions/api-versions")).ReadAsync<DefinitionDocument>();
        Assert.Equal("Godkendelse v2", latest.Name);
        var first = await (await client.GetAsync("/api/definitions/api-versions?version=1")).ReadAsync<DefinitionDocument>();
        Assert.Equal("Godkendelse", first.Definition["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListAndFilterInstances_AndCancel()
    {
        var json = DefinitionParserTests.Valid.Replace("approval-demo", "api-list", StringComparison.Ordinal);
        await client.PostAsync("/api/definitions", Json(json));
        await client.PostAsync("/api/definitions/api-list/publish", null);
        var a = await (await client.PostJsonAsync("/api/instances", new { definitionId = "api-list", input = new { title = "Rammeaftale 2021-22" } })).ReadAsync<InstanceStarted>();
        await client.PostJsonAsync("/api/instances", new { definitionId = "api-list", input = new { title = "Erhvervsfremmestrategi" } });

        var found = await (await client.GetAsync("/api/instances?definitionId=api-list&q=rammeaftale")).ReadAsync<List<InstanceSummary>>();
        Assert.Equal(a.InstanceId, Assert.Single(found).InstanceId);

        var cancelled = await (await client.PostJsonAsync($"/api/instances/{a.InstanceId}/cancel", new { reason = "Trukket tilbage" })).ReadAsync<InstanceStateChanged>();
        Assert.Equal("Cancelled", cancelled.Status);
        var suspended = await (await client.GetAsync("/api/instances?definitionId=api-list&status=suspended")).ReadAsync<List<InstanceSummary>>();
        Assert.Equal("Erhvervsfremmestrategi", Assert.Single(suspended).Name);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/instances?status=sleeping")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/instances/{a.InstanceId}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/instances/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task FaultedInstance_ShowsItsIncident_WhichAnOperatorCanResolve()
    {
        var json = """
            { "definitionId": "api-fault", "name": "Fejl",
              "root": { "activities": [ { "id": "start", "type": "Start" }, { "id": "mail", "type": "SendEmail", "to": "ikke en adresse", "subject": "x", "body": "y" } ],
                        "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "mail" } } ] } }
            """;
        await client.PostAsync("/api/definitions", Json(json));
        await client.PostAsync("/api/definitions/api-fault/publish", null);
        var started = await (await client.PostJsonAsync("/api/instances", new { definitionId = "api-fault" })).ReadAsync<InstanceStarted>();
        Assert.Equal("Faulted", started.Status);

        var incident = Assert.Single(await (await client.GetAsync($"/api/incidents?instanceId={started.InstanceId}")).ReadAsync<List<IncidentDescription>>());
        Assert.Equal(("mail", "SendEmail"), (incident.ActivityId, incident.ActivityType));
        Assert.Contains("'ikke en adresse' is not an e-mail address", incident.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await (await client.GetAsync($"/api/instances/{started.InstanceId}")).ReadAsync<InstanceDetails>()).OpenIncidents);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/incidents/{incident.IncidentId}/resolve", null)).StatusCode);
        Assert.Empty(await (await client.GetAsync($"/api/incidents?instanceId={started.InstanceId}")).ReadAsync<List<IncidentDescription>>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/incidents/{incident.IncidentId}/resolve", null)).StatusCode);
    }

    [Fact]
    public async Task ActivityCatalogue_ListsEveryTypeWithDanishNames()
    {
        var types = await (await client.GetAsync("/api/activities")).ReadAsync<List<ActivityTypeDescription>>();
        Assert.Contains(types, t => t.Type == "WaitUntil" && t.DisplayName == "Afvent frist" && t.Properties.Any(p => p.Name == "deadline" && p.Required));
        Assert.Contains(types, t => t.Type == "Join" && t.Properties.Single(p => p.Name == "mode").Values!.SequenceEqual(["WaitAll", "WaitAny", "Quorum"]));
    }

    [Theory]
    [InlineData("/api/definitions")]
    [InlineData("/api/instances")]
    [InlineData("/api/incidents")]
    [InlineData("/api/activities")]
    [InlineData("/api/calendar/holidays?year=2024")]
    [InlineData("/api/parties")]
    public async Task ApiRoutes_WithoutOrWithWrongKey_Are401(string route)
    {
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(route)).StatusCode);
        var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(route)).StatusCode);
    }

    [Fact]
    public async Task Health_IsOpen_AndOpenApiDocumentIsServedToApiClients()
    {
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        // Issue 12: every route but /health, /login and /svar needs a key or a signed-in user, the API's description too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        var openApi = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        Assert.NotNull(openApi["paths"]!["/api/instances/{instanceId}/signals/{signal}"]);
        Assert.NotNull(openApi["paths"]!["/api/definitions"]);
    }

    [Fact]
    public async Task DefinitionSchema_IsServedAndEqualsTheCommittedFile()
    {
        var served = JsonNode.Parse(await client.GetStringAsync("/api/schemas/definition"));
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Definitions.DefinitionsFolder.Path, "definition.schema.json")));
        Assert.True(JsonNode.DeepEquals(committed, served));
    }

    [Fact]
    public async Task ClockRoutes_InSystemMode_Are404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/clock")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/api/clock/advance", new { by = "P1D" })).StatusCode);
    }

    [Fact]
    public async Task OversizeDefinition_Is413()
    {
        var huge = "{\"definitionId\":\"x\",\"name\":\"" + new string('a', DefinitionsApi.MaxDocumentBytes) + "\"}";
        var response = await client.PostAsync("/api/definitions", Json(huge));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Signal_WithMalformedJsonPayload_Is400()
    {
        var response = await client.PostAsync($"/api/instances/{Guid.NewGuid()}/signals/answer", Json("{ not json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is not valid JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hearing:answer")]
    [InlineData("round:deadline")]
    public async Task Signal_AHearingsOwnSignal_IsRefused_ItWouldBypassTheAnswerChecks(string signal)
    {
        var response = await client.PostAsync($"/api/instances/{Guid.NewGuid()}/signals/{signal}", Json("""{ "partyTaskId": "x" }"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is a hearing's own signal; use the hearing endpoints", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

[Trait("Database", "Sqlite")]
public sealed class WorkflowApiTestsOnSqlite(SqliteApiFactory factory) : WorkflowApiTests(factory), IClassFixture<SqliteApiFactory>;

[Trait("Database", "PostgreSql")]
public sealed class WorkflowApiTestsOnPostgreSql(PostgreSqlApiFactory factory) : WorkflowApiTests(factory), IClassFixture<PostgreSqlApiFactory>;
