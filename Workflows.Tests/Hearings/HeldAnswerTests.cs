using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Hearings;

/// <summary>
/// An answer the hearing cannot take is kept for staff, never deleted, and the kommune is told the truth. Real host,
/// SQLite file, the answer page with its form token.
/// </summary>
public abstract class HeldAnswerTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected HeldAnswerTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    [Fact]
    public async Task AnswerToAFaultedInstance_IsKeptAndListedForStaff_NotCounted_AndTheKommuneIsTold()
    {
        var api = factory.CreateApiClient();
        // A parallel branch fails (an unknown party), so the instance stops with an error while the hearing still waits.
        const string definition = """
            {
              "definitionId": "faulted", "name": "Høring med fejl i en gren",
              "root": {
                "activities": [
                  { "id": "start", "type": "Start" },
                  { "id": "fork", "type": "Fork", "branches": ["hearing", "broken"] },
                  { "id": "hearing", "type": "Hearing", "title": "Sundhedsaftale", "parties": ["aarhus", "skive"], "deadline": { "workingDays": 10, "at": "12:00" } },
                  { "id": "broken", "type": "Hearing", "title": "Ekstra runde", "parties": ["ingen-saadan-part"], "deadline": { "workingDays": 10, "at": "12:00" } },
                  { "id": "done", "type": "Finish" }
                ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "fork" } },
                  { "source": { "activity": "fork", "port": "hearing" }, "target": { "activity": "hearing" } },
                  { "source": { "activity": "fork", "port": "broken" }, "target": { "activity": "broken" } },
                  { "source": { "activity": "hearing", "port": "AllAnswered" }, "target": { "activity": "done" } },
                  { "source": { "activity": "hearing", "port": "DeadlinePassed" }, "target": { "activity": "done" } },
                  { "source": { "activity": "broken", "port": "AllAnswered" }, "target": { "activity": "done" } },
                  { "source": { "activity": "broken", "port": "DeadlinePassed" }, "target": { "activity": "done" } }
                ]
              }
            }
            """;
        var id = await HearingFlows.PublishAndStartAsync(api, "faulted", definition);
        Assert.Equal("Faulted", (await (await api.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>()).Status);
        var link = Assert.Single(await AnswerPaths.OfOutboxAsync(factory.Services, "invitation", id), l => l.PartyId == "aarhus").AnswerPath;

        var browser = factory.CreateClient();
        var page = await browser.GetStringAsync(link);
        var post = await browser.PostAsync(link, new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", StaffSession.Token(page)),
            new("text", "Aarhus Kommune støtter aftalen."),
        ]));

        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        var html = WebUtility.HtmlDecode(await post.Content.ReadAsStringAsync());
        Assert.Contains("ikke talt med i høringen. Svaret er gemt, og sekretariatet har fået besked om det.", html, StringComparison.Ordinal);

        var held = Assert.Single(await (await api.GetAsync("/api/answers/held")).ReadAsync<List<HeldAnswerDescription>>());
        Assert.Equal((id, "aarhus", "Faulted", "Aarhus Kommune støtter aftalen."), (held.InstanceId, held.PartyId, held.Reason, held.Text));
        var answers = await (await api.GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>();
        Assert.Equal(("Faulted", false), (Assert.Single(answers).HeldReason, answers[0].IsCurrent));
        // Not counted: the party still waits, and no receipt claims otherwise.
        Assert.Equal("Sent", (await (await api.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>()).Parties.Single(p => p.PartyId == "aarhus").Status);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Outbox.Where(o => o.InstanceId == id && o.Template == "receipt").ToListAsync());

        // Staff see it on the party's page, with why it was not counted.
        var staff = await StaffSession.SignedInAsync(factory);
        Assert.Contains("Svar til behandling (ikke talt med: forløbet var standset med en fejl)", WebUtility.HtmlDecode(await staff.GetStringAsync($"/hoeringer/{id}/parter/aarhus")), StringComparison.Ordinal);

        // And on the hearing's page, until someone has dealt with it; then it leaves the list, and is still kept.
        var hearingPage = await staff.GetStringAsync($"/hoeringer/{id}");
        Assert.Contains("<h2>Svar til behandling</h2>", hearingPage, StringComparison.Ordinal);
        var handled = await staff.PostAsync($"/hoeringer/{id}/svar/{held.AnswerId}/behandlet", new FormUrlEncodedContent([new("__RequestVerificationToken", StaffSession.Token(hearingPage))]));
        Assert.Equal(HttpStatusCode.Redirect, handled.StatusCode);
        Assert.Empty(await (await api.GetAsync("/api/answers/held")).ReadAsync<List<HeldAnswerDescription>>());
        Assert.DoesNotContain("<h2>Svar til behandling</h2>", await staff.GetStringAsync($"/hoeringer/{id}"), StringComparison.Ordinal);
        Assert.Single(await (await api.GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/answers/{held.AnswerId}/handled", null)).StatusCode);
    }

    public void Dispose() => factory.Dispose();
}

[Trait("Database", "Sqlite")]
public sealed class HeldAnswerTestsOnSqlite() : HeldAnswerTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class HeldAnswerTestsOnPostgreSql() : HeldAnswerTests(TestDatabase.PostgreSql);
