using System.Net;
using Workflows.Tests.Support;

namespace Workflows.Tests.Seeds;

/// <summary>
/// The praksisplan for almen praksis in Region Hovedstaden (SEEDS-ANALYSIS §1.1, scenario S12): forudgående høring of the
/// parties by category, drafting, formal hearing, indarbejdelse, the committee (praksisplanudvalget under the 2015
/// rules, sundhedssamarbejdsudvalget from 1 July 2022), political approval in the 29 kommunalbestyrelser and finally the
/// regionsråd; run from <c>definitions-json/</c> on the simulated clock against a real SMTP server.
/// </summary>
/// <remarks>
/// The source's timeline is a month grid whose columns were lost in extraction, so no step has a date in the sources:
/// every deadline and meeting below is chosen by the test (weekdays, hearings of at least four weeks).
/// </remarks>
public abstract class PraksisplanTests(TestDatabase database)
{
    private const string Title = "Praksisplan for almen praksis";

    /// <summary>The hearing parties by category: 1 + 1 + 6 hospitals + PLO + 29 kommuner = 38.</summary>
    private static readonly string[] Categories =
    [
        "patientinddragelsesudvalget-hovedstaden",
        "sku-hovedstaden",
        "rigshospitalet",
        "bispebjerg-og-frederiksberg-hospital",
        "amager-og-hvidovre-hospital",
        "herlev-og-gentofte-hospital",
        "nordsjaellands-hospital",
        "bornholms-hospital",
        "plo-hovedstaden",
        "alle-kommuner-hovedstaden",
    ];

    private static readonly IReadOnlyList<string> Kommuner = SeedTestBed.Directory.Groups.Single(g => g.Id == "alle-kommuner-hovedstaden").MemberIds;

    /// <summary>Every party one by one, in the order the definition names them (the order of the hearing's tasks).</summary>
    private static readonly IReadOnlyList<string> Parties = [.. Categories[..^1], .. Kommuner];

    [Fact]
    public async Task Rules2022_TwoHearingsOf38ByCategory_SsuWithTheHearingAsBasis_29Approvals_ThenTheRegionsraad()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2022-09-01T09:00");
        var id = await bed.StartAsync("praksisplan-hovedstaden", new
        {
            caseNumber = "22000123",
            rules = "2022",
            preHearingDeadline = new { date = "2022-10-07", at = "12:00" },
            hearingDeadline = new { date = "2023-01-13", at = "12:00" },
            committeeMeeting = new { date = "2023-02-01", at = "14:00" },
            approvalDeadline = new { date = "2023-04-28", at = "12:00" },
            regionMeeting = new { date = "2023-05-09", at = "17:00" },
        });

