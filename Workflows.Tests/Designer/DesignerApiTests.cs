using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Host.Api;
using Workflows.Tests.Support;

namespace Workflows.Tests.Designer;

/// <summary>The API the designer uses: checking without saving, revisions and conflicts, refused publishing, the diff, the text.</summary>
public abstract class DesignerApiTests(ProcesFlowApiFactory factory)
{
    private readonly HttpClient client = factory.CreateApiClient();

    private static StringContent Json(JsonNode json) => new(json.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>Start → Send i høring → Afslut; the hearing's DeadlinePassed port leads nowhere unless <paramref name="complete"/>.</summary>
    internal static JsonObject Flow(string id, bool complete, int workingDays = 15)
    {
        var connections = new JsonArray
        {
            Connection("start", "Done", "hearing"),
            Connection("hearing", "AllAnswered", "end"),
        };
        if (complete)
        {
            connections.Add(Connection("hearing", "DeadlinePassed", "end"));
        }
        return new JsonObject
        {
            ["definitionId"] = id,
            ["name"] = "Høring til test",
            ["root"] = new JsonObject
            {
                ["type"] = "Flowchart",
                ["activities"] = new JsonArray
                {
                    Activity("start", "Start", null, 0),
                    Activity("hearing", "Hearing", "Send i høring", 260, new JsonObject
                    {
                        ["title"] = "Høring om rammeaftale",
                        ["parties"] = "sjaelland",
                        ["deadline"] = new JsonObject { ["workingDays"] = workingDays, ["at"] = "12:00" },
                        ["reminders"] = JsonNode.Parse("""[ { "workingDaysBefore": 3, "at": "09:00" } ]"""),
                    }),
                    Activity("end", "Finish", "Slut", 520),
                },
                ["connections"] = connections,
                ["metadata"] = JsonNode.Parse("""{ "designer": { "notes": [ { "id": "note", "text": "Husk KKR-mødet", "x": 0, "y": -160 } ] } }"""),
            },
        };

        static JsonObject Activity(string id, string type, string? name, int x, JsonObject? properties = null)
        {
            var activity = new JsonObject { ["id"] = id, ["type"] = type };
            if (name is not null)
            {
                activity["name"] = name;
            }
            foreach (var (key, value) in properties ?? [])
            {
                activity[key] = value?.DeepClone();
            }
            activity["metadata"] = new JsonObject { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = x, ["y"] = 0 } } };
            return activity;
        }

        static JsonObject Connection(string from, string port, string to) =>
            new() { ["source"] = new JsonObject { ["activity"] = from, ["port"] = port }, ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" } };
    }

