using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Tests.Support;

namespace Workflows.Tests.Api;

/// <summary>
/// 100 broken definition documents, made by seeded mutations of a valid one: every one must be answered 400
/// with errors keyed by JSON path; none may be a 500 or be accepted.
/// </summary>
public abstract class MalformedDefinitionTests(ProcesFlowApiFactory factory)
{
    private const string Valid = """
        {
          "definitionId": "fuzz",
          "name": "Høring med påmindelse",
          "inputs": [ { "name": "title", "type": "string", "required": true } ],
          "variables": [ { "name": "answered", "value": 0 } ],
          "root": {
            "type": "Flowchart",
            "activities": [
              { "id": "start", "type": "Start", "metadata": { "designer": { "position": { "x": 0, "y": 0 } } } },
              { "id": "fork", "type": "Fork", "branches": ["answer", "remind"] },
              { "id": "answer", "type": "WaitForSignal", "signal": "answer" },
              { "id": "remind", "type": "Delay", "duration": "P7D" },
              { "id": "mail", "type": "SendEmail", "to": "postkasse@aarhus.kommune.example", "subject": "Påmindelse: {{ input.title }}", "body": "Husk at svare." },
              { "id": "join", "type": "Join", "mode": "WaitAll" },
              { "id": "check", "type": "If", "condition": "variables.answered >= 1" },
              { "id": "deadline", "type": "WaitUntil", "deadline": { "workingDays": 10, "at": "12:00" } },
              { "id": "end", "type": "Finish" }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "fork", "port": "In" } },
              { "source": { "activity": "fork", "port": "answer" }, "target": { "activity": "answer", "port": "In" } },
              { "source": { "activity": "fork", "port": "remind" }, "target": { "activity": "remind", "port": "In" } },
              { "source": { "activity": "remind", "port": "Done" }, "target": { "activity": "mail", "port": "In" } },
              { "source": { "activity": "answer", "port": "Done" }, "target": { "activity": "join", "port": "In" } },
              { "source": { "activity": "mail", "port": "Done" }, "target": { "activity": "join", "port": "In" } },
              { "source": { "activity": "join", "port": "Done" }, "target": { "activity": "check", "port": "In" } },
              { "source": { "activity": "check", "port": "True" }, "target": { "activity": "end", "port": "In" } },
              { "source": { "activity": "check", "port": "False" }, "target": { "activity": "deadline", "port": "In" } },
              { "source": { "activity": "deadline", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
            ]
          }
        }
        """;

    private static readonly JsonNode?[] WrongValues = [42, true, null, JsonNode.Parse("[]"), JsonNode.Parse("{}"), "", JsonNode.Parse("[1, {}]")];

