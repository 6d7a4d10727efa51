using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Api;

/// <summary>
/// A start request for the shipped standard-hearing with a bad deadline, unknown parties or a deadline that has passed,
/// on the real host and a real SQLite file: 400 problem details keyed by the JSON path of each problem, and nothing is
/// sent: no instance, no outbox row, no mail in the pickup folder.
/// </summary>
public abstract class StartInputApiTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected StartInputApiTests(TestDatabase database)
    {
        factory = new(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    private static JsonObject Input(string parties, string deadline) => JsonNode.Parse($$"""
        {
          "title": "Erhvervsfremmestrategi 2020-2023", "caseNumber": "SAG-2019-05950",
          "parties": {{parties}},
          "deadline": {{deadline}},
          "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ],
          "material": [ { "title": "Udkast til strategi", "url": "https://www.example.dk/udkast.pdf" } ]
        }
        """)!.AsObject();

    [Theory]
    [InlineData("\"midtjylland\"", """{ "date": "2026-02-30", "at": "12:00" }""",
        """{ "$.input.deadline.date": [ "Skal være en dato \"YYYY-MM-DD\" mellem år 1700 og 9998, fx \"2019-10-31\"." ] }""")]
    [InlineData("\"midtjylland\"", """{ "workingDays": "ti" }""",
        """{ "$.input.deadline.workingDays": [ "Skal være et helt tal fra 0 til 3650." ] }""")]
    [InlineData("\"midtjylland\"", """{ "date": "2019-09-30", "at": "12:00" }""",
        """{ "$.input.deadline": [ "mandag den 30. september 2019 kl. 12.00 has already passed" ] }""")]
    [InlineData("""["koebenhavn", "nope"]""", """{ "date": "2019-10-31", "at": "12:00" }""",
        """{ "$.input.parties[1]": [ "Unknown party, group or region 'nope'." ] }""")]
    [InlineData("""["koebenhavn", "nope"]""", """{ "workingDays": 10, "at": "24:00" }""",
        """{ "$.input.parties[1]": [ "Unknown party, group or region 'nope'." ], "$.input.deadline.at": [ "Skal være et klokkeslæt \"HH:mm\" (24 timer), fx \"12:00\"." ] }""")]
    public async Task StartStandardHearing_BadDeadlineOrParties_Is400KeyedByJsonPath_AndNothingIsSent(string parties, string deadline, string expectedErrors)
    {
        var client = factory.CreateApiClient();
        var before = await InstanceCountAsync(client);

        var response = await client.PostJsonAsync("/api/instances", new { definitionId = "standard-hearing", input = Input(parties, deadline) });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedErrors), JsonNode.Parse(body)!["errors"]), body);
        Assert.Equal(before, await InstanceCountAsync(client));
        Assert.Equal(0, await OutboxCountAsync());
        Assert.Empty(MailFiles());
    }

    [Fact]
    public async Task StartStandardHearing_AfterRefusedRequests_AValidOneIsSent()
    {
        // The control for the test above: the same request with good values creates the instance and its 19 mails,
        // so "nothing is sent" there is measured where sending would show.
        var client = factory.CreateApiClient();
        var refused = await client.PostJsonAsync("/api/instances", new { definitionId = "standard-hearing", input = Input("\"midtjylland\"", """{ "workingDays": "ti" }""") });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var started = await (await client.PostJsonAsync("/api/instances", new { definitionId = "standard-hearing", input = Input("\"midtjylland\"", """{ "workingDays": 10, "at": "12:00" }""") }))
            .ReadAsync<InstanceStarted>();

        Assert.Equal("Suspended", started.Status);
        Assert.Equal(1, await InstanceCountAsync(client));
        Assert.Equal(19, await OutboxCountAsync());
    }

    public void Dispose() => factory.Dispose();

    private static async Task<int> InstanceCountAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/instances")).ReadAsync<List<InstanceSummary>>()).Count;

    private async Task<int> OutboxCountAsync()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        return await db.Outbox.CountAsync();
    }

    private string[] MailFiles()
    {
        var pickup = Path.Combine(factory.Folder, "mail-outbox");
        return Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml") : [];
    }
}

[Trait("Database", "Sqlite")]
public sealed class StartInputApiTestsOnSqlite() : StartInputApiTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class StartInputApiTestsOnPostgreSql() : StartInputApiTests(TestDatabase.PostgreSql);
