using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Workflows.Host.Api;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Inbox;

/// <summary>
/// A kommune with a wrong address must not silently never hear of the hearing. Real bounces on loopback: Postfix relays
/// the invitations to a server that does not know Roskilde's address and writes its own delivery status notification back
/// to the answer inbox (a real dovecot); or a server refuses the address while the mail is being sent.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public abstract class BounceTests(TestDatabase database) : IAsyncLifetime, IDisposable
{
    private const string Holbaek = "holbaek";
    private const string Roskilde = "roskilde";
    private ImapServer imap = null!;
    private BouncingMailRoute route = null!;
    private ProcesFlowApiFactory factory = null!;
    private HttpClient api = null!;
    private Guid instanceId;

    public async Task InitializeAsync() => imap = await ImapServer.StartAsync();

    public void Dispose() => api?.Dispose();

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
        if (route is not null)
        {
            await route.DisposeAsync();
        }
        await imap.DisposeAsync();
    }

    [Fact]
    public async Task PostfixBouncesRoskilde_TheDeliveryReportMarksItBounced_HearingAndOverviewShowTheAddress_ResendClearsIt()
    {
        await StartAsync(withPostfix: true);
        var wrong = InboxTestBed.Contact(Roskilde);

        // Holbæk's invitation is delivered; Roskilde's comes back as Postfix's delivery status notification.
        var report = await WaitForMailAsync(imap.Maildir, m => m.Body is MultipartReport);
        Assert.Equal("mailer-daemon@kkr.example", report.From.Mailboxes.Single().Address.ToLowerInvariant());
        Assert.Contains(report.To.Mailboxes, m => m.Address.StartsWith("hoering+", StringComparison.Ordinal));
        var read = DeliveryReport.Read(report)!;
        Assert.Equal(wrong, Assert.Single(read.Failures).Address);
        Assert.Equal("5.1.1", read.Failures[0].Status);

        var poll = await PollAsync();
        var outcome = Assert.Single(poll.Messages, o => o.Result == InboxResult.Bounced);
        Assert.Equal("delivery-status", outcome.MatchedBy);
        Assert.Equal("Bounced", (await PartyAsync(Roskilde)).Status);
        Assert.Equal("Sent", (await PartyAsync(Holbaek)).Status);
        // The report is kept for staff, with what happened.
        var kept = Assert.Single(await InboxTestBed.ReadAsync<List<UnmatchedMailDescription>>(await api.GetAsync("/api/inbox/unmatched")));
        Assert.Equal(InboxResult.Bounced, kept.Status);
        Assert.StartsWith($"Mailen til {wrong} kunne ikke leveres (5.1.1 (550 5.1.1 <{wrong}>: Recipient address rejected: User unknown", kept.Reason, StringComparison.Ordinal);

        var staff = await StaffSession.SignedInAsync(factory);
        var hearing = Text(await staff.GetStringAsync($"/hoeringer/{instanceId}"));
        Assert.Contains("Mails der ikke kunne leveres", hearing, StringComparison.Ordinal);
        Assert.Contains($"Roskilde Kommune: mailen til {wrong} kunne ikke leveres (5.1.1", hearing, StringComparison.Ordinal);
        var overview = Text(await staff.GetStringAsync("/"));
        Assert.Contains($"Afvist mail: Roskilde Kommune ({wrong})", overview, StringComparison.Ordinal);

        // A second poll finds nothing new: the report is not counted twice.
        Assert.DoesNotContain((await PollAsync()).Messages, o => o.Result == InboxResult.Bounced);

        // Staff correct the address on the party's page: the invitation goes to it, and the bounce is cleared everywhere.
        var partyPage = $"/hoeringer/{instanceId}/parter/{Roskilde}";
        var token = StaffSession.Token(await staff.GetStringAsync(partyPage));
        var resent = await staff.PostAsync($"{partyPage}/invitation", new FormUrlEncodedContent([new("adresse", "hoering@roskilde.example"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        Assert.Equal("Sent", (await PartyAsync(Roskilde)).Status);
        var again = await WaitForMailAsync(route.KommuneMaildir, m => m.To.Mailboxes.Any(a => a.Address == "hoering@roskilde.example"));
        Assert.StartsWith("Høring: Rammeaftale 2020", again.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("Mails der ikke kunne leveres", await staff.GetStringAsync($"/hoeringer/{instanceId}"), StringComparison.Ordinal);
        Assert.DoesNotContain("Afvist mail:", Text(await staff.GetStringAsync("/")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerRefusesRoskildeWhileSending_MarkedBouncedAtOnce_NoRetriesAndNoIncident()
    {
        await StartAsync(withPostfix: false);
        var wrong = InboxTestBed.Contact(Roskilde);

        await WaitForMailAsync(route.KommuneMaildir, m => m.To.Mailboxes.Any(a => a.Address == InboxTestBed.Contact(Holbaek)));
        var roskilde = await WaitAsync(async () => await PartyAsync(Roskilde) is { Status: "Bounced" } party ? party : null, "Roskilde marked bounced");
        // The party is marked first, then its outbox row is given up: wait until the sender is done with the row.
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        var row = await WaitAsync(() => db.Outbox.AsNoTracking().Where(o => o.InstanceId == instanceId && o.To.Contains(wrong) && o.Status != OutboxStatus.Pending).SingleOrDefaultAsync(), "Roskilde's mail given up");

        Assert.Equal("Bounced", roskilde.Status);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("550", row.LastError, StringComparison.Ordinal);
        Assert.Empty(await InboxTestBed.ReadAsync<List<IncidentDescription>>(await api.GetAsync("/api/incidents")));
        var journal = await InboxTestBed.ReadAsync<List<JournalLine>>(await api.GetAsync($"/api/instances/{instanceId}/journal"));
        Assert.Contains(journal, j => j.Message.StartsWith($"Mailen til Roskilde Kommune kunne ikke leveres til {wrong}: 550 ", StringComparison.Ordinal));
    }

    private async Task StartAsync(bool withPostfix)
    {
        route = await BouncingMailRoute.StartAsync(imap.Maildir, "kkr.example", [InboxTestBed.Contact(Roskilde)], withPostfix);
        factory = new ProcesFlowApiFactory(database);
        StaffSession.Configure(factory);
        factory.Settings["ProcesFlow:Answers:AttachmentsFolder"] = Path.Combine(factory.Folder, "attachments");
        factory.Settings["ProcesFlow:Mail:Smtp:Host"] = route.Host;
        factory.Settings["ProcesFlow:Mail:Smtp:Port"] = (withPostfix ? route.PostfixPort : route.RemotePort).ToString(CultureInfo.InvariantCulture);
        factory.Settings["ProcesFlow:Mail:Smtp:Security"] = "None";
        factory.Settings["ProcesFlow:Mail:Smtp:From"] = "KKR Sjælland <kkr@kkr.example>";
        factory.Settings["ProcesFlow:Mail:Imap:Host"] = imap.Host;
        factory.Settings["ProcesFlow:Mail:Imap:Port"] = imap.Port.ToString(CultureInfo.InvariantCulture);
        factory.Settings["ProcesFlow:Mail:Imap:User"] = imap.User;
        factory.Settings["ProcesFlow:Mail:Imap:Password"] = imap.Password;
        factory.Settings["ProcesFlow:Mail:Imap:Security"] = "None";
        factory.Settings["ProcesFlow:Mail:Imap:Address"] = InboxTestBed.InboxAddress;
        factory.Settings["ProcesFlow:Mail:Imap:TagKey"] = InboxTestBed.TagKey;
        factory.Settings["ProcesFlow:Mail:Imap:PollSchedule"] = Hangfire.Cron.Never();
        api = factory.CreateApiClient();
        instanceId = (await (await api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new
            {
                title = "Rammeaftale 2020 for det specialiserede socialområde",
                caseNumber = "SAG-2019-7",
                parties = new[] { Holbaek, Roskilde },
                deadline = new { date = "2019-10-31", at = "12:00" },
            },
        })).ReadAsync<InstanceStarted>()).InstanceId;
    }

    /// <summary>What a page says, without its markup.</summary>
    private static string Text(string html) => WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", ""));

    private async Task<InboxPollResult> PollAsync() => await InboxTestBed.ReadAsync<InboxPollResult>(await api.PostAsync("/api/inbox/poll", null));

    private async Task<PartyStatus> PartyAsync(string partyId) =>
        (await InboxTestBed.ReadAsync<InstanceDetails>(await api.GetAsync($"/api/instances/{instanceId}"))).Parties.Single(p => p.PartyId == partyId);

    /// <summary>The first mail in <paramref name="maildir"/> that <paramref name="match"/> accepts, once it has arrived.</summary>
    private Task<MimeMessage> WaitForMailAsync(string maildir, Func<MimeMessage, bool> match) => WaitAsync(async () =>
    {
        foreach (var file in new[] { "new", "cur" }.Select(sub => Path.Combine(maildir, sub)).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (match(message))
            {
                return message;
            }
        }
        return null;
    }, "the mail");

    private async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await probe() is { } found)
            {
                return found;
            }
            // The outbox sends in the background, and Postfix relays and bounces on its own schedule.
            await Task.Delay(200);
        }
        throw new TimeoutException($"Waited 30 s for {what}.\n{route.Log}\n{imap.Log}");
    }
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Database", "Sqlite")]
public sealed class BounceTestsOnSqlite() : BounceTests(TestDatabase.Sqlite);

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Database", "PostgreSql")]
public sealed class BounceTestsOnPostgreSql() : BounceTests(TestDatabase.PostgreSql);
