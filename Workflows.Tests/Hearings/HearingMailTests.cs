using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;
using Workflows.Definitions.Parties;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Hearings;

/// <summary>
/// Hearings end to end with a real SMTP server on loopback (aiosmtpd): what the kommuner actually receive,
/// reminders only to the missing, a host killed mid-send, and an SMTP server that is down for a while.
/// </summary>
public abstract partial class HearingMailTests(TestDatabase database)
{
    private static readonly PartyDirectory Directory = PartyDirectory.LoadReference();

    private static readonly JsonNode MidtjyllandInput = JsonNode.Parse("""
        {
          "title": "Erhvervsfremmestrategi 2020-2023", "caseNumber": "SAG-2019-05950", "sender": "KKR Midtjylland",
          "parties": "midtjylland",
          "deadline": { "date": "2019-10-31", "at": "12:00" },
          "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ],
          "material": [ { "title": "Udkast til strategi", "url": "https://www.kl.dk/udkast.pdf" } ]
        }
        """)!;

    [Fact]
    public async Task Midtjylland_NineteenInvitationsArrive_SevenAnswer_ReminderToExactlyTheOtherTwelve_ThenOverdue()
    {
        await using var smtp = await SmtpSink.StartAsync();
        using var factory = new ProcesFlowApiFactory(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
        factory.Settings["ProcesFlow:Mail:Smtp:Host"] = smtp.Host;
        factory.Settings["ProcesFlow:Mail:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["ProcesFlow:Mail:Smtp:From"] = "kkr@midtjylland.example";
        var client = factory.CreateApiClient();
        var anonymous = factory.CreateClient();

        var id = (await (await client.PostJsonAsync("/api/instances", new { definitionId = "standard-hearing", input = MidtjyllandInput })).ReadAsync<InstanceStarted>()).InstanceId;

        var invitations = await WaitForAsync(smtp, 19);
        var kommuner = Directory.InRegion(DanishRegion.Midtjylland);
        Assert.Equal(kommuner.SelectMany(k => k.Contacts).Order(), invitations.Select(Recipient).Order());
        foreach (var mail in invitations)
        {
            var party = kommuner.Single(k => k.Contacts.Contains(Recipient(mail)));
            Assert.Contains("Erhvervsfremmestrategi 2020-2023", mail.Message.Subject, StringComparison.Ordinal);
            Assert.Contains("SAG-2019-05950", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Svar senest torsdag den 31. oktober 2019 kl. 12.00", mail.Message.TextBody, StringComparison.Ordinal);

            // The personal link works and shows this party's page.
            var link = AnswerLink().Match(mail.Message.TextBody ?? "");
            Assert.True(link.Success, mail.Message.TextBody);
            var page = await anonymous.GetAsync(new Uri(link.Value).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(party.Name, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // The .ics holds the deadline: Thursday 31 October 2019 12:00 in Copenhagen is 11:00Z.
            var ics = mail.Message.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "text/calendar");
            using var stream = new MemoryStream();
            await ics.Content!.DecodeToAsync(stream);
            var calendar = Ical.Net.Calendar.Load(System.Text.Encoding.UTF8.GetString(stream.ToArray()))!;
            var deadline = Assert.Single(calendar.Events).DtStart!;
            Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0), Instant.FromDateTimeUtc(deadline.AsUtc));
        }

        var details = await (await client.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();
        var answering = details.Parties.Take(7).ToList();
        foreach (var party in answering)
        {
            await (await client.PostJsonAsync($"/api/instances/{id}/parties/{party.PartyId}/answer", new { text = "Vi bakker op." })).ReadAsync<SignalResult>();
        }
        var receipts = (await WaitForAsync(smtp, 19 + 7)).Skip(19).ToList();
        Assert.Equal(answering.SelectMany(p => Directory.Find(p.PartyId)!.Contacts).Order(), receipts.Select(Recipient).Order());

        await client.PostJsonAsync("/api/clock/advance", new { to = "2019-10-28T08:00:00Z" });
        var reminders = (await WaitForAsync(smtp, 19 + 7 + 12)).Skip(26).ToList();
        var missing = details.Parties.Skip(7).SelectMany(p => Directory.Find(p.PartyId)!.Contacts).Order().ToList();
        Assert.Equal(missing, reminders.Select(Recipient).Order());
        Assert.All(reminders, r => Assert.Contains("Svar senest torsdag den 31. oktober 2019 kl. 12.00", r.Message.TextBody, StringComparison.Ordinal));
        // The reminder carries the party's own answer link (signed anew for each mail), so the kommune can answer from it.
        foreach (var reminder in reminders)
        {
            var party = details.Parties.Single(p => Directory.Find(p.PartyId)!.Contacts.Contains(Recipient(reminder)));
            var page = await anonymous.GetAsync(new Uri(AnswerLink().Match(reminder.Message.TextBody ?? "").Value).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains($"<dd>{party.Name}</dd>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await client.PostJsonAsync("/api/clock/advance", new { to = "2019-10-31T11:00:00Z" });
        var outstanding = (await (await client.GetAsync("/api/outstanding?region=midtjylland")).ReadAsync<List<OutstandingTask>>()).Where(o => o.InstanceId == id).ToList();
        Assert.Equal(details.Parties.Skip(7).Select(p => p.PartyId).Order(), outstanding.Select(o => o.PartyId).Order());
        Assert.All(outstanding, o => Assert.True(o.Overdue));
        // Nothing more was sent at the deadline.
        await Task.Delay(500);
        Assert.Equal(38, smtp.Messages().Count);
    }

    [Fact]
    public async Task HostKilledWhileSendingInvitations_AfterRestartEveryKommuneHasExactlyOneInvitation()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var folder = System.IO.Directory.CreateTempSubdirectory("procesflow-kill-").FullName;
        var settings = TestDatabases.Settings(database, folder, new()
        {
            ["ProcesFlow:ApiKeys:0"] = ProcesFlowApiFactory.ApiKey,
            ["ProcesFlow:Mail:Smtp:Host"] = smtp.Host,
            ["ProcesFlow:Mail:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ProcesFlow:Mail:BatchSize"] = "10",
            ["ProcesFlow:Mail:ClaimDuration"] = "00:00:02",
            ["ProcesFlow:DefinitionsFolder"] = Definitions.DefinitionsFolder.Path,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        try
        {
            await using (var first = await HostProcess.StartAsync(folder, settings))
            {
                using var client = Client(first);
                await (await client.PostJsonAsync("/api/instances", new
                {
                    definitionId = "standard-hearing",
                    input = new { title = "Dimensionering af pædagoguddannelsen", parties = "alle-kommuner", deadline = new { workingDays = 20, at = "12:00" } },
                })).ReadAsync<InstanceStarted>();
                var elapsed = Stopwatch.StartNew();
                while (smtp.Messages().Count == 0 && elapsed.Elapsed < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(20);
                }
                await first.KillAsync();
            }
            var beforeRestart = smtp.Messages().Count;
            Assert.InRange(beforeRestart, 1, 97);

            await using var second = await HostProcess.StartAsync(folder, settings);
            var all = await WaitForRecipientsAsync(smtp, 98, TimeSpan.FromSeconds(60));
            foreach (var recipient in all.GroupBy(Recipient))
            {
                // A resend after the kill is allowed, but it must be the same mail: one Message-ID per kommune.
                Assert.Single(recipient.Select(m => m.MessageId).Distinct());
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestDatabases.Drop(database, folder);
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task SmtpDownForAWhile_MailsWaitAreRetried_AndAllArriveOnceItIsBack()
    {
        await using var smtp = SmtpSink.NotStarted();
        using var factory = new ProcesFlowApiFactory(database);
        factory.Settings["ProcesFlow:Mail:Smtp:Host"] = smtp.Host;
        factory.Settings["ProcesFlow:Mail:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["ProcesFlow:Mail:RetryDelays:0"] = "00:00:01";
        factory.Settings["ProcesFlow:Mail:RetryDelays:1"] = "00:00:01";
        factory.Settings["ProcesFlow:Mail:RetryDelays:2"] = "00:00:02";
        factory.Settings["ProcesFlow:Mail:RetryDelays:3"] = "00:00:02";
        factory.Settings["ProcesFlow:Mail:RetryDelays:4"] = "00:00:02";
        var client = factory.CreateApiClient();

        await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Rammeaftale 2021-22", parties = new[] { "holbaek", "roskilde", "region-sjaelland" }, deadline = new { workingDays = 20, at = "12:00" } },
        })).ReadAsync<InstanceStarted>();

        // While the server is down the mails wait in the outbox with failed attempts, none lost.
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < TimeSpan.FromSeconds(20))
        {
            await using var db = await contexts.CreateDbContextAsync();
            if (await db.Outbox.CountAsync(o => o.Status == "Pending" && o.Attempts >= 1) == 3)
            {
                break;
            }
            await Task.Delay(100);
        }
        await using (var db = await contexts.CreateDbContextAsync())
        {
            Assert.Equal(3, await db.Outbox.CountAsync(o => o.Status == "Pending" && o.Attempts >= 1 && o.LastError != null));
        }

        await smtp.StartAgainAsync();
        var arrived = await WaitForAsync(smtp, 3, TimeSpan.FromSeconds(30));
        Assert.Equal(new[] { "holbaek", "region-sjaelland", "roskilde" }.SelectMany(p => Directory.Find(p)!.Contacts).Order(), arrived.Select(Recipient).Order());
        await Task.Delay(1500);
        Assert.Equal(3, smtp.Messages().Count);
    }

    private static string Recipient(ReceivedMail mail) => mail.Message.To.Mailboxes.Single().Address;

    private static async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(SmtpSink smtp, int count, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < (timeout ?? TimeSpan.FromSeconds(20)))
        {
            var messages = smtp.Messages();
            if (messages.Count >= count)
            {
                return messages;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Expected {count} mails, got {smtp.Messages().Count}.\n{smtp.Output}");
        return [];
    }

    private static async Task<IReadOnlyList<ReceivedMail>> WaitForRecipientsAsync(SmtpSink smtp, int recipients, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < timeout)
        {
            var messages = smtp.Messages();
            if (messages.Select(Recipient).Distinct().Count() >= recipients)
            {
                return messages;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"Expected mail to {recipients} recipients, got {smtp.Messages().Select(Recipient).Distinct().Count()}.");
        return [];
    }

    private static HttpClient Client(HostProcess host)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ProcesFlowApiFactory.ApiKey);
        return client;
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:5080/svar/[A-Za-z0-9_\-]+")]
    private static partial Regex AnswerLink();
}

[Trait("Database", "Sqlite")]
public sealed class HearingMailTestsOnSqlite() : HearingMailTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class HearingMailTestsOnPostgreSql() : HearingMailTests(TestDatabase.PostgreSql);