    /// <summary>Mutations that each make the document invalid, whatever the random choices.</summary>
    private static readonly Func<Random, string>[] Mutations =
    [
        random => Valid[..random.Next(1, Valid.Length - 2)],
        random => Mutate(d => d[Pick(random, "definitionId", "name")] = Wrong(random, allowString: false)),
        random => Mutate(d => d.Remove(Pick(random, "definitionId", "name", "root"))),
        random => Mutate(d => Activity(d, random)["id"] = Wrong(random, allowString: false)),
        random => Mutate(d => Activity(d, random)["type"] = Pick(random, "Strat", "Dealy", "Send", "", "start", "Hearing2")),
        random => Mutate(d => Activity(d, random)[Pick(random, "typo", "durtion", "conditon", "x")] = 1),
        random => Mutate(d => Connection(d, random)["target"]!["activity"] = Pick(random, "nowhere", "Start", "", "END")),
        random => Mutate(d => Connection(d, random)["source"]!["port"] = Pick(random, "Yes", "done", "True2")),
        random => Mutate(d => Connection(d, random)[Pick(random, "source", "target")] = Wrong(random, allowString: true)),
        random => Mutate(d => d["root"]![Pick(random, "activities", "connections")] = Wrong(random, allowString: true, allowEmptyList: false)),
        random => Mutate(d => Activities(d)[random.Next(1, 9)]!["id"] = "start"),
        random => Mutate(d => Activities(d).First(a => a!["id"]!.GetValue<string>() == "remind")!["duration"] = Pick(random, "7 dage", "P-1D", "PT0S", "soon")),
        random => Mutate(d => Activities(d).First(a => a!["id"]!.GetValue<string>() == "check")!["condition"] = Pick(random, "variables.answered >=", "x == 1", "variables.nope > 1", "(((")),
        random => Mutate(d => Activities(d).First(a => a!["id"]!.GetValue<string>() == "deadline")!["deadline"] = JsonNode.Parse(Pick(random, """{ "workingDays": "ti" }""", """{ "date": "2019-02-30" }""", """{ "at": "25:00", "days": 3 }""", "{}"))),
        random => Mutate(d => Activities(d).First(a => a!["id"]!.GetValue<string>() == "join")!["mode"] = Pick(random, "All", "Quorum", "waitall")),
        random => Mutate(d => Activities(d).First(a => a!["id"]!.GetValue<string>() == "mail")!["subject"] = Pick(random, "{% if %}", "{{ input.title ")),
        random => Mutate(d => Connections(d).Add(JsonNode.Parse("""{ "source": { "activity": "end", "port": "Done" }, "target": { "activity": "start", "port": "In" } }"""))),
        random => Mutate(d => Connections(d).RemoveAt(random.Next(0, 4))),
        random => Mutate(d => d["inputs"]![0]!["type"] = Pick(random, "text", "int", "")),
        random => Mutate(d => Activity(d, random)["metadata"] = JsonNode.Parse(Pick(random, """{ "designer": { "position": { "x": "0" } } }""", "[]", "7", """{ "designer": 5 }""", """{ "designer": { "position": 3 } }""", """{ "designer": { "position": [1] } }"""))),
        random => "{" + new string('[', random.Next(65, 400)),
        random => Pick(random, "", " ", "null", "[]", "\"text\"", "{,}", "{\"definitionId\":}"),
    ];

    [Fact]
    public async Task HundredBrokenDocuments_AreEachAnswered400WithPathKeyedErrors_NeverA500()
    {
        var client = factory.CreateApiClient();
        var random = new Random(20261123);
        var failures = new List<string>();

        for (var i = 0; i < 100; i++)
        {
            var document = Mutations[i % Mutations.Length](random);
            var response = await client.PostAsync("/api/definitions", new StringContent(document, Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"#{i}: {(int)response.StatusCode} for {Shorten(document)}\n{body}");
                continue;
            }
            var errors = JsonNode.Parse(body)?["errors"] as JsonObject;
            if (errors is null || errors.Count == 0 || errors.Any(e => !e.Key.StartsWith('$')))
            {
                failures.Add($"#{i}: errors not keyed by JSON path: {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static string Mutate(Action<JsonObject> change)
    {
        var document = JsonNode.Parse(Valid)!.AsObject();
        change(document);
        return document.ToJsonString();
    }

    private static JsonArray Activities(JsonObject d) => d["root"]!["activities"]!.AsArray();

    private static JsonArray Connections(JsonObject d) => d["root"]!["connections"]!.AsArray();

    private static JsonObject Activity(JsonObject d, Random random) => Activities(d)[random.Next(Activities(d).Count)]!.AsObject();

    private static JsonObject Connection(JsonObject d, Random random) => Connections(d)[random.Next(Connections(d).Count)]!.AsObject();

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];

    private static JsonNode? Wrong(Random random, bool allowString, bool allowEmptyList = true)
    {
        var choices = WrongValues.Where(v => (allowString || v is not JsonValue s || s.GetValueKind() != System.Text.Json.JsonValueKind.String)
            && (allowEmptyList || v is not JsonArray { Count: 0 })).ToArray();
        return choices[random.Next(choices.Length)]?.DeepClone();
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

[Trait("Database", "Sqlite")]
public sealed class MalformedDefinitionTestsOnSqlite(SqliteApiFactory factory) : MalformedDefinitionTests(factory), IClassFixture<SqliteApiFactory>;

[Trait("Database", "PostgreSql")]
public sealed class MalformedDefinitionTestsOnPostgreSql(PostgreSqlApiFactory factory) : MalformedDefinitionTests(factory), IClassFixture<PostgreSqlApiFactory>;