        // Forudgående høring: 38 parties in five categories, one mail each.
        var pre = await bed.NextMailsAsync(38);
        Assert.Equal(SeedTestBed.ContactsOf(Categories), pre.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(pre, mail =>
        {
            Assert.Equal($"Høring: {Title} (forudgående høring) (22000123)", mail.Message.Subject);
            Assert.Contains("Svar senest fredag den 7. oktober 2022 kl. 12.00.", mail.Message.TextBody, StringComparison.Ordinal);
        });
        Assert.Contains($"Høringen '{Title} (forudgående høring)' sendes til 38 parter med frist fredag den 7. oktober 2022 kl. 12.00.", await bed.JournalAsync(id));

        // 29 answer (all but 9 kommuner); at the deadline the drafting starts.
        var preAnswering = Parties.Take(29).ToList();
        await bed.AdvanceToAsync("2022-10-03T10:00");
        foreach (var party in preAnswering)
        {
            await bed.AnswerAsync(id, party, $"Input fra {party}.");
        }
        Assert.Equal(SeedTestBed.ContactsOf([.. preAnswering]), (await bed.NextMailsAsync(29)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        await bed.AdvanceToAsync("2022-10-07T12:00");
        await bed.NoMailsAsync();
        await bed.AssertWaitingAtAsync(id, "draft");
        var journal = await bed.JournalAsync(id);
        Assert.Contains("Høringen er afsluttet: 29 af 38 har svaret.", journal);
        Assert.Contains("Opgave: Udarbejdelse af udkast: kapacitetsdel samt samarbejde og kvalitet (ansvarlig: Region Hovedstaden).", journal);

        // The draft goes to the formal hearing, to the same 38.
        await bed.AdvanceToAsync("2022-11-15T10:00");
        await bed.CompleteTaskAsync(id, "draft");
        var hearing = await bed.NextMailsAsync(38);
        Assert.Equal(SeedTestBed.ContactsOf(Categories), hearing.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(hearing, mail =>
        {
            Assert.Equal($"Høring: {Title} (22000123)", mail.Message.Subject);
            Assert.Contains("Svar senest fredag den 13. januar 2023 kl. 12.00.", mail.Message.TextBody, StringComparison.Ordinal);
        });

        // 30 of 38 answer: every party outside the kommuner and 21 kommuner; 8 kommuner are missing.
        var answering = Parties.Take(30).ToList();
        var missing = Parties.Skip(30).ToList();
        await bed.AdvanceToAsync("2023-01-10T10:00");
        foreach (var party in answering)
        {
            await bed.AnswerAsync(id, party, $"Høringssvar fra {party}.");
        }
        Assert.Equal(30, (await bed.NextMailsAsync(30)).Count);
        await bed.AdvanceToAsync("2023-01-13T12:00");
        await bed.AssertWaitingAtAsync(id, "incorporate");
        journal = await bed.JournalAsync(id);
        Assert.Contains("Høringen er afsluttet: 30 af 38 har svaret.", journal);
        Assert.Contains($"Opgave: Indarbejdelse af høringssvar i {Title} (ansvarlig: Region Hovedstaden).", journal);

        // Under the 2022 rules the plan goes to sundhedssamarbejdsudvalget, with the hearing's result as its basis.
        await bed.AdvanceToAsync("2023-01-20T10:00");
        await bed.CompleteTaskAsync(id, "incorporate");
        await bed.AssertWaitingAtAsync(id, "ssu");
        var names = string.Join(", ", missing.Select(p => SeedTestBed.Directory.Find(p)!.Name));
        Assert.Contains($"'Forelæggelse af {Title} forud for indgåelse' er sat på dagsordenen til mødet i Sundhedssamarbejdsudvalget i Region Hovedstaden onsdag den 1. februar 2023 kl. 14.00. Grundlag: 30 af 38 har svaret; mangler: {names}.", await bed.JournalAsync(id));
        await bed.NoMailsAsync();

        await bed.AdvanceToAsync("2023-02-01T16:00");
        await bed.DecideAsync(id, "ssu", "discussed");
        Assert.Contains($"Sundhedssamarbejdsudvalget i Region Hovedstaden har drøftet 'Forelæggelse af {Title} forud for indgåelse'.", await bed.JournalAsync(id));

        // Political approval: 29 mails to the kommunalbestyrelser.
        var approvals = await bed.NextMailsAsync(29);
        Assert.Equal(SeedTestBed.ContactsOf("alle-kommuner-hovedstaden"), approvals.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(approvals, mail =>
        {
            Assert.Equal($"Til godkendelse: {Title} (22000123)", mail.Message.Subject);
            Assert.Contains($"Region Hovedstaden sender hermed »{Title}« til godkendelse i jeres kommunalbestyrelse", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Meddel jeres beslutning senest fredag den 28. april 2023 kl. 12.00.", mail.Message.TextBody, StringComparison.Ordinal);
        });
        Assert.Contains($"'{Title}' sendes til godkendelse hos 29 parter med frist fredag den 28. april 2023 kl. 12.00; godkendt når 29 af 29 har godkendt.", await bed.JournalAsync(id));

        // The regionsråd cannot adopt the plan while the kommuner's round is open.
        Assert.Equal(HttpStatusCode.Conflict, (await bed.Client.PostJsonAsync($"/api/instances/{id}/decisions/region", new { outcome = "approved" })).StatusCode);

        // 28 approve; one has not decided by the deadline.
        var approving = Kommuner.SkipLast(1).ToList();
        await bed.AdvanceToAsync("2023-03-30T10:00");
        foreach (var kommune in approving)
        {
            await bed.AnswerAsync(id, kommune, "Godkendt i kommunalbestyrelsen.", "approved");
        }
        Assert.Equal(28, (await bed.NextMailsAsync(28)).Count);
        await bed.AdvanceToAsync("2023-04-28T11:00");
        Assert.Equal(HttpStatusCode.Conflict, (await bed.Client.PostJsonAsync($"/api/instances/{id}/decisions/region", new { outcome = "approved" })).StatusCode);
        await bed.AdvanceToAsync("2023-04-28T12:00");

        // The regionsråd has the decisive vote: the plan goes to it with the kommuner's result as its basis.
        await bed.AssertWaitingAtAsync(id, "region");
        journal = await bed.JournalAsync(id);
        Assert.Contains("Runden er afsluttet: 28 af 29 har godkendt (29 kræves), 0 har ikke, 1 har ikke svaret.", journal);
        var lastName = SeedTestBed.Directory.Find(Kommuner[^1])!.Name;
        Assert.Contains($"'Vedtagelse af {Title}' er sat på dagsordenen til mødet i Region Hovedstaden tirsdag den 9. maj 2023 kl. 17.00. Grundlag: 28 af 29 har godkendt; mangler: {lastName}.", journal);

        await bed.AdvanceToAsync("2023-05-09T19:00");
        await bed.DecideAsync(id, "region", "approved");
        Assert.Equal("Finished", (await bed.DetailsAsync(id)).Status);
        Assert.Contains($"Region Hovedstaden har godkendt 'Vedtagelse af {Title}'.", await bed.JournalAsync(id));
        await bed.NoMailsAsync();
    }

    [Fact]
    public async Task Rules2015_PraksisplanudvalgetDiscussesTheAnswers_AllKommunerApprove_ThenTheRegionsraad()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2014-09-01T09:00");
        var id = await bed.StartAsync("praksisplan-hovedstaden", new
        {
            title = "Praksisplan for almen praksis 2015-2018",
            rules = "2015",
            preHearingDeadline = new { date = "2014-10-03", at = "12:00" },
            hearingDeadline = new { date = "2014-12-12", at = "12:00" },
            committeeMeeting = new { date = "2015-01-21", at = "14:00" },
            approvalDeadline = new { date = "2015-03-27", at = "12:00" },
            regionMeeting = new { date = "2015-04-14", at = "17:00" },
        });
        const string title = "Praksisplan for almen praksis 2015-2018";

        Assert.Equal(SeedTestBed.ContactsOf(Categories), (await bed.NextMailsAsync(38)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        await bed.AdvanceToAsync("2014-10-03T12:00");
        await bed.AssertWaitingAtAsync(id, "draft");
        Assert.Contains("Høringen er afsluttet: 0 af 38 har svaret.", await bed.JournalAsync(id));
        await bed.CompleteTaskAsync(id, "draft");

        // Every one of the 38 answers the formal hearing: it closes before its deadline.
        Assert.Equal(38, (await bed.NextMailsAsync(38)).Count);
        await bed.AdvanceToAsync("2014-11-20T10:00");
        foreach (var party in Parties)
        {
            await bed.AnswerAsync(id, party, $"Høringssvar fra {party}.");
        }
        Assert.Equal(SeedTestBed.ContactsOf(Categories), (await bed.NextMailsAsync(38)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        await bed.AssertWaitingAtAsync(id, "incorporate");
        Assert.Contains("Høringen er afsluttet: 38 af 38 har svaret.", await bed.JournalAsync(id));
        await bed.CompleteTaskAsync(id, "incorporate");

        // Under the 2015 rules praksisplanudvalget discusses the answers; sundhedssamarbejdsudvalget does not exist.
        await bed.AssertWaitingAtAsync(id, "ppu");
        var journal = await bed.JournalAsync(id);
        Assert.Contains($"'Drøftelse af høringssvar til {title}' er sat på dagsordenen til mødet i Praksisplanudvalget i Region Hovedstaden onsdag den 21. januar 2015 kl. 14.00. Grundlag: 38 af 38 har svaret.", journal);
        Assert.DoesNotContain(journal, l => l.Contains("Sundhedssamarbejdsudvalget", StringComparison.Ordinal));
        await bed.AdvanceToAsync("2015-01-21T16:00");
        await bed.DecideAsync(id, "ppu", "discussed");

        var approvals = await bed.NextMailsAsync(29);
        Assert.Equal(SeedTestBed.ContactsOf("alle-kommuner-hovedstaden"), approvals.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(approvals, mail => Assert.Equal($"Til godkendelse: {title}", mail.Message.Subject));
        Assert.Equal(HttpStatusCode.Conflict, (await bed.Client.PostJsonAsync($"/api/instances/{id}/decisions/region", new { outcome = "approved" })).StatusCode);

        await bed.AdvanceToAsync("2015-03-10T10:00");
        foreach (var kommune in Kommuner)
        {
            await bed.AnswerAsync(id, kommune, null, "approved");
        }
        Assert.Equal(29, (await bed.NextMailsAsync(29)).Count);

        // The last approval closes the round; the regionsråd adopts the plan at its meeting.
        await bed.AssertWaitingAtAsync(id, "region");
        journal = await bed.JournalAsync(id);
        Assert.Contains("Runden er afsluttet: 29 af 29 har godkendt (29 kræves), 0 har ikke, 0 har ikke svaret.", journal);
        Assert.Contains($"'Vedtagelse af {title}' er sat på dagsordenen til mødet i Region Hovedstaden tirsdag den 14. april 2015 kl. 17.00. Grundlag: 29 af 29 har godkendt.", journal);
        await bed.AdvanceToAsync("2015-04-14T19:00");
        await bed.DecideAsync(id, "region", "approved");
        Assert.Equal("Finished", (await bed.DetailsAsync(id)).Status);
        await bed.NoMailsAsync();
    }
}

[Trait("Database", "Sqlite")]
public sealed class PraksisplanTestsOnSqlite() : PraksisplanTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class PraksisplanTestsOnPostgreSql() : PraksisplanTests(TestDatabase.PostgreSql);
