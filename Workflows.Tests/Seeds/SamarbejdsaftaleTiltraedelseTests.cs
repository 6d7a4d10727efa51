using System.Net;
using Workflows.Tests.Support;

namespace Workflows.Tests.Seeds;

/// <summary>
/// The samarbejdsaftale on kommunale akutfunktioner in Hovedstaden (SEEDS-ANALYSIS §1.10, scenario S7): approved in
/// praksisplanudvalget (30 October 2019) and sundhedskoordinationsudvalget, sent by KKR Hovedstaden (7 November 2019)
/// to the 29 kommuner for accession, in force 1 February 2020; run from <c>definitions-json/</c> on the simulated clock
/// against a real SMTP server.
/// </summary>
/// <remarks>
/// The sources give no date for the SKU meeting; the tests pass Monday 4 November 2019 14:00. The accession deadline
/// (Friday 31 January 2020 12:00, the last working day before the entry into force) is the definition's default.
/// </remarks>
public abstract class SamarbejdsaftaleTiltraedelseTests(TestDatabase database)
{
    private const string Title = "Samarbejdsaftale om kommunale akutfunktioner og honoreringsaftale";

    private static readonly IReadOnlyList<string> Kommuner = SeedTestBed.Directory.Groups.Single(g => g.Id == "alle-kommuner-hovedstaden").MemberIds;

    [Fact]
    public async Task BothCommitteesThenKkr_29AccessionMails_27Accede1Declines1Silent_NotApprovedWithAWarningNamingTheMissing()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2019-10-21T09:00");
        var id = await bed.StartAsync("samarbejdsaftale-tiltraedelse", new
        {
            skuMeeting = new { date = "2019-11-04", at = "14:00" },
            reminders = new[] { new { workingDaysBefore = 5, at = "09:00" } },
        });

        // The two committees decide in parallel: PPU at its next meeting in the calendar, SKU at the given one.
        await bed.AssertWaitingAtAsync(id, "ppu", "sku");
        var journal = await bed.JournalAsync(id);
        Assert.Contains($"'{Title}' er sat på dagsordenen til mødet i Praksisplanudvalget i Region Hovedstaden onsdag den 30. oktober 2019 kl. 10.00.", journal);
        Assert.Contains($"'{Title}' er sat på dagsordenen til mødet i Sundhedskoordinationsudvalget i Region Hovedstaden mandag den 4. november 2019 kl. 14.00.", journal);

        // KKR cannot decide before both committees have approved.
        Assert.Equal(HttpStatusCode.Conflict, (await bed.Client.PostJsonAsync($"/api/instances/{id}/decisions/kkr", new { outcome = "approved" })).StatusCode);
        await bed.AdvanceToAsync("2019-10-30T12:00");
        await bed.DecideAsync(id, "ppu", "approved");
        Assert.Contains($"Praksisplanudvalget i Region Hovedstaden har godkendt '{Title}'.", await bed.JournalAsync(id));
        await bed.AssertWaitingAtAsync(id, "sku");
        Assert.Equal(HttpStatusCode.Conflict, (await bed.Client.PostJsonAsync($"/api/instances/{id}/decisions/kkr", new { outcome = "approved" })).StatusCode);

        await bed.AdvanceToAsync("2019-11-04T16:00");
        await bed.DecideAsync(id, "sku", "approved");

        // Then KKR Hovedstaden's next meeting: 7 November 2019.
        await bed.AssertWaitingAtAsync(id, "kkr");
        Assert.Contains($"'{Title}: udsendes til tiltrædelse i kommunerne' er sat på dagsordenen til mødet i KKR Hovedstaden torsdag den 7. november 2019 kl. 10.00.", await bed.JournalAsync(id));
        await bed.NoMailsAsync();
        await bed.AdvanceToAsync("2019-11-07T12:00");
        await bed.DecideAsync(id, "kkr", "approved");

