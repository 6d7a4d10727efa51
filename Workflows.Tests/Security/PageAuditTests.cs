using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Host.Security;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>The hearing pages' actions are in the audit trail with their actor, and with before and after like the API's.</summary>
public abstract class PageAuditTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected PageAuditTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<Guid> StartAsync() =>
        (await (await factory.CreateApiClient().PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Praksisplan", caseNumber = "SAG-1", parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;

    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string page, string action, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new StringContent(StaffSession.Token(await browser.GetStringAsync(page))), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return await browser.PostAsync(action, form);
    }

    [Fact]
    public async Task ADeadlineChangedOnThePartyPage_IsRecordedWithBeforeAndAfter()
    {
        var id = await StartAsync();
        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var party = $"/hoeringer/{id}/parter/aarhus";
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(secretariat, party, $"{party}/frist", ("dato", "2019-11-07"), ("tid", "12:00"))).StatusCode);

        var line = await SecuritySupport.SingleAsync(factory, "ChangePartyDeadline");
        Assert.Equal(
            (SecuritySupport.EmailOf(StaffRoles.Secretariat), $"instanceId={id}, partyId=aarhus", "2019-10-31T11:00:00Z", """{"date":"2019-11-07","at":"12:00"}"""),
            (line.Actor, line.Target, line.Before, line.After));
    }

    [Fact]
    public async Task AnAnswerRegisteredAndReplacedOnThePartyPage_AreRecordedWithBeforeAndAfter()
    {
        var id = await StartAsync();
        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var party = $"/hoeringer/{id}/parter/skive";
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(secretariat, party, $"{party}/svar", ("tekst", "Modtaget på papir"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(secretariat, party, $"{party}/svar", ("tekst", "Rettet svar, modtaget på papir"))).StatusCode);

        List<Guid> answers;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync())
        {
            answers = await db.Answers.Where(a => a.InstanceId == id).OrderBy(a => a.ReceivedAt).ThenBy(a => a.Id).Select(a => a.Id).ToListAsync();
        }
        Assert.Equal(2, answers.Count);
        var registered = await SecuritySupport.SingleAsync(factory, "RegisterAnswer");
        Assert.Equal(
            (SecuritySupport.EmailOf(StaffRoles.Secretariat), $"instanceId={id}, partyId=skive", "ubesvaret", $"answerId={answers[0]}"),
            (registered.Actor, registered.Target, registered.Before, registered.After));
        // The simulated clock stands still at 1 October 2019 10.00 (08.00 UTC).
        var replaced = await SecuritySupport.SingleAsync(factory, "AnswerReplaced");
        Assert.Equal(
            (SecuritySupport.EmailOf(StaffRoles.Secretariat), $"instanceId={id}, partyId=skive", "besvaret 2019-10-01T08:00:00Z", $"answerId={answers[1]}, erstatter det tidligere svar"),
            (replaced.Actor, replaced.Target, replaced.Before, replaced.After));
    }

    [Fact]
    public async Task ADecisionRecordedOnTheHearingPage_IsRecordedWithBeforeAndAfter()
    {
        var id = await SecuritySupport.WaitingForTheStyregruppeAsync(factory);
        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var response = await PostAsync(secretariat, $"/hoeringer/{id}", $"/hoeringer/{id}/beslutninger/styregruppe", ("udfald", "discussed"), ("bemaerkning", "Ingen bemærkninger til kapitlet."));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var line = await SecuritySupport.SingleAsync(factory, "PageRecordDecision");
        Assert.Equal(
            (SecuritySupport.EmailOf(StaffRoles.Secretariat), $"instanceId={id}, activityId=styregruppe", "venter på beslutning (discussed, postponed)", "discussed: Ingen bemærkninger til kapitlet."),
            (line.Actor, line.Target, line.Before, line.After));
    }
}

public sealed class PageAuditTestsOnSqlite() : PageAuditTests(TestDatabase.Sqlite);

public sealed class PageAuditTestsOnPostgreSql() : PageAuditTests(TestDatabase.PostgreSql);