    [Fact]
    public async Task Validate_DanglingPort_200WithTheDanishProblemOnItsNode_AndNothingIsSaved()
    {
        var response = await client.PostAsync("/api/definitions/validate", Json(Flow("validate-dangling", complete: false)));
        var result = await response.ReadAsync<DesignCheckResponse>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(result.CanPublish);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(new DesignProblemResponse("$.root.activities[1]", "hearing", "Udgangen »Fristen er udløbet« er ikke forbundet til nogen aktivitet.", "error"), problem);
        Assert.Equal(["AllAnswered", "DeadlinePassed"], result.Ports["hearing"]);
        Assert.Equal(["Done"], result.Ports["start"]);
        Assert.Empty(result.Ports["end"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/definitions/validate-dangling")).StatusCode);
    }

    [Fact]
    public async Task Validate_ParserErrors_400WithTheSameErrorsAsSaving_PlusProblemsAndPorts()
    {
        var flow = Flow("validate-broken", complete: true);
        flow["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "hearing", "port": "AllAnswered" }, "target": { "activity": "nowhere", "port": "In" } }"""));
        var validate = await client.PostAsync("/api/definitions/validate", Json(flow));
        var save = await client.PostAsync("/api/definitions", Json(flow));
        Assert.Equal(HttpStatusCode.BadRequest, validate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, save.StatusCode);
        var validated = JsonNode.Parse(await validate.Content.ReadAsStringAsync())!.AsObject();
        var saved = JsonNode.Parse(await save.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(JsonNode.DeepEquals(saved["errors"], validated["errors"]), $"{saved["errors"]} vs {validated["errors"]}");
        Assert.Equal("$.root.connections[3].target.activity", Assert.Single(validated["errors"]!.AsObject()).Key);
        Assert.Equal("'nowhere' is not the id of any activity", (string?)validated["errors"]!["$.root.connections[3].target.activity"]![0]);
        var problem = Assert.Single(validated["problems"]!.AsArray());
        Assert.Equal("hearing", (string?)problem!["activityId"]);
        Assert.Equal("Forbindelsen fører til »nowhere«, som ikke findes.", (string?)problem["message"]);
        Assert.Equal("""["AllAnswered","DeadlinePassed"]""", validated["ports"]!["hearing"]!.ToJsonString());
    }

    [Fact]
    public async Task StrictPublish_RefusedWhileAPortLeadsNowhere_ThenAllowedOnceConnected()
    {
        await (await client.PostAsync("/api/definitions", Json(Flow("publish-checked", complete: false)))).ReadAsync<DefinitionSaved>();
        var refused = await client.PostAsync("/api/definitions/publish-checked/publish?strict=true", null);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("$.root.activities[1]", Assert.Single(body["errors"]!.AsObject()).Key);
        Assert.Equal("Udgangen »Fristen er udløbet« er ikke forbundet til nogen aktivitet.", (string?)Assert.Single(body["errors"]!["$.root.activities[1]"]!.AsArray()));
        var versions = await (await client.GetAsync("/api/definitions/publish-checked/versions")).ReadAsync<List<DefinitionVersionSummary>>();
        Assert.False(Assert.Single(versions).IsPublished);

        await (await client.PostAsync("/api/definitions", Json(Flow("publish-checked", complete: true)))).ReadAsync<DefinitionSaved>();
        var published = await (await client.PostAsync("/api/definitions/publish-checked/publish?strict=true", null)).ReadAsync<DefinitionSaved>();
        Assert.Equal(new DefinitionSaved("publish-checked", 1), published);
    }

    [Fact]
    public async Task PlainPublish_KeepsWorkingForAFlowWhosePortEndsTheBranch()
    {
        // API clients publish flows where a port simply ends its branch; the engine runs them.
        await (await client.PostAsync("/api/definitions", Json(Flow("publish-plain", complete: false)))).ReadAsync<DefinitionSaved>();
        var published = await (await client.PostAsync("/api/definitions/publish-plain/publish", null)).ReadAsync<DefinitionSaved>();
        Assert.Equal(new DefinitionSaved("publish-plain", 1), published);
    }

    [Fact]
    public async Task ConcurrentEditsOfOneDraft_TheSecondSaveIsAConflict_NeverASilentOverwrite()
    {
        var created = await SaveAsync(Flow("two-editors", complete: true), "new");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var opened = await client.GetAsync("/api/definitions/two-editors");
        var revision = opened.Headers.ETag!.Tag;
        Assert.Equal(created.Headers.ETag!.Tag, revision);

        // Two people opened revision r; the first saves (a new revision), the second is refused.
        var first = await SaveAsync(Flow("two-editors", complete: true, workingDays: 20), revision.Trim('"'));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.NotEqual(revision, first.Headers.ETag!.Tag);
        var second = await SaveAsync(Flow("two-editors", complete: true, workingDays: 25), revision.Trim('"'));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        var stored = await (await client.GetAsync("/api/definitions/two-editors")).ReadAsync<DefinitionDocument>();
        Assert.Equal(1, stored.Version);
        Assert.Equal(20, (int)stored.Definition["root"]!["activities"]![1]!["deadline"]!["workingDays"]!);

        // "new" means "must not exist yet"; a save without If-Match keeps the old behaviour (last one wins).
        Assert.Equal(HttpStatusCode.Conflict, (await SaveAsync(Flow("two-editors", complete: true), "new")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SaveAsync(Flow("two-editors", complete: true, workingDays: 30), null)).StatusCode);
    }

    [Fact]
    public async Task Diff_TwoVersions_PlainDanish()
    {
        await (await client.PostAsync("/api/definitions", Json(Flow("diff-api", complete: true)))).ReadAsync<DefinitionSaved>();
        await (await client.PostAsync("/api/definitions/diff-api/publish", null)).ReadAsync<DefinitionSaved>();
        var changed = Flow("diff-api", complete: true, workingDays: 20);
        var activities = changed["root"]!["activities"]!.AsArray();
        activities[1]!["metadata"]!["designer"]!["position"]!["x"] = 300;
        activities.Add(JsonNode.Parse("""{ "id": "reminder", "type": "SendEmail", "name": "Påmindelse", "to": "kkr@example.dk", "subject": "Husk", "body": "Husk at svare." }"""));
        changed["root"]!["connections"]!.AsArray().RemoveAt(2);
        changed["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "hearing", "port": "DeadlinePassed" }, "target": { "activity": "reminder" } }"""));
        changed["root"]!["connections"]!.AsArray().Add(JsonNode.Parse("""{ "source": { "activity": "reminder", "port": "Done" }, "target": { "activity": "end" } }"""));
        await (await client.PostAsync("/api/definitions", Json(changed))).ReadAsync<DefinitionSaved>();

        var diff = await (await client.GetAsync("/api/definitions/diff-api/diff?from=1&to=2")).ReadAsync<DefinitionDiffResponse>();
        Assert.Equal(
            [
                new DefinitionChangeResponse("added", "reminder", "Aktivitet tilføjet: Påmindelse"),
                new DefinitionChangeResponse("changed", "hearing", "Send i høring – Frist: 15 → 20 arbejdsdage"),
                new DefinitionChangeResponse("connected", "hearing", "Forbindelse tilføjet: Send i høring (Fristen er udløbet) → Påmindelse"),
                new DefinitionChangeResponse("connected", "reminder", "Forbindelse tilføjet: Påmindelse (Færdig) → Slut"),
                new DefinitionChangeResponse("disconnected", "hearing", "Forbindelse fjernet: Send i høring (Fristen er udløbet) → Slut"),
            ],
            diff.Changes);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/definitions/diff-api/diff?from=1&to=9")).StatusCode);
    }

    [Fact]
    public async Task Text_DescribesTheFlowInDanish_StepByStep()
    {
        await (await client.PostAsync("/api/definitions", Json(Flow("text-api", complete: true)))).ReadAsync<DefinitionSaved>();
        var text = await (await client.GetAsync("/api/definitions/text-api/text")).ReadAsync<DefinitionTextResponse>();
        Assert.Equal(
            [
                "Forløbet »Høring til test«:",
                "1. Forløbet starter. Derefter trin 2.",
                "2. Send i høring: sendes i høring til de 17 kommuner i Region Sjælland med frist 15 arbejdsdage efter afsendelse kl. 12.00; påmindelse 3 arbejdsdage før fristen kl. 9.00. Ved »Alle har svaret«: trin 3. Ved »Fristen er udløbet«: trin 3.",
                "3. Forløbet slutter: Slut.",
            ],
            text.Lines);
    }

    [Fact]
    public async Task Restore_AnEarlierVersion_BecomesTheNewestVersion()
    {
        await (await client.PostAsync("/api/definitions", Json(Flow("restore-api", complete: true)))).ReadAsync<DefinitionSaved>();
        await (await client.PostAsync("/api/definitions/restore-api/publish", null)).ReadAsync<DefinitionSaved>();
        await (await client.PostAsync("/api/definitions", Json(Flow("restore-api", complete: true, workingDays: 20)))).ReadAsync<DefinitionSaved>();
        await (await client.PostAsync("/api/definitions/restore-api/publish", null)).ReadAsync<DefinitionSaved>();

        var restored = await (await client.PostAsync("/api/definitions/restore-api/versions/1/restore", null)).ReadAsync<DefinitionSaved>();
        Assert.Equal(new DefinitionSaved("restore-api", 3), restored);
        var latest = await (await client.GetAsync("/api/definitions/restore-api")).ReadAsync<DefinitionDocument>();
        Assert.Equal(15, (int)latest.Definition["root"]!["activities"]![1]!["deadline"]!["workingDays"]!);
        Assert.False(latest.IsPublished);
    }

    [Fact]
    public async Task Activities_CarryTheirDefaultPorts()
    {
        var types = await (await client.GetAsync("/api/activities")).ReadAsync<List<ActivityTypeDescription>>();
        Assert.Equal(["AllAnswered", "DeadlinePassed"], types.Single(t => t.Type == "Hearing").Ports);
        Assert.Equal(["True", "False"], types.Single(t => t.Type == "If").Ports);
        Assert.Empty(types.Single(t => t.Type == "Finish").Ports);
    }

    private async Task<HttpResponseMessage> SaveAsync(JsonObject document, string? revision)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/definitions") { Content = Json(document) };
        if (revision is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{revision}\""));
        }
        return await client.SendAsync(request);
    }
}

[Trait("Database", "Sqlite")]
public sealed class DesignerApiTestsOnSqlite(SqliteApiFactory factory) : DesignerApiTests(factory), IClassFixture<SqliteApiFactory>;

[Trait("Database", "PostgreSql")]
public sealed class DesignerApiTestsOnPostgreSql(PostgreSqlApiFactory factory) : DesignerApiTests(factory), IClassFixture<PostgreSqlApiFactory>;
