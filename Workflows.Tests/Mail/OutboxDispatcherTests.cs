using System.Text;
using Ical.Net.CalendarComponents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using MimeKit;
using NodaTime;
using Workflows.Host.Mail;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Tests.Support;
using IcalCalendar = Ical.Net.Calendar;

namespace Workflows.Tests.Mail;

/// <summary>The outbox against real parts: a SQLite file, a fake clock, and a real SMTP server on loopback.</summary>
public abstract class OutboxDispatcherTests(TestDatabase database)
{
    [Fact]
    public async Task SendDueAsync_NoSmtpHost_WritesEmlFilesWithHeadersToPickupDirectory()
    {
        await using var bed = await MailTestBed.CreateAsync(database);
        var plain = await bed.QueueAsync(subject: "Møde i styregruppen", text: "Dagsordenen følger.", to: ["a@kkr.example.dk", "b@kkr.example.dk"]);
        var invitation = await bed.QueueAsync("invitation", MailTestBed.HearingModel(), partyTaskId: Guid.CreateVersion7());
        using var dispatcher = bed.Dispatcher();

        var result = await dispatcher.SendDueAsync(CancellationToken.None);

        Assert.Equal(new OutboxRunResult(2, 0, null), result);
        var files = Directory.GetFiles(bed.Options.PickupDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { $"{plain.Id}.eml", $"{invitation.Id}.eml" }.Order(StringComparer.Ordinal), files);

        var first = MimeMessage.Load(Path.Combine(bed.Options.PickupDirectory, $"{plain.Id}.eml"));
        Assert.Equal($"{plain.Id:N}@procesflow.local", first.MessageId);
        Assert.Equal("Møde i styregruppen", first.Subject);
        Assert.Equal(["a@kkr.example.dk", "b@kkr.example.dk"], first.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("ProcesFlow", first.From.Mailboxes.Single().Name);
        Assert.Equal("procesflow@procesflow.local", first.From.Mailboxes.Single().Address);
        Assert.Equal(MailTestBed.Start.ToDateTimeOffset(), first.Date.ToUniversalTime());
        Assert.Equal("Dagsordenen følger.", first.TextBody!.TrimEnd());

        var second = MimeMessage.Load(Path.Combine(bed.Options.PickupDirectory, $"{invitation.Id}.eml"));
        Assert.Equal("Høring: Erhvervsfremmestrategi 2020-2023 (SAG-2019-05950)", second.Subject);
        Assert.Contains(second.Attachments, a => a.ContentType.MimeType == "text/calendar");

        // The file holds exactly the stored message, and the row says it was sent.
        foreach (var row in await bed.RowsAsync())
        {
            Assert.Equal(OutboxStatus.Sent, row.Status);
            Assert.Equal(MailTestBed.Start, row.SentAt);
            Assert.Equal(1, row.Attempts);
            Assert.Equal(row.Mime, await File.ReadAllBytesAsync(Path.Combine(bed.Options.PickupDirectory, $"{row.Id}.eml")));
        }
    }

    [Fact]
    public async Task SendDueAsync_TemplatedInvitationOverSmtp_ArrivesInDanishWithAnswerLinkAndCalendar()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp(sink);
        bed.Options.Smtp.From = "KKR Midtjylland <hoering@kkr-midt.example.dk>";
        var partyTaskId = Guid.CreateVersion7();
        var row = await bed.QueueAsync("invitation", MailTestBed.HearingModel(token: "Zk3-q_9"), ["hoeringer@aarhus.example.dk"], partyTaskId);
        using var dispatcher = bed.Dispatcher();

        var result = await dispatcher.SendDueAsync(CancellationToken.None);

        Assert.Equal(1, result.Sent);
        var mail = Assert.Single(sink.Messages()).Message;
        Assert.Equal($"{row.Id:N}@kkr-midt.example.dk", mail.MessageId);
        Assert.Equal("KKR Midtjylland", mail.From.Mailboxes.Single().Name);
        Assert.Equal("hoeringer@aarhus.example.dk", mail.To.Mailboxes.Single().Address);
        Assert.Equal("Høring: Erhvervsfremmestrategi 2020-2023 (SAG-2019-05950)", mail.Subject);

        const string Link = "https://procesflow.example.dk/svar/Zk3-q_9";
        foreach (var body in new[] { mail.TextBody, mail.HtmlBody })
        {
            Assert.Contains("Kære Aarhus Kommune", body, StringComparison.Ordinal);
            Assert.Contains("KKR Midtjylland sender hermed", body, StringComparison.Ordinal);
            Assert.Contains("SAG-2019-05950", body, StringComparison.Ordinal);
            Assert.Contains("Svar senest torsdag den 31. oktober 2019 kl. 12.00", body, StringComparison.Ordinal);
            Assert.Contains("Udkast til strategi", body, StringComparison.Ordinal);
            Assert.Contains("https://kkr.example.dk/materiale/strategi.pdf", body, StringComparison.Ordinal);
            Assert.Contains("Følgebrev", body, StringComparison.Ordinal);
            Assert.Contains(Link, body, StringComparison.Ordinal);
            Assert.Contains("Linket er personligt for Aarhus Kommune", body, StringComparison.Ordinal);
            Assert.Contains("Vi ser frem til jeres bemærkninger.", body, StringComparison.Ordinal);
        }
        Assert.Contains("<html lang=\"da\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{Link}\"", mail.HtmlBody, StringComparison.Ordinal);

        var attachment = (MimePart)Assert.Single(mail.Attachments);
        Assert.Equal("text/calendar", attachment.ContentType.MimeType);
        Assert.Equal("PUBLISH", attachment.ContentType.Parameters["method"]);
        Assert.Equal("hoeringsfrist.ics", attachment.FileName);
        using var ics = new MemoryStream();
        await attachment.Content!.DecodeToAsync(ics);
        var calendar = IcalCalendar.Load(Encoding.UTF8.GetString(ics.ToArray()))!;
        Assert.Equal("PUBLISH", calendar.Method);
        var deadline = Assert.Single<CalendarEvent>(calendar.Events);
        Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0).ToDateTimeUtc(), deadline.DtStart!.AsUtc);
        Assert.Equal($"{partyTaskId}@procesflow", deadline.Uid);
        Assert.Equal(0, deadline.Sequence);
        Assert.Equal("Høringsfrist: Erhvervsfremmestrategi 2020-2023", deadline.Summary);
        Assert.Contains("SAG-2019-05950", deadline.Description, StringComparison.Ordinal);
        Assert.Contains(Link, deadline.Description, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SendDueAsync_RecipientRefusedForGood_IsReportedAsABounce_NotRetried_WithAnIncidentWhenNoHearingTookIt()
    {
        await using var imap = await ImapServer.StartAsync();
        await using var server = await BouncingMailRoute.StartAsync(imap.Maildir, "kkr.example", ["ukendt@kommune.example"], withPostfix: false);
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp(server.Host, server.RemotePort);
        var partyTaskId = Guid.CreateVersion7();
        var row = await bed.QueueAsync("invitation", MailTestBed.HearingModel(), to: ["ukendt@kommune.example"], partyTaskId: partyTaskId);
        using var dispatcher = bed.Dispatcher();

        await dispatcher.SendDueAsync(CancellationToken.None);

        var (task, address, reason) = Assert.Single(bed.Bounces.Recorded);
        Assert.Equal((partyTaskId, "ukendt@kommune.example"), (task, address));
        Assert.StartsWith("550 ", reason, StringComparison.Ordinal);
        // A 5xx refusal is final: no retry is planned; with no hearing to show it, an incident does.
        var failed = await bed.RowAsync(row.Id);
        Assert.Equal((OutboxStatus.Failed, 1), (failed.Status, failed.Attempts));
        Assert.Contains("ukendt@kommune.example", Assert.Single(await bed.IncidentsAsync()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendDueAsync_TitleWithScript_IsEscapedInHtmlPart()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp(sink);
        await bed.QueueAsync("invitation", MailTestBed.HearingModel(title: "Plan <script>alert('x')</script> & \"mere\""));
        using var dispatcher = bed.Dispatcher();

        await dispatcher.SendDueAsync(CancellationToken.None);

        var mail = Assert.Single(sink.Messages()).Message;
        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Plan &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;mere&quot;", mail.HtmlBody, StringComparison.Ordinal);
        // Plain text and subject are not HTML: they carry the title as written.
        Assert.Contains("Plan <script>alert('x')</script> & \"mere\"", mail.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("Høring: Plan <script>", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendDueAsync_SeveralMails_OneSmtpConnectionPerBatch()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp(sink);
        bed.Options.BatchSize = 3;
        for (var i = 0; i < 7; i++)
        {
            await bed.QueueAsync("invitation", MailTestBed.HearingModel(token: $"t{i}"), [$"kommune{i}@example.dk"]);
            bed.Clock.AdvanceSeconds(1);
        }
        using var dispatcher = bed.Dispatcher();

        var result = await dispatcher.SendDueAsync(CancellationToken.None);

        Assert.Equal(7, result.Sent);
        var received = sink.Messages();
        Assert.Equal(7, received.Count);
        // Batches of 3, 3 and 1: three connections, seen by the client (EHLO) and by the server (peer port).
        Assert.Equal(3, bed.SmtpConnections());
        Assert.Equal(3, received.Select(m => m.Peer).Distinct().Count());
        Assert.Equal([3, 3, 1], received.GroupBy(m => m.Peer).Select(g => g.Count()).OrderDescending());
        // Oldest first.
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"kommune{i}@example.dk"), received.Select(m => m.Message.To.Mailboxes.Single().Address));
    }

    [Fact]
    public async Task SendDueAsync_ServerRefusesOneMail_TheOthersStillGoOverTheSameConnection()
    {
        // The sink refuses messages over 4 000 bytes: the templated invitation is larger, the short notes are not.
        await using var sink = await SmtpSink.StartAsync(maxMessageSize: 4000);
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp(sink);
        var before = await bed.QueueAsync(subject: "Første", text: "Kort besked.");
        bed.Clock.AdvanceSeconds(1);
        var large = await bed.QueueAsync("invitation", MailTestBed.HearingModel());
        bed.Clock.AdvanceSeconds(1);
        var after = await bed.QueueAsync(subject: "Sidste", text: "Kort besked.");
        using var dispatcher = bed.Dispatcher();

        var result = await dispatcher.SendDueAsync(CancellationToken.None);

        Assert.Equal((2, 1), (result.Sent, result.Failed));
        Assert.Equal(["Første", "Sidste"], sink.Messages().Select(m => m.Message.Subject));
        Assert.Equal(1, bed.SmtpConnections());
        var refused = await bed.RowAsync(large.Id);
        Assert.Equal((OutboxStatus.Pending, 1), (refused.Status, refused.Attempts));
        Assert.StartsWith($"Refused by the SMTP server 127.0.0.1:{sink.Port} (552 ", refused.LastError, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Sent, (await bed.RowAsync(before.Id)).Status);
        Assert.Equal(OutboxStatus.Sent, (await bed.RowAsync(after.Id)).Status);
    }

    [Fact]
    public async Task SendDueAsync_SmtpDown_RowsWaitWithBackOffThenArriveExactlyOnce()
    {
        await using var sink = SmtpSink.NotStarted();
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp(sink);
        var rows = new List<OutboxRow>();
        for (var i = 0; i < 3; i++)
        {
            rows.Add(await bed.QueueAsync("invitation", MailTestBed.HearingModel(token: $"t{i}"), [$"kommune{i}@example.dk"]));
        }
        using var dispatcher = bed.Dispatcher();

        // Down: every row of the batch fails this attempt and backs off 10 s; the message is already stored.
        var first = await dispatcher.SendDueAsync(CancellationToken.None);
        Assert.Equal(new OutboxRunResult(0, 3, MailTestBed.Start + Duration.FromSeconds(10)), first);
        foreach (var row in await bed.RowsAsync())
        {
            Assert.Equal(OutboxStatus.Pending, row.Status);
            Assert.Equal(1, row.Attempts);
            Assert.Equal(MailTestBed.Start + Duration.FromSeconds(10), row.NextAttemptAt);
            Assert.StartsWith($"Could not connect to the SMTP server 127.0.0.1:{sink.Port}", row.LastError, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", row.LastError, StringComparison.Ordinal);
            Assert.NotNull(row.Mime);
        }

        // Not due yet: nothing is tried.
        Assert.Equal(new OutboxRunResult(0, 0, MailTestBed.Start + Duration.FromSeconds(10)), await dispatcher.SendDueAsync(CancellationToken.None));

        // Still down at the second attempt: the next wait is 30 s.
        bed.Clock.AdvanceSeconds(10);
        var second = await dispatcher.SendDueAsync(CancellationToken.None);
        Assert.Equal(new OutboxRunResult(0, 3, MailTestBed.Start + Duration.FromSeconds(40)), second);
        Assert.All(await bed.RowsAsync(), row => Assert.Equal(2, row.Attempts));

        // Back up; once the wait is over every mail arrives, once.
        await sink.StartAgainAsync();
        bed.Clock.AdvanceSeconds(30);
        var third = await dispatcher.SendDueAsync(CancellationToken.None);
        Assert.Equal(new OutboxRunResult(3, 0, null), third);
        Assert.Equal(new OutboxRunResult(0, 0, null), await dispatcher.SendDueAsync(CancellationToken.None));
        bed.Clock.AdvanceHours(24);
        Assert.Equal(new OutboxRunResult(0, 0, null), await dispatcher.SendDueAsync(CancellationToken.None));

        var received = sink.Messages();
        Assert.Equal(rows.Select(r => $"{r.Id:N}@procesflow.local").Order(StringComparer.Ordinal), received.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.All(await bed.RowsAsync(), row =>
        {
            Assert.Equal(OutboxStatus.Sent, row.Status);
            Assert.Equal(3, row.Attempts);
            Assert.Null(row.LastError);
        });
    }

    [Fact]
    public async Task SendDueAsync_RetriesUsedUp_MarksFailedAndRecordsIncident()
    {
        await using var sink = SmtpSink.NotStarted();
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp(sink);
        bed.Options.RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];
        var row = await bed.QueueAsync("reminder", MailTestBed.HearingModel(), ["a@aarhus.example.dk", "b@aarhus.example.dk"]);
        using var dispatcher = bed.Dispatcher();

        Assert.Equal(1, (await dispatcher.SendDueAsync(CancellationToken.None)).Failed);
        bed.Clock.AdvanceSeconds(1);
        Assert.Equal(1, (await dispatcher.SendDueAsync(CancellationToken.None)).Failed);
        Assert.Empty(await bed.IncidentsAsync());
        bed.Clock.AdvanceSeconds(2);
        var last = await dispatcher.SendDueAsync(CancellationToken.None);

        Assert.Equal(new OutboxRunResult(0, 1, null), last);
        var failed = await bed.RowAsync(row.Id);
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Equal(3, failed.Attempts);
        Assert.Null(failed.SentAt);
        var incident = Assert.Single(await bed.IncidentsAsync());
        Assert.Equal(row.InstanceId, incident.InstanceId);
        Assert.Equal(row.ActivityId, incident.ActivityId);
        Assert.Equal("SendEmail", incident.ActivityType);
        Assert.Equal(3, incident.Attempt);
        Assert.Equal(MailTestBed.Start + Duration.FromSeconds(3), incident.OccurredAt);
        Assert.Equal(
            $"Gave up sending the 'reminder' mail to a@aarhus.example.dk, b@aarhus.example.dk after 3 attempts. Last error: {failed.LastError}",
            incident.Message);
        Assert.Contains("Could not connect to the SMTP server", incident.Message, StringComparison.Ordinal);

        // Given up means given up: a later run neither sends nor records it again.
        await sink.StartAgainAsync();
        bed.Clock.AdvanceHours(1);
        Assert.Equal(new OutboxRunResult(0, 0, null), await dispatcher.SendDueAsync(CancellationToken.None));
        Assert.Empty(sink.Messages());
        Assert.Single(await bed.IncidentsAsync());
    }

    [Fact]
    public async Task SendDueAsync_CrashBetweenSendAndMarkSent_ResendsTheSameMessage()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp(sink);
        var row = await bed.QueueAsync("invitation", MailTestBed.HearingModel(), partyTaskId: Guid.CreateVersion7());
        using var dispatcher = bed.Dispatcher();
        await dispatcher.SendDueAsync(CancellationToken.None);
        var stored = (await bed.RowAsync(row.Id)).Mime!;

        // The crash: the server has the mail but the row never got marked. An hour later it is due again.
        bed.Clock.AdvanceHours(1);
        await using (var db = await bed.Contexts.CreateDbContextAsync())
        {
            var now = bed.Clock.GetCurrentInstant();
            await db.Outbox.Where(o => o.Id == row.Id).ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Status, OutboxStatus.Pending)
                .SetProperty(o => o.SentAt, (Instant?)null)
                .SetProperty(o => o.NextAttemptAt, now));
        }
        await dispatcher.SendDueAsync(CancellationToken.None);

        var received = sink.Messages();
        Assert.Equal(2, received.Count);
        Assert.All(received, m => Assert.Equal($"{row.Id:N}@procesflow.local", m.MessageId));
        Assert.Equal(received[0].Message.Date, received[1].Message.Date);
        Assert.Equal(received[0].WithoutSinkHeaders(), received[1].WithoutSinkHeaders());
        Assert.Equal(stored, (await bed.RowAsync(row.Id)).Mime);
        Assert.Equal(Normalize(stored), Normalize(Encoding.UTF8.GetBytes(received[1].WithoutSinkHeaders())));

        static string Normalize(byte[] mime) => Encoding.UTF8.GetString(mime).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
    }

    [Fact]
    public async Task SendDueAsync_ConcurrentCalls_SendEachRowOnce()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp(sink);
        bed.Options.BatchSize = 4;
        var rows = new List<OutboxRow>();
        for (var i = 0; i < 48; i++)
        {
            rows.Add(await bed.QueueAsync(subject: $"Besked {i}", text: "Kort besked.", to: [$"kommune{i}@example.dk"]));
        }
        // Two callers on one dispatcher (the semaphore) and four more dispatchers on the same database, as other
        // nodes would be (the claim). They all start at once and race for the same oldest rows.
        var shared = bed.Dispatcher();
        var dispatchers = new[] { shared, shared, bed.Dispatcher(), bed.Dispatcher(), bed.Dispatcher(), bed.Dispatcher() };
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = dispatchers.Select(d => Task.Run(async () =>
        {
            await go.Task;
            return await d.SendDueAsync(CancellationToken.None);
        })).ToList();

        go.SetResult();
        var results = await Task.WhenAll(runs);

        Assert.Equal(48, results.Sum(r => r.Sent));
        Assert.Equal(0, results.Sum(r => r.Failed));
        var received = sink.Messages();
        Assert.Equal(rows.Select(r => $"{r.Id:N}@procesflow.local").Order(StringComparer.Ordinal), received.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.All(await bed.RowsAsync(), row => Assert.Equal((OutboxStatus.Sent, 1), (row.Status, row.Attempts)));
        foreach (var dispatcher in dispatchers.Distinct())
        {
            dispatcher.Dispose();
        }
    }

    [Fact]
    public async Task SendDueAsync_RowClaimedByAnotherSenderAfterItWasRead_IsLeftToThatSender()
    {
        await using var bed = await MailTestBed.CreateAsync(database);
        await bed.QueueAsync(subject: "A");
        await bed.QueueAsync(subject: "B");
        // Exactly between this dispatcher's read of the due rows and its first claim, another sender claims them all.
        var otherSender = new ClaimEverythingFirst(bed.Contexts, bed.Clock.GetCurrentInstant() + Duration.FromMinutes(10));
        using var dispatcher = bed.Dispatcher(bed.ContextsWith(otherSender));

        var result = await dispatcher.SendDueAsync(CancellationToken.None);

        Assert.True(otherSender.Claimed);
        Assert.Equal((0, 0), (result.Sent, result.Failed));
        Assert.False(Directory.Exists(bed.Options.PickupDirectory) && Directory.EnumerateFiles(bed.Options.PickupDirectory).Any());
        Assert.All(await bed.RowsAsync(), row => Assert.Equal((OutboxStatus.Pending, 0, (byte[]?)null), (row.Status, row.Attempts, row.Mime)));
    }

    /// <summary>Before the first UPDATE of the outbox runs, moves every row's NextAttemptAt on, as another node's claim would.</summary>
    private sealed class ClaimEverythingFirst(IDbContextFactory<ProcesFlowDbContext> otherNode, Instant claimedUntil) : DbCommandInterceptor
    {
        public bool Claimed { get; private set; }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            // SQLite writes UPDATE "outbox", PostgreSQL UPDATE outbox AS o.
            if (!Claimed && command.CommandText.StartsWith("UPDATE", StringComparison.Ordinal) && command.CommandText.Contains("outbox", StringComparison.Ordinal))
            {
                Claimed = true;
                await using var db = await otherNode.CreateDbContextAsync(cancellationToken);
                await db.Outbox.ExecuteUpdateAsync(set => set.SetProperty(o => o.NextAttemptAt, claimedUntil), cancellationToken);
            }
            return result;
        }
    }

    [Fact]
    public async Task SendDueAsync_BrokenOverrideTemplate_FailsTheAttemptWithAClearMessageUntilFixed()
    {
        await using var bed = await MailTestBed.CreateAsync(database);
        var templates = Directory.CreateDirectory(Path.Combine(bed.Folder, "templates")).FullName;
        bed.Options.TemplatesFolder = templates;
        await File.WriteAllTextAsync(Path.Combine(templates, "invitation.text.liquid"), "Kære {{ partyName }}\n{% if deadline %}Frist: {{ deadline.text }}\n");
        var row = await bed.QueueAsync("invitation", MailTestBed.HearingModel());
        using var dispatcher = bed.Dispatcher();

        var result = await dispatcher.SendDueAsync(CancellationToken.None);

        Assert.Equal(new OutboxRunResult(0, 1, MailTestBed.Start + Duration.FromSeconds(10)), result);
        var failed = await bed.RowAsync(row.Id);
        Assert.Equal(OutboxStatus.Pending, failed.Status);
        Assert.Null(failed.Mime);
        Assert.Equal("The mail could not be composed: The template invitation.text.liquid has a Liquid syntax error: '{% endif %}' was expected at (3:1)", failed.LastError);

        // The process owner fixes the file; the next attempt renders it.
        await File.WriteAllTextAsync(Path.Combine(templates, "invitation.text.liquid"), "Kære {{ partyName }}\n{% if deadline %}Frist: {{ deadline.text }}{% endif %}\n");
        bed.Clock.AdvanceSeconds(10);
        Assert.Equal(1, (await dispatcher.SendDueAsync(CancellationToken.None)).Sent);
        var mail = MimeMessage.Load(Path.Combine(bed.Options.PickupDirectory, $"{row.Id}.eml"));
        Assert.Equal("Kære Aarhus Kommune\nFrist: torsdag den 31. oktober 2019 kl. 12.00\n", mail.TextBody!.ReplaceLineEndings("\n"));
        Assert.Contains("Svar senest torsdag den 31. oktober 2019 kl. 12.00", mail.HtmlBody, StringComparison.Ordinal);
    }
}

[Trait("Database", "Sqlite")]
public sealed class OutboxDispatcherTestsOnSqlite() : OutboxDispatcherTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class OutboxDispatcherTestsOnPostgreSql() : OutboxDispatcherTests(TestDatabase.PostgreSql);
