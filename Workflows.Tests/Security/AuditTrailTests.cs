using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Api;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Persistence;
using Workflows.Host.Security;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>
/// Every kind of action issue 12 names lands in the audit trail with the right actor (a signed-in user's e-mail, an API
/// key's name, a party, or the e-mail typed at a failed sign-in), the time of the host's clock, and the address.
/// </summary>
public abstract partial class AuditTrailTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    private readonly TestDatabase database;

    protected AuditTrailTests(TestDatabase database)
    {
        this.database = database;
        factory = new(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    public void Dispose() => factory.Dispose();

    private static readonly string Definition = HearingFlows.OneHearing("audit-flow", """
        "parties": ["aarhus", "skive"], "deadline": { "date": "2019-10-31", "at": "12:00" }
        """);

    private static async Task<Guid> StartAsync(HttpClient client) =>
        (await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Praksisplan", caseNumber = "SAG-1", parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;

    private async Task<string> LinkAsync(Guid instanceId, string partyId) =>
        (await AnswerPaths.OfOutboxAsync(factory.Services, "invitation", instanceId)).Single(l => l.PartyId == partyId).AnswerPath;

    private static async Task<HttpResponseMessage> PostPartyFormAsync(HttpClient browser, string link, string path, params (string Name, string Value)[] fields)
    {
        var page = await browser.GetStringAsync(link);
        var form = new MultipartFormDataContent { { new StringContent(StaffSession.Token(page)), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return await browser.PostAsync(link + path, form);
    }

    [Fact]
    public async Task DefinitionSaved_IsRecordedWithTheKeysName()
    {
        var (key, name) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.ProcessOwner);
        Assert.Equal(HttpStatusCode.Created, (await key.PostAsync("/api/definitions", new StringContent(Definition, Encoding.UTF8, "application/json"))).StatusCode);
        var line = await SecuritySupport.SingleAsync(factory, "SaveDefinitionDraft");
        Assert.Equal($"api-key:{name}", line.Actor);
        Assert.Equal("definitionId=audit-flow", line.Target);
        Assert.Equal("version 1", line.After);
        Assert.Equal(NodaTime.Instant.FromUtc(2019, 10, 1, 8, 0), line.At);
    }

    [Fact]
    public async Task DefinitionPublished_IsRecordedWithTheSignedInUser()
    {
        var owner = await SecuritySupport.SignedInAsync(factory, StaffRoles.ProcessOwner);
        await factory.CreateApiClient().PostAsync("/api/definitions", new StringContent(Definition, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsync("/api/definitions/audit-flow/publish", null)).StatusCode);
        var line = await SecuritySupport.SingleAsync(factory, "PublishDefinition");
        Assert.Equal(SecuritySupport.EmailOf(StaffRoles.ProcessOwner), line.Actor);
        Assert.Equal("definitionId=audit-flow", line.Target);
    }

    [Fact]
    public async Task HearingStartedAndCancelled_AreRecordedWithTheirActors()
    {
        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var id = await StartAsync(secretariat);
        var (owner, ownerKey) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.ProcessOwner);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostJsonAsync($"/api/instances/{id}/cancel", new { reason = "Trukket tilbage" })).StatusCode);

        var started = await SecuritySupport.SingleAsync(factory, "StartInstance");
        Assert.Equal(SecuritySupport.EmailOf(StaffRoles.Secretariat), started.Actor);
        Assert.Equal($"instanceId={id}", started.Target);
        var cancelled = await SecuritySupport.SingleAsync(factory, "CancelInstance");
        Assert.Equal($"api-key:{ownerKey}", cancelled.Actor);
        Assert.Equal($"instanceId={id}", cancelled.Target);
    }

    [Fact]
    public async Task DeadlineChanged_IsRecordedWithBeforeAndAfter()
    {
        var id = await StartAsync(factory.CreateApiClient());
        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        Assert.Equal(HttpStatusCode.OK, (await secretariat.PostJsonAsync($"/api/instances/{id}/parties/aarhus/deadline", new { deadline = new { date = "2019-11-07", at = "12:00" } })).StatusCode);
        var line = await SecuritySupport.SingleAsync(factory, "ChangePartyDeadline");
        Assert.Equal(SecuritySupport.EmailOf(StaffRoles.Secretariat), line.Actor);
        Assert.Equal($"instanceId={id}, partyId=aarhus", line.Target);
        Assert.Equal("2019-10-31T11:00:00Z", line.Before);
        Assert.Equal("""{"date":"2019-11-07","at":"12:00"}""", line.After);
    }

    [Fact]
    public async Task AnswerRegisteredByStaff_IsRecordedWithTheUser()
    {
        var id = await StartAsync(factory.CreateApiClient());
        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        Assert.Equal(HttpStatusCode.OK, (await secretariat.PostJsonAsync($"/api/instances/{id}/parties/skive/answer", new { text = "Modtaget på papir" })).StatusCode);
        var line = await SecuritySupport.SingleAsync(factory, "RegisterAnswer");
        Assert.Equal(SecuritySupport.EmailOf(StaffRoles.Secretariat), line.Actor);
        Assert.Equal($"instanceId={id}, partyId=skive", line.Target);
    }

    [Fact]
    public async Task AnswerSubmittedAndReplacedByAParty_AreRecordedWithTheParty()
    {
        var id = await StartAsync(factory.CreateApiClient());
        var link = await LinkAsync(id, "aarhus");
        var browser = factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await PostPartyFormAsync(browser, link, "", ("text", "Første svar"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostPartyFormAsync(browser, link, "", ("text", "Andet svar"))).StatusCode);

        var submitted = await SecuritySupport.SingleAsync(factory, "AnswerSubmitted");
        var replaced = await SecuritySupport.SingleAsync(factory, "AnswerReplaced");
        Assert.Equal("part:aarhus", submitted.Actor);
        Assert.Equal("part:aarhus", replaced.Actor);
        Assert.Equal($"instanceId={id}, partyId=aarhus", replaced.Target);
        Assert.NotEqual(submitted.After, replaced.After);
    }

    [Fact]
    public async Task AnswerAssignedFromTheInbox_IsRecordedWithTheUser()
    {
        var id = await StartAsync(factory.CreateApiClient());
        var raw = Encoding.UTF8.GetBytes(
            "From: Skive Kommune <post@skive.example>\r\nTo: hoering@kkr.example\r\nSubject: Vores svar\r\nMessage-ID: <svar-1@skive.example>\r\n"
            + "Date: Tue, 01 Oct 2019 10:00:00 +0200\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSkive har ingen bemærkninger.\r\n");
        await factory.Services.GetRequiredService<InboxProcessor>().ProcessAsync(raw, CancellationToken.None);
        var unmatched = System.Text.Json.Nodes.JsonNode.Parse(await factory.CreateApiClient().GetStringAsync("/api/inbox/unmatched"))!.AsArray();
        var mailId = Assert.Single(unmatched)!["id"]!.GetValue<Guid>();

        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var assigned = await secretariat.PostJsonAsync($"/api/inbox/unmatched/{mailId}/assign", new { instanceId = id, partyId = "skive" });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var line = await SecuritySupport.SingleAsync(factory, "AssignUnmatchedMail");
        Assert.Equal(SecuritySupport.EmailOf(StaffRoles.Secretariat), line.Actor);
        Assert.Equal($"mailId={mailId}", line.Target);
    }

    [Fact]
    public async Task AnswerReceivedByMail_IsRecordedWithTheSender()
    {
        await using var bed = await Inbox.InboxTestBed.StartAsync(database, withImap: false);
        var reply = bed.Reply("holbaek", "Holbæk Kommune kan tilslutte sig rammeaftalen.");
        using var raw = new MemoryStream();
        await reply.WriteToAsync(raw);
        await bed.Factory.Services.GetRequiredService<InboxProcessor>().ProcessAsync(raw.ToArray(), CancellationToken.None);
        var line = await SecuritySupport.SingleAsync(bed.Factory, "AnswerReceivedByMail");
        Assert.Equal($"mail:{Inbox.InboxTestBed.Contact("holbaek")}", line.Actor);
        Assert.EndsWith("matched by in-reply-to", line.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttachmentDownloaded_IsRecordedWithTheReader()
    {
        var id = await StartAsync(factory.CreateApiClient());
        var link = await LinkAsync(id, "aarhus");
        var browser = factory.CreateClient(new() { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(link);
        var form = new MultipartFormDataContent
        {
            { new StringContent(StaffSession.Token(page)), "__RequestVerificationToken" },
            { new StringContent("Se bilag"), "text" },
            { new ByteArrayContent(Answers.AnswerPageTests.Pdf), "attachments", "bilag.pdf" },
        };
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync(link, form)).StatusCode);
        var answers = await (await factory.CreateApiClient().GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>();
        var url = answers.Single().Attachments.Single().Url;

        var reader = await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(url)).StatusCode);
        var line = await SecuritySupport.SingleAsync(factory, "AttachmentDownloaded");
        Assert.Equal(SecuritySupport.EmailOf(StaffRoles.Reader), line.Actor);
        Assert.StartsWith($"attachmentId={answers.Single().Attachments.Single().AttachmentId}", line.Target, StringComparison.Ordinal);
        Assert.Equal("bilag.pdf", line.After);
    }

    [Fact]
    public async Task ExtensionGrantedAndRefused_AreRecordedWithTheirActors()
    {
        var id = await StartAsync(factory.CreateApiClient());
        foreach (var party in new[] { "aarhus", "skive" })
        {
            var browser = factory.CreateClient(new() { AllowAutoRedirect = false });
            Assert.Equal(HttpStatusCode.OK, (await PostPartyFormAsync(browser, await LinkAsync(id, party), "/fristforlaengelse", ("reason", "Byrådsmøde"), ("date", "2019-11-14"))).StatusCode);
        }
        var requests = await (await factory.CreateApiClient().GetAsync("/api/extension-requests")).ReadAsync<List<ExtensionRequestDescription>>();
        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var (key, keyName) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Secretariat);
        Assert.Equal(HttpStatusCode.OK, (await secretariat.PostAsync($"/api/extension-requests/{requests.Single(r => r.PartyId == "aarhus").RequestId}/grant", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await key.PostAsync($"/api/extension-requests/{requests.Single(r => r.PartyId == "skive").RequestId}/refuse", null)).StatusCode);

        Assert.Equal("part:aarhus", (await SecuritySupport.AuditAsync(factory)).First(a => a.Action == "ExtensionRequested").Actor);
        Assert.Equal(SecuritySupport.EmailOf(StaffRoles.Secretariat), (await SecuritySupport.SingleAsync(factory, "GrantExtension")).Actor);
        Assert.Equal($"api-key:{keyName}", (await SecuritySupport.SingleAsync(factory, "RefuseExtension")).Actor);
    }

    [Fact]
    public async Task UserCreatedRoleChangedAndDeactivated_AreRecordedWithTheAdministrator()
    {
        StaffSession.Configure(factory);
        var admin = await StaffSession.SignedInAsync(factory);
        var page = await admin.GetStringAsync("/admin");
        var created = await admin.PostAsync("/admin/brugere", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", StaffSession.Token(page)), new("email", "ny@kkr.example"), new("name", "Ny"), new("role", StaffRoles.Reader), new("password", "Et-Langt-Kodeord-1"),
        ]));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        var userId = UserIdOf().Match(body).Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/admin/brugere/{userId}/rolle", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", StaffSession.Token(body)), new("role", StaffRoles.Secretariat), new("team", "KKR Midtjylland")]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/admin/brugere/{userId}/deaktiver", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", StaffSession.Token(body))]))).StatusCode);

        var lines = await SecuritySupport.AuditAsync(factory);
        var create = await SecuritySupport.SingleAsync(factory, "UserCreated");
        Assert.Equal((StaffSession.Email, "user=ny@kkr.example", StaffRoles.Reader), (create.Actor, create.Target, create.After));
        var role = await SecuritySupport.SingleAsync(factory, "UserRoleChanged");
        Assert.Equal((StaffSession.Email, StaffRoles.Reader, "Sekretariat, team KKR Midtjylland"), (role.Actor, role.Before, role.After));
        var deactivated = await SecuritySupport.SingleAsync(factory, "UserDeactivated");
        Assert.Equal((StaffSession.Email, "aktiv", "deaktiveret"), (deactivated.Actor, deactivated.Before, deactivated.After));
        // The deactivated account can no longer sign in.
        var browser = factory.CreateClient(new() { AllowAutoRedirect = false });
        var login = await browser.GetStringAsync("/login");
        var refused = await browser.PostAsync("/login", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", StaffSession.Token(login)), new("email", "ny@kkr.example"), new("password", "Et-Langt-Kodeord-1")]));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.NotEmpty(lines);
    }

    [Fact]
    public async Task ApiKeyCreatedAndRevoked_AreRecorded_AndTheKeyIsShownOnceAndStoredHashed()
    {
        StaffSession.Configure(factory);
        var admin = await StaffSession.SignedInAsync(factory);
        var page = await admin.GetStringAsync("/admin/noegler");
        var created = await admin.PostAsync("/admin/noegler", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", StaffSession.Token(page)), new("name", "ESDH"), new("role", StaffRoles.Reader), new("expires", "2019-12-31")]));
        var body = await created.Content.ReadAsStringAsync();
        var key = NewKey().Match(body).Groups[1].Value;
        Assert.StartsWith("pf_", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, await admin.GetStringAsync("/admin/noegler"));
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync())
        {
            var row = await db.ApiKeys.SingleAsync();
            Assert.Equal(ApiKeyStore.HashOf(key), row.Hash);
            Assert.Equal(NodaTime.Instant.FromUtc(2019, 12, 31, 23, 0), row.ExpiresAt);
            Assert.Null(row.LastUsedAt);
        }
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/definitions")).StatusCode);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(NodaTime.Instant.FromUtc(2019, 10, 1, 8, 0), (await db.ApiKeys.SingleAsync()).LastUsedAt);
        }

        var keyId = RevokeAction().Match(body).Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/admin/noegler/{keyId}/tilbagekald", new FormUrlEncodedContent([new("__RequestVerificationToken", StaffSession.Token(body))]))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/definitions")).StatusCode);

        var createdLine = await SecuritySupport.SingleAsync(factory, "ApiKeyCreated");
        Assert.Equal((StaffSession.Email, "key=ESDH"), (createdLine.Actor, createdLine.Target));
        Assert.DoesNotContain(key, string.Join(" ", (await SecuritySupport.AuditAsync(factory)).Select(a => $"{a.Target} {a.Before} {a.After}")));
        var revoked = await SecuritySupport.SingleAsync(factory, "ApiKeyRevoked");
        Assert.Equal((StaffSession.Email, "key=ESDH", "tilbagekaldt"), (revoked.Actor, revoked.Target, revoked.After));
    }

    [Fact]
    public async Task SignInFailure_IsRecordedWithTheTypedEmailAndTheAddress()
    {
        // Over real Kestrel, so the request has a client address (the in-process test server has none).
        using var kestrel = new KestrelApiFactory(database);
        StaffSession.Configure(kestrel);
        kestrel.Start();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = kestrel.BaseAddress };
        var login = await browser.GetStringAsync("/login");
        var refused = await browser.PostAsync("/login", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", StaffSession.Token(login)), new("email", StaffSession.Email), new("password", "forkert")]));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var line = await SecuritySupport.SingleAsync(kestrel, "SignInFailed");
        Assert.Equal(StaffSession.Email, line.Actor);
        Assert.Equal("127.0.0.1", line.Address);
    }

    [Fact]
    public async Task TheAuditTrail_IsAppendOnly_InTheDatabase()
    {
        await SecuritySupport.KeyClientAsync(factory, StaffRoles.Reader);
        await factory.CreateApiClient().PostAsync("/api/definitions", new StringContent(Definition, Encoding.UTF8, "application/json"));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        Assert.NotEmpty(await db.Audit.ToListAsync());
        // The database itself refuses (a trigger on each provider), whoever connects.
        var refusal = database == TestDatabase.PostgreSql ? typeof(Npgsql.PostgresException) : typeof(Microsoft.Data.Sqlite.SqliteException);
        var update = await Assert.ThrowsAsync(refusal, () => db.Audit.ExecuteUpdateAsync(s => s.SetProperty(a => a.Actor, "someone else")));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAsync(refusal, () => db.Audit.ExecuteDeleteAsync());
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditPage_FiltersAndExportsCsv_ForAdministratorsOnly()
    {
        StaffSession.Configure(factory);
        var admin = await StaffSession.SignedInAsync(factory);
        var (owner, ownerName) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.ProcessOwner);
        await owner.PostAsync("/api/definitions", new StringContent(Definition, Encoding.UTF8, "application/json"));
        await owner.PostAsync("/api/definitions/audit-flow/publish", null);

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/revision?action=PublishDefinition"));
        Assert.Contains($"api-key:{ownerName}", page, StringComparison.Ordinal);
        Assert.DoesNotContain("SaveDefinitionDraft</td>", page, StringComparison.Ordinal);
        var csv = await admin.GetAsync($"/admin/revision.csv?actor={Uri.EscapeDataString(ownerName)}");
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType!.ToString());
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Tidspunkt;Tidspunkt (UTC);Hvem;Handling;Hvad;Før;Efter;Fra", lines[0]);
        Assert.Equal(["PublishDefinition", "SaveDefinitionDraft"], lines.Skip(1).Select(l => l.Split(';')[3]));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("2019-10-01T10:00:00;2019-10-01T08:00:00Z;api-key:", l, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/admin/revision?from=31-10-2019")).StatusCode);

        var reader = await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/admin/revision")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/admin/revision.csv")).StatusCode);
    }

    // The role form of a user who is not an administrator: within one form, the role select's Administrator option is not the chosen one.
    [GeneratedRegex("action=\"/admin/brugere/([0-9a-f-]{36})/rolle\"(?:(?!</form>)[\\s\\S])*?<select[^>]* id=\"role-\\1\" name=\"role\"[^>]*>\\s*<option value=\"Administrator\">")]
    private static partial Regex UserIdOf();

    [GeneratedRegex("id=\"new-key\" readonly size=\"60\" value=\"([^\"]+)\"")]
    private static partial Regex NewKey();

    [GeneratedRegex("action=\"/admin/noegler/([0-9a-f-]{36})/tilbagekald\"")]
    private static partial Regex RevokeAction();
}

[Trait("Database", "Sqlite")]
public sealed class AuditTrailTestsOnSqlite() : AuditTrailTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class AuditTrailTestsOnPostgreSql() : AuditTrailTests(TestDatabase.PostgreSql);
