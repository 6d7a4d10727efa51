using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Workflows.Host.Api;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Persistence;
using Workflows.Host.Security;
using Workflows.Tests.Security;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Inbox;

/// <summary>
/// <c>/indbakke</c> over HTTP: the mails the inbox kept arrive by the inbox's own code path (<see cref="InboxProcessor"/>,
/// as the IMAP reader hands it each mail), and staff assign or dismiss them through the page's forms.
/// </summary>
public abstract partial class InboxPageTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Pdf = InboxTestBed.MinimalPdf();

    private readonly ProcesFlowApiFactory factory;

    protected InboxPageTests(TestDatabase database) => factory = new(database);

    private HttpClient api = null!;

    private Guid instanceId;

    public async Task InitializeAsync()
    {
        StaffSession.Configure(factory);
        factory.Settings["ProcesFlow:Answers:AttachmentsFolder"] = Path.Combine(factory.Folder, "attachments");
        api = factory.CreateApiClient();
        instanceId = await StartAsync("standard-hearing");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        api.Dispose();
        factory.Dispose();
    }

    [Fact]
    public async Task AssigningAnUnmatchedReplyToAParty_CountsItAsThePartysAnswer_StoredOnceWithItsAttachments()
    {
        var mailId = await KeepAsync(Mail("Jens Jensen", "Høringssvar rammeaftale", "Hermed Roskilde Kommunes høringssvar.", ("roskilde.pdf", Pdf)));
        var staff = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);

        var page = await staff.GetStringAsync("/indbakke");
        var text = WebUtility.HtmlDecode(page);
        Assert.Contains("Høringssvar rammeaftale</h2>", text, StringComparison.Ordinal);
        Assert.Contains("\"Jens Jensen\" <jj@roskilde.example>", text, StringComparison.Ordinal);
        Assert.Contains("tirsdag den 1. oktober 2019 kl. 10.00", text, StringComparison.Ordinal);
        Assert.Contains("Hermed Roskilde Kommunes høringssvar.", text, StringComparison.Ordinal);
        Assert.Contains($"roskilde.pdf <span class=\"muted\">({Pdf.Length} byte)</span>", text, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{instanceId}/roskilde\">Roskilde Kommune</option>", text, StringComparison.Ordinal);
        Assert.Equal("Sent", await StatusAsync("roskilde"));

        var assigned = await staff.PostAsync($"/indbakke/{mailId}/tildel", Form(page, ("party", $"{instanceId}/roskilde")));
        var after = WebUtility.HtmlDecode(await assigned.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Contains("Mailen er registreret som høringssvar fra Roskilde Kommune med 1 vedhæftet fil, og afsenderen får en kvittering.", after, StringComparison.Ordinal);
        Assert.Contains("Der er ingen mails, der venter.", after, StringComparison.Ordinal);

        Assert.Equal("Answered", await StatusAsync("roskilde"));
        Assert.Equal("Sent", await StatusAsync("holbaek"));
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            var answer = await db.Answers.SingleAsync();
            Assert.Equal(("email", "unmatched-page@roskilde.example"), (answer.Channel, answer.MessageId));
            Assert.Equal("roskilde", (await db.PartyTasks.SingleAsync(t => t.Id == answer.PartyTaskId)).PartyId);
            var file = await db.Attachments.SingleAsync();
            Assert.Equal((answer.Id, "roskilde.pdf", (long)Pdf.Length), (file.AnswerId, file.FileName, file.Size));
        }
        var line = await SecuritySupport.SingleAsync(factory, "AssignUnmatchedMail");
        Assert.Equal((SecuritySupport.EmailOf(StaffRoles.Secretariat), $"mailId={mailId}"), (line.Actor, line.Target));
        Assert.StartsWith($"instanceId={instanceId}, partyId=roskilde, answerId=", line.After, StringComparison.Ordinal);

        // Sent again (a second click, a stale page): refused, and still one answer.
        var twice = await staff.PostAsync($"/indbakke/{mailId}/tildel", Form(page, ("party", $"{instanceId}/holbaek")));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            Assert.Equal(1, await db.Answers.CountAsync());
        }
        Assert.Equal("Sent", await StatusAsync("holbaek"));
    }

    [Fact]
    public async Task AssigningAReplyInAnApprovalRound_AsksForTheDecision_AndStoresTheOneGiven()
    {
        var approval = await StartAsync("approval-round");
        var mailId = await KeepAsync(Mail("Borgmesterens kontor", "Beslutning", "Kommunalbestyrelsen godkendte aftalen.", ("protokol.pdf", Pdf)));
        var staff = await StaffSession.SignedInAsync(factory);
        var page = await staff.GetStringAsync("/indbakke");
        Assert.Contains($"<option value=\"{approval}/holbaek\">Holbæk Kommune (godkendelse)</option>", page, StringComparison.Ordinal);
        Assert.Contains("Partens beslutning", page, StringComparison.Ordinal);

        var without = await staff.PostAsync($"/indbakke/{mailId}/tildel", Form(page, ("party", $"{approval}/holbaek")));
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Contains("vælg, om parten godkender eller ej", await without.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Sent", (await PartyAsync(approval, "holbaek"))["status"]!.GetValue<string>());

        var with = await staff.PostAsync($"/indbakke/{mailId}/tildel", Form(page, ("party", $"{approval}/holbaek"), ("decision", "approved")));
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        var holbaek = await PartyAsync(approval, "holbaek");
        Assert.Equal(("Answered", "approved"), (holbaek["status"]!.GetValue<string>(), holbaek["decision"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DismissingWithAReason_TakesTheMailOffTheList_AndIsAudited()
    {
        var newsletter = await KeepAsync(Mail("Nyhedsbrev", "Ugens nyheder", "Læs ugens nyheder.", []));
        var reply = await KeepAsync(Mail("Jens Jensen", "Vores svar", "Roskilde har ingen bemærkninger.", []), "reply-2@roskilde.example");
        var staff = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var page = await staff.GetStringAsync("/indbakke");
        Assert.Equal(2, KeptMailSection().Count(page));

        // No reason: refused, with the field marked, and the mail stays.
        var empty = await staff.PostAsync($"/indbakke/{newsletter}/afvis", Form(page, ("reason", "  ")));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Skriv en begrundelse", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var dismissed = await staff.PostAsync($"/indbakke/{newsletter}/afvis", Form(page, ("reason", "Nyhedsbrev, ikke et høringssvar")));
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        var after = await dismissed.Content.ReadAsStringAsync();
        Assert.Contains("Mailen er afvist og fjernet fra listen.", after, StringComparison.Ordinal);
        Assert.Equal([reply], KeptMailSection().Matches(after).Select(m => Guid.ParseExact(m.Groups[1].Value, "N")));
        Assert.Equal([reply], (await InboxTestBed.ReadAsync<List<UnmatchedMailDescription>>(await api.GetAsync("/api/inbox/unmatched"))).Select(m => m.Id));

        var line = await SecuritySupport.SingleAsync(factory, "DismissUnmatchedMail");
        Assert.Equal((SecuritySupport.EmailOf(StaffRoles.Secretariat), $"mailId={newsletter}", "Nyhedsbrev, ikke et høringssvar"), (line.Actor, line.Target, line.After));
        await using var db = await Contexts.CreateDbContextAsync();
        var row = await db.UnmatchedMails.SingleAsync(m => m.Id == newsletter);
        Assert.Equal((SecuritySupport.EmailOf(StaffRoles.Secretariat), "Nyhedsbrev, ikke et høringssvar"), (row.DismissedBy, row.DismissalReason));
        Assert.Null(row.AssignedToPartyTaskId);
        Assert.Empty(await db.Answers.ToListAsync());

        // Dismissed once only.
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PostAsync($"/indbakke/{newsletter}/afvis", Form(page, ("reason", "Igen")))).StatusCode);
    }

    [Fact]
    public async Task TheApi_DismissesByTheSameRules_WithTheSameAuditLine()
    {
        var mailId = await KeepAsync(Mail("Nyhedsbrev", "Ugens nyheder", "Læs ugens nyheder.", []));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostJsonAsync($"/api/inbox/unmatched/{mailId}/dismiss", new { reason = "" })).StatusCode);
        Assert.Single(await InboxTestBed.ReadAsync<List<UnmatchedMailDescription>>(await api.GetAsync("/api/inbox/unmatched")));

        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/inbox/unmatched/{mailId}/dismiss", new { reason = "Nyhedsbrev" })).StatusCode);
        Assert.Empty(await InboxTestBed.ReadAsync<List<UnmatchedMailDescription>>(await api.GetAsync("/api/inbox/unmatched")));
        var line = await SecuritySupport.SingleAsync(factory, "DismissUnmatchedMail");
        Assert.Equal(("api-key-1", $"mailId={mailId}", "Nyhedsbrev"), (line.Actor, line.Target, line.After));

        // Neither dismissed twice nor assigned afterwards.
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostJsonAsync($"/api/inbox/unmatched/{mailId}/dismiss", new { reason = "Igen" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostJsonAsync($"/api/inbox/unmatched/{mailId}/assign", new { instanceId, partyId = "roskilde" })).StatusCode);
        Assert.Equal("Sent", await StatusAsync("roskilde"));
    }

    [Fact]
    public async Task TextsFromTheMailAndTheHearing_AreEncoded_InSubjectSenderTextFileNameAndTitle()
    {
        const string Subject = "<script>alert('emne')</script> \"Svar\"";
        const string Sender = "<script>alert('navn')</script> \"Jens\"";
        const string Text = "<script>alert('tekst')</script> \"citat\" & mere";
        const string FileName = "<img src=x onerror=alert(1)>'bilag' & svar.pdf";
        const string Title = "<script>alert('titel')</script> \"Høring\"";
        await StartAsync("standard-hearing", Title);
        await KeepAsync(Mail(Sender, Subject, Text, (FileName, Pdf)));
        var staff = await StaffSession.SignedInAsync(factory);

        var page = await staff.GetStringAsync("/indbakke");
        foreach (var raw in new[] { "<script>alert", "<img src=x", "\"Svar\"", "\"citat\"", "'bilag'", "\"Høring\"" })
        {
            Assert.DoesNotContain(raw, page, StringComparison.Ordinal);
        }
        var text = WebUtility.HtmlDecode(page);
        Assert.Contains(Subject + "</h2>", text, StringComparison.Ordinal);
        Assert.Contains("<script>alert('navn')</script>", text, StringComparison.Ordinal);
        Assert.Contains(Text, text, StringComparison.Ordinal);
        // The hearing's title, as the group of its parties in the select.
        Assert.Contains($"<optgroup label=\"{Title}\">", text, StringComparison.Ordinal);
        // The file name as the store keeps it (quotes and angle brackets removed), and encoded on the page.
        Assert.Contains("img src=x onerror=alert(1)'bilag' & svar.pdf <span class=\"muted\">", text, StringComparison.Ordinal);
        Assert.Contains("&#x27;bilag&#x27; &amp; svar.pdf", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageFormWithoutItsAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        var mailId = await KeepAsync(Mail("Jens Jensen", "Svar", "Svar.", []));
        var staff = await StaffSession.SignedInAsync(factory);
        var forged = await staff.PostAsync($"/indbakke/{mailId}/tildel", new FormUrlEncodedContent([new("party", $"{instanceId}/roskilde")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Siden var udløbet", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Sent", await StatusAsync("roskilde"));
    }

    [Fact]
    public async Task AReader_SeesTheWaitingMails_ButNoFormsToChangeThem_AndIsRefused403()
    {
        var mailId = await KeepAsync(Mail("Jens Jensen", "Svar fra Roskilde", "Svar.", []));
        var reader = await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader);
        var page = await reader.GetStringAsync("/indbakke");
        Assert.Contains("Svar fra Roskilde</h2>", page, StringComparison.Ordinal);
        Assert.Contains("Din rolle kan læse indbakken, men ikke tildele eller afvise mails.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/indbakke/", page, StringComparison.Ordinal);

        var refused = await reader.PostAsync($"/indbakke/{mailId}/tildel", Form(page, ("party", $"{instanceId}/roskilde")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Adgang nægtet", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Sent", await StatusAsync("roskilde"));
    }

    private IDbContextFactory<ProcesFlowDbContext> Contexts => factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();

    private static MimeMessage Mail(string senderName, string subject, string text, params (string Name, byte[] Content)[] files)
    {
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress(senderName, "jj@roskilde.example"));
        mail.To.Add(MailboxAddress.Parse(InboxTestBed.InboxAddress));
        mail.Subject = subject;
        var body = new BodyBuilder { TextBody = text };
        foreach (var (name, content) in files)
        {
            body.Attachments.Add(name, content, ContentType.Parse("application/pdf"));
        }
        mail.Body = body.ToMessageBody();
        return mail;
    }

    /// <summary>Hands the mail to the inbox as the IMAP reader does; it matches no party, so it is kept for staff.</summary>
    private async Task<Guid> KeepAsync(MimeMessage mail, string messageId = "unmatched-page@roskilde.example")
    {
        mail.MessageId = messageId;
        using var raw = new MemoryStream();
        await mail.WriteToAsync(raw);
        var outcome = await factory.Services.GetRequiredService<InboxProcessor>().ProcessAsync(raw.ToArray(), CancellationToken.None);
        Assert.Equal(InboxResult.Unmatched, outcome.Result);
        return outcome.KeptMailId!.Value;
    }

    private async Task<Guid> StartAsync(string definitionId, string? title = null)
    {
        if (definitionId == "approval-round")
        {
            await InboxTestBed.ReadAsync<JsonNode>(await api.PostAsync("/api/definitions", new StringContent("""
                { "definitionId": "approval-round", "name": "Godkendelse", "inputs": [ { "name": "title" }, { "name": "caseNumber" }, { "name": "parties" }, { "name": "deadline" } ],
                  "root": { "type": "Flowchart",
                    "activities": [ { "id": "start", "type": "Start" },
                      { "id": "round", "type": "Hearing", "ask": "approval", "title": "{{ input.title }}", "caseNumber": "{{ input.caseNumber }}",
                        "parties": { "expression": "input.parties" }, "deadline": { "expression": "input.deadline" } } ],
                    "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "round", "port": "In" } } ] } }
                """, Encoding.UTF8, "application/json")));
            await InboxTestBed.ReadAsync<JsonNode>(await api.PostAsync("/api/definitions/approval-round/publish", null));
        }
        return (await InboxTestBed.ReadAsync<InstanceStarted>(await api.PostJsonAsync("/api/instances", new
        {
            definitionId,
            input = new
            {
                title = title ?? (definitionId == "approval-round" ? "Godkendelse af rammeaftalen" : "Rammeaftale 2020 for det specialiserede socialområde"),
                caseNumber = "SAG-2019-7",
                parties = new[] { "holbaek", "roskilde" },
                deadline = new { date = "2019-10-31", at = "12:00" },
            },
        }))).InstanceId;
    }

    private async Task<JsonNode> PartyAsync(Guid instance, string partyId) =>
        (await InboxTestBed.ReadAsync<JsonNode>(await api.GetAsync($"/api/instances/{instance}")))["parties"]!.AsArray()
            .Single(p => p!["partyId"]!.GetValue<string>() == partyId)!;

    private async Task<string> StatusAsync(string partyId) => (await PartyAsync(instanceId, partyId))["status"]!.GetValue<string>();

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", StaffSession.Token(page)), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    [GeneratedRegex("<section class=\"card kept-mail\" aria-labelledby=\"subject-([0-9a-f]{32})\"")]
    private static partial Regex KeptMailSection();
}

[Trait("Database", "Sqlite")]
public sealed class InboxPageTestsOnSqlite() : InboxPageTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class InboxPageTestsOnPostgreSql() : InboxPageTests(TestDatabase.PostgreSql);
