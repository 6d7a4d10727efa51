using System.Net;
using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Host.Api;
using Workflows.Tests.Support;

namespace Workflows.Tests.Api;

/// <summary>
/// The shipped standard-hearing definition through the HTTP API on the simulated clock and a real SQLite file:
/// invitations, personal links, answers registered, reminders only to the missing, overdue at the deadline.
/// </summary>
public abstract class StandardHearingApiTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected StandardHearingApiTests(TestDatabase database)
    {
        factory = new(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    private async Task<(HttpClient Client, Guid InstanceId)> StartMidtjyllandAsync()
    {
        var client = factory.CreateApiClient();
        var started = await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = JsonNode.Parse("""
                {
                  "title": "Erhvervsfremmestrategi 2020-2023", "caseNumber": "SAG-2019-05950", "sender": "KKR Midtjylland",
                  "parties": "midtjylland",
                  "deadline": { "date": "2019-10-31", "at": "12:00" },
                  "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ],
                  "material": [ { "title": "Udkast til strategi", "url": "https://www.kl.dk/udkast.pdf" } ]
                }
                """),
        })).ReadAsync<InstanceStarted>();
        return (client, started.InstanceId);
    }

    [Fact]
    public async Task StandardHearing_NineteenInvitations_AnswersThenRemindersOnlyToMissing_ThenOverdue()
    {
        var (client, id) = await StartMidtjyllandAsync();

        var details = await (await client.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Suspended", details.Status);
        Assert.Equal("Erhvervsfremmestrategi 2020-2023", details.Name);
        Assert.Equal("SAG-2019-05950", details.CorrelationId);
        Assert.Equal(19, details.Parties.Count);
        Assert.All(details.Parties, p => Assert.Equal(("Sent", Instant.FromUtc(2019, 10, 31, 11, 0)), (p.Status, p.Deadline!.Value)));

        var answered = details.Parties.Take(7).Select(p => p.PartyId).ToList();
        foreach (var partyId in answered)
        {
            var result = await (await client.PostJsonAsync($"/api/instances/{id}/parties/{partyId}/answer", partyId == answered[0] ? new { noComments = true, text = (string?)null } : new { noComments = false, text = (string?)"Ingen indvendinger." }))
                .ReadAsync<SignalResult>();
            Assert.Equal("Resumed", result.Outcome);
        }

        await client.PostJsonAsync("/api/clock/advance", new { to = "2019-10-28T08:00:00Z" });
        var reminders = await OutboxAsync("reminder");
        Assert.Equal(12, reminders.Count);
        Assert.DoesNotContain(reminders, r => answered.Contains(r.PartyId));

        var outstanding = await (await client.GetAsync("/api/outstanding?region=midtjylland")).ReadAsync<List<OutstandingTask>>();
        Assert.Equal(12, outstanding.Count(o => o.InstanceId == id));
        Assert.All(outstanding, o => Assert.False(o.Overdue));

        await client.PostJsonAsync("/api/clock/advance", new { to = "2019-10-31T11:00:00Z" });
        var after = await (await client.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        Assert.Equal("Finished", after.Status);
        Assert.Equal(12, after.Parties.Count(p => p.Status == "Overdue"));
        Assert.Equal(1, after.Parties.Count(p => p.Status == "NoComments"));
        Assert.Equal(6, after.Parties.Count(p => p.Status == "Answered"));
        Assert.Equal(7, after.Variables["result"]!["answered"]!.GetValue<int>());

        // The hearing has closed, but the twelve still owe an answer: they stay on the outstanding list, overdue.
        var overdue = (await (await client.GetAsync("/api/outstanding")).ReadAsync<List<OutstandingTask>>()).Where(o => o.InstanceId == id).ToList();
        Assert.Equal(12, overdue.Count);
        Assert.All(overdue, o => Assert.True(o.Overdue));
        Assert.Equal(details.Parties.Skip(7).Select(p => p.PartyId).Order(), overdue.Select(o => o.PartyId).Order());
    }

    [Fact]
    public async Task AnswerLink_ShowsTheHearingToItsParty_AndExpiresAfterTheHearingClosesPlusGrace()
    {
        var (client, _) = await StartMidtjyllandAsync();
        var invitation = (await OutboxAsync("invitation")).Single(m => m.PartyId == "skive");
        var anonymous = factory.CreateClient();

        var page = await anonymous.GetAsync(invitation.AnswerPath);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Skive Kommune", html, StringComparison.Ordinal);
        Assert.Contains("Senest torsdag den 31. oktober 2019 kl. 12.00", html, StringComparison.Ordinal);
        Assert.Contains("SAG-2019-05950", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.kl.dk/udkast.pdf\"", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/svar/" + new string('x', 43))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/svar/kort")).StatusCode);

        await client.PostJsonAsync("/api/clock/advance", new { to = "2019-11-15T00:00:00Z" });
        var expired = await anonymous.GetAsync(invitation.AnswerPath);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("Linket er udløbet", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtendOneKommune_ChangesOnlyItsDeadline_AndTellsIt()
    {
        var (client, id) = await StartMidtjyllandAsync();
        var changed = await client.PostJsonAsync($"/api/instances/{id}/parties/holstebro/deadline", new { deadline = new { date = "2019-11-07", at = "12:00" }, reason = "Byrådsmøde" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var details = await (await client.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        var holstebro = details.Parties.Single(p => p.PartyId == "holstebro");
        Assert.Equal(("ExtensionGranted", Instant.FromUtc(2019, 11, 7, 11, 0)), (holstebro.Status, holstebro.Deadline!.Value));
        Assert.All(details.Parties.Where(p => p.PartyId != "holstebro"), p => Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0), p.Deadline));
        Assert.Equal("holstebro", Assert.Single(await OutboxAsync("deadline-changed")).PartyId);

        var journal = await (await client.GetAsync($"/api/instances/{id}/journal")).ReadAsync<List<JournalLine>>();
        Assert.Contains(journal, j => j.Message.Contains("Fristen for Holstebro Kommune er ændret", StringComparison.Ordinal) && j.Actor == "api-key-1");

        var bad = await client.PostJsonAsync($"/api/instances/{id}/parties/holstebro/deadline", new { deadline = new { date = "2019-13-07" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync($"/api/instances/{id}/parties/atlantis/answer", new { })).StatusCode);
    }

    [Fact]
    public async Task StartWithUnknownRegion_IsRejectedBeforeAnythingIsSent()
    {
        var client = factory.CreateApiClient();
        var response = await client.PostJsonAsync("/api/instances", new { definitionId = "standard-hearing", input = new { title = "x", deadline = new { workingDays = 10 } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.input.parties", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => factory.Dispose();

    private Task<List<(string PartyId, string AnswerPath)>> OutboxAsync(string template) => AnswerPaths.OfOutboxAsync(factory.Services, template);
}

[Trait("Database", "Sqlite")]
public sealed class StandardHearingApiTestsOnSqlite() : StandardHearingApiTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class StandardHearingApiTestsOnPostgreSql() : StandardHearingApiTests(TestDatabase.PostgreSql);