        // 29 accession mails, one per kommune, naming the deadline and the entry into force.
        var requests = await bed.NextMailsAsync(29);
        Assert.Equal(SeedTestBed.ContactsOf("alle-kommuner-hovedstaden"), requests.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(requests, mail =>
        {
            Assert.Equal($"Til tiltrædelse: {Title}", mail.Message.Subject);
            Assert.Contains($"KKR Hovedstaden sender hermed »{Title}« til tiltrædelse i jeres kommunalbestyrelse", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Meddel jeres beslutning senest fredag den 31. januar 2020 kl. 12.00. Aftalen træder i kraft lørdag den 1. februar 2020.", mail.Message.TextBody, StringComparison.Ordinal);
        });
        Assert.Contains($"'{Title}' sendes til tiltrædelse hos 29 parter med frist fredag den 31. januar 2020 kl. 12.00; træder i kraft lørdag den 1. februar 2020.", await bed.JournalAsync(id));

        // November–January: 26 accede, Dragør declines (local extra costs); Halsnæs and Bornholm have not answered.
        var declining = "dragoer";
        var late = "halsnaes";
        var silent = "bornholm";
        var acceding = Kommuner.Except([declining, late, silent]).ToList();
        await bed.AdvanceToAsync("2019-12-12T10:00");
        foreach (var kommune in acceding)
        {
            await bed.AnswerAsync(id, kommune, "Kommunalbestyrelsen har tiltrådt aftalen.", "approved");
        }
        await bed.AnswerAsync(id, declining, "Kommunalbestyrelsen tiltræder ikke aftalen.", "rejected");
        var receipts = await bed.NextMailsAsync(27);
        Assert.Equal(SeedTestBed.ContactsOf([.. acceding, declining]), receipts.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(receipts, mail => Assert.Equal($"Kvittering for jeres beslutning: {Title}", mail.Message.Subject));

        // Five working days before Friday 31 January: a reminder to the two who have not decided, and no one else.
        await bed.AdvanceToAsync("2020-01-23T23:00");
        await bed.NoMailsAsync();
        await bed.AdvanceToAsync("2020-01-24T09:00");
        var reminders = await bed.NextMailsAsync(2);
        Assert.Equal(SeedTestBed.ContactsOf(late, silent), reminders.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(reminders, mail => Assert.Equal($"Påmindelse: tiltrædelse af »{Title}«", mail.Message.Subject));

        await bed.AdvanceToAsync("2020-01-28T10:00");
        await bed.AnswerAsync(id, late, "Tiltrådt på kommunalbestyrelsens møde 27. januar.", "approved");
        Assert.Equal(SeedTestBed.ContactsOf(late), (await bed.NextMailsAsync(1)).Select(SeedTestBed.Recipient));

        // At the deadline the round closes: 27 of 29, so not all have acceded; the warning names the two missing.
        await bed.AdvanceToAsync("2020-01-31T11:59");
        await bed.AssertWaitingAtAsync(id, "accede");
        await bed.AdvanceToAsync("2020-01-31T12:00");
        await bed.NoMailsAsync();
        var details = await bed.DetailsAsync(id);
        Assert.Equal("Finished", details.Status);
        journal = await bed.JournalAsync(id);
        Assert.Contains("Bornholms Regionskommune har ikke svaret inden fristen fredag den 31. januar 2020 kl. 12.00.", journal);
        Assert.Contains("Runden er afsluttet: 27 af 29 har tiltrådt (29 kræves), 1 har ikke, 1 har ikke svaret.", journal);
        var missing = Kommuner.Where(k => k is "dragoer" or "bornholm").Select(k => SeedTestBed.Directory.Find(k)!.Name);
        Assert.Contains($"Advarsel: kun 27 af 29 har tiltrådt '{Title}' til ikrafttrædelsen lørdag den 1. februar 2020. Mangler: {string.Join(", ", missing)}.", journal);
        Assert.Single(journal, l => l.StartsWith("Advarsel:", StringComparison.Ordinal));
        Assert.Equal(27, details.Parties.Count(p => p.ActivityId == "accede" && p.Decision == "approved"));
        Assert.Equal("rejected", details.Parties.Single(p => p.PartyId == declining).Decision);
        Assert.Equal("Overdue", details.Parties.Single(p => p.PartyId == silent).Status);
        var accession = details.Variables["accession"]!;
        Assert.Equal(29, accession["total"]!.GetValue<int>());
        Assert.Equal(27, accession["approved"]!.GetValue<int>());
        Assert.Equal(1, accession["rejected"]!.GetValue<int>());

        // The process ended at "not all have acceded", and nothing more is sent at the entry into force.
        await bed.AdvanceToAsync("2020-02-02T10:00");
        await bed.NoMailsAsync();
        Assert.Equal(journal.Count, (await bed.JournalAsync(id)).Count);
    }

    [Fact]
    public async Task All29Accede_ApprovedWithoutAWarning()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2019-10-21T09:00");
        var id = await bed.StartAsync("samarbejdsaftale-tiltraedelse", new { skuMeeting = new { date = "2019-11-04", at = "14:00" } });

        await bed.AdvanceToAsync("2019-10-30T12:00");
        await bed.DecideAsync(id, "ppu", "approved");
        await bed.AdvanceToAsync("2019-11-04T16:00");
        await bed.DecideAsync(id, "sku", "approved");
        await bed.AdvanceToAsync("2019-11-07T12:00");
        await bed.DecideAsync(id, "kkr", "approved");
        Assert.Equal(SeedTestBed.ContactsOf("alle-kommuner-hovedstaden"), (await bed.NextMailsAsync(29)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));

        await bed.AdvanceToAsync("2020-01-15T10:00");
        foreach (var kommune in Kommuner)
        {
            await bed.AnswerAsync(id, kommune, null, "approved");
        }
        Assert.Equal(29, (await bed.NextMailsAsync(29)).Count);

        // The last accession closes the round at once: approved, in force, and no warning.
        var details = await bed.DetailsAsync(id);
        Assert.Equal("Finished", details.Status);
        var journal = await bed.JournalAsync(id);
        Assert.Contains("Runden er afsluttet: 29 af 29 har tiltrådt (29 kræves), 0 har ikke, 0 har ikke svaret.", journal);
        Assert.DoesNotContain(journal, l => l.StartsWith("Advarsel:", StringComparison.Ordinal));
        Assert.Equal(29, details.Variables["accession"]!["approved"]!.GetValue<int>());

        await bed.AdvanceToAsync("2020-02-02T10:00");
        await bed.NoMailsAsync();
        Assert.DoesNotContain(await bed.JournalAsync(id), l => l.StartsWith("Advarsel:", StringComparison.Ordinal));
    }
}

[Trait("Database", "Sqlite")]
public sealed class SamarbejdsaftaleTiltraedelseTestsOnSqlite() : SamarbejdsaftaleTiltraedelseTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class SamarbejdsaftaleTiltraedelseTestsOnPostgreSql() : SamarbejdsaftaleTiltraedelseTests(TestDatabase.PostgreSql);
