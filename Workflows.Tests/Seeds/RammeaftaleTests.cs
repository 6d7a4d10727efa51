using System.Net;
using System.Text.RegularExpressions;
using Workflows.Host.Api;
using Workflows.Tests.Support;

namespace Workflows.Tests.Seeds;

/// <summary>
/// The rammeaftale on the specialised social and special-education area (SEEDS-ANALYSIS §1.3, scenarios S4, S5 and
/// S9): KKR Midtjylland's process plan for Rammeaftale 2021-22 through DASSOS, KD-Net and KKR to the political approval
/// in 19 byråd and the regionsråd, and KKR Sjælland's extension of the focus areas to 2023-24 as a new version, run from
/// <c>definitions-json/</c> on the simulated clock against a real SMTP server.
/// </summary>
public abstract partial class RammeaftaleTests(TestDatabase database)
{
    private const string Dassos = "DASSOS (Den Administrative Styregruppe for Social- og Sundhedsområdet, Midtjylland)";
    private const string KdNet = "KD-Net (kommunaldirektørerne i Region Midtjylland)";

    private static readonly string[] Midtjylland = ["byraad-og-regionsraad-midtjylland"];

    [Fact]
    public async Task Midtjylland_EachBodyTakesTheItemAtItsNextMeeting_KdNetPostpones_Then20ApprovalsAreCounted_AndTheRoundClosesNotApproved()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2019-11-20T09:00");
        var id = await bed.StartAsync("rammeaftale-midtjylland", new
        {
            reminders = new[] { new { workingDaysBefore = 5, at = "09:00" } },
        });

        // DASSOS takes the process and the form at its next meeting, 27 November 2019.
        await bed.AssertWaitingAtAsync(id, "dassos-proces");
        Assert.Contains($"'Forslag til proces for Rammeaftale 2021-22 samt skema til kommunale indberetninger' er sat på dagsordenen til mødet i {Dassos} onsdag den 27. november 2019 kl. 10.00.", await bed.JournalAsync(id));
        await bed.NoMailsAsync();

        await bed.AdvanceToAsync("2019-11-27T12:00");
        await bed.DecideAsync(id, "dassos-proces", "discussed");
        Assert.Contains($"{Dassos} har drøftet 'Forslag til proces for Rammeaftale 2021-22 samt skema til kommunale indberetninger'.", await bed.JournalAsync(id));

        // The 19 kommuner report on the form by Friday 10 January 2020 12:00.
        var requests = await bed.NextMailsAsync(19);
        Assert.Equal(SeedTestBed.ContactsOf("alle-kommuner-midtjylland"), requests.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(requests, mail =>
        {
            Assert.Equal("Høring: Indberetning til Rammeaftale 2021-22", mail.Message.Subject);
            Assert.Contains("fredag den 10. januar 2020 kl. 12.00", mail.Message.TextBody, StringComparison.Ordinal);
        });

        string[] lateReporters = ["lemvig", "samsoe"];
        var reporters = Kommuner().Except(lateReporters).ToArray();
        await bed.AdvanceToAsync("2019-12-10T10:00");
        foreach (var kommune in reporters)
        {
            await bed.AnswerAsync(id, kommune, $"Indberetning fra {kommune}.");
        }
        Assert.Equal(SeedTestBed.ContactsOf(reporters), (await bed.NextMailsAsync(17)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));

        // Five working days before the deadline only the two who have not reported are reminded.
        await bed.AdvanceToAsync("2020-01-02T09:00");
        await bed.NoMailsAsync();
        await bed.AdvanceToAsync("2020-01-03T09:00");
        Assert.Equal(SeedTestBed.ContactsOf(lateReporters), (await bed.NextMailsAsync(2)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        await bed.AnswerAsync(id, "samsoe", "Indberetning fra Samsø.");
        Assert.Equal(SeedTestBed.ContactsOf("samsoe"), (await bed.NextMailsAsync(1)).Select(SeedTestBed.Recipient));

        // At the deadline the reports go to DASSOS on 22 January with Lemvig missing.
        await bed.AdvanceToAsync("2020-01-10T12:00");
        await bed.NoMailsAsync();
        await bed.AssertWaitingAtAsync(id, "dassos-1");
        var journal = await bed.JournalAsync(id);
        Assert.Contains("Lemvig Kommune har ikke svaret inden fristen fredag den 10. januar 2020 kl. 12.00.", journal);
        Assert.Contains("Høringen er afsluttet: 18 af 19 har svaret.", journal);
        Assert.Contains($"'Udkast til udviklingsområder i Rammeaftale 2021-22' er sat på dagsordenen til mødet i {Dassos} onsdag den 22. januar 2020 kl. 10.00. Grundlag: 18 af 19 har svaret; mangler: Lemvig Kommune.", journal);

        await bed.AdvanceToAsync("2020-01-22T12:00");
        await bed.DecideAsync(id, "dassos-1", "discussed");
        await bed.AssertWaitingAtAsync(id, "kdnet-1");
        Assert.Contains($"'Udkast til udviklingsområder i Rammeaftale 2021-22' er sat på dagsordenen til mødet i {KdNet} fredag den 24. januar 2020 kl. 10.00.", await bed.JournalAsync(id));

        // KD-Net postpones the item (S9): it moves to KD-Net's next meeting, 13 March 2020.
        await bed.AdvanceToAsync("2020-01-24T12:00");
        await bed.DecideAsync(id, "kdnet-1", "postponed", "Afventer drøftelsen på januarkonferencen.");
        await bed.AssertWaitingAtAsync(id, "kdnet-1");
        journal = await bed.JournalAsync(id);
        Assert.Contains($"Mødet i {KdNet} fredag den 24. januar 2020 kl. 10.00 er afholdt; beslutningen om 'Udkast til udviklingsområder i Rammeaftale 2021-22' er endnu ikke registreret.", journal);
        Assert.Contains($"{KdNet} har udsat 'Udkast til udviklingsområder i Rammeaftale 2021-22'. Punktet behandles på mødet fredag den 13. marts 2020 kl. 10.00. Bemærkning: Afventer drøftelsen på januarkonferencen.", journal);

        // KKR cannot take the item before KD-Net has: KKR's 5 February meeting passes without it.
        await bed.AdvanceToAsync("2020-02-05T12:00");
        await bed.AssertWaitingAtAsync(id, "kdnet-1");
        var early = await bed.Client.PostJsonAsync($"/api/instances/{id}/decisions/kkr-1", new { outcome = "discussed" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);

        await bed.AdvanceToAsync("2020-03-13T12:00");
        await bed.DecideAsync(id, "kdnet-1", "discussed");
        await bed.AssertWaitingAtAsync(id, "kkr-1");
        Assert.Contains("'Udkast til udviklingsområder i Rammeaftale 2021-22' er sat på dagsordenen til mødet i KKR Midtjylland tirsdag den 31. marts 2020 kl. 10.00.", await bed.JournalAsync(id));
        await bed.NoMailsAsync();

        // After KKR the 19 byråd and the regionsråd may comment on the development areas until 30 April.
        await bed.AdvanceToAsync("2020-03-31T12:00");
        await bed.DecideAsync(id, "kkr-1", "discussed");
        var commentRequests = await bed.NextMailsAsync(20);
        Assert.Equal(SeedTestBed.ContactsOf(Midtjylland), commentRequests.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(commentRequests, mail =>
        {
            Assert.Equal("Høring: Kommentarer til udviklingsområder i Rammeaftale 2021-22", mail.Message.Subject);
            Assert.Contains("torsdag den 30. april 2020 kl. 12.00", mail.Message.TextBody, StringComparison.Ordinal);
        });
        await bed.AdvanceToAsync("2020-04-15T10:00");
        foreach (var party in Parties())
        {
            await bed.AnswerAsync(id, party, $"Kommentarer fra {party}.");
        }
        Assert.Equal(SeedTestBed.ContactsOf(Midtjylland), (await bed.NextMailsAsync(20)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));

        // Every comment is in: Takstgruppen updates the styringsaftale, then DASSOS takes the draft on 12 May.
        await bed.AssertWaitingAtAsync(id, "takst");
        journal = await bed.JournalAsync(id);
        Assert.Contains("Høringen er afsluttet: 20 af 20 har svaret.", journal);
        Assert.Contains("Opgave: Takstgruppen gennemgår og opdaterer styringsaftalen (ansvarlig: Takstgruppen).", journal);
        await bed.AdvanceToAsync("2020-05-04T10:00");
        await bed.CompleteTaskAsync(id, "takst", "Styringsaftalen er opdateret.");
        await bed.AssertWaitingAtAsync(id, "dassos-2");
        Assert.Contains($"'Godkendelse af endeligt udkast til Rammeaftale 2021-22' er sat på dagsordenen til mødet i {Dassos} tirsdag den 12. maj 2020 kl. 10.00. Grundlag: 20 af 20 har svaret.", await bed.JournalAsync(id));

        // DASSOS approves the final draft by mail after its meeting; then KD-Net on 29 May and KKR on 17 June.
        await bed.AdvanceToAsync("2020-05-15T10:00");
        await bed.DecideAsync(id, "dassos-2", "approved", "Justeringer godkendt via mail.");
        await bed.AssertWaitingAtAsync(id, "kdnet-2");
        journal = await bed.JournalAsync(id);
        Assert.Contains($"Mødet i {Dassos} tirsdag den 12. maj 2020 kl. 10.00 er afholdt; beslutningen om 'Godkendelse af endeligt udkast til Rammeaftale 2021-22' er endnu ikke registreret.", journal);
        Assert.Contains($"{Dassos} har godkendt 'Godkendelse af endeligt udkast til Rammeaftale 2021-22'. Bemærkning: Justeringer godkendt via mail.", journal);
        Assert.Contains($"'Godkendelse af endeligt udkast til Rammeaftale 2021-22' er sat på dagsordenen til mødet i {KdNet} fredag den 29. maj 2020 kl. 10.00.", journal);
        await bed.AdvanceToAsync("2020-05-29T12:00");
        await bed.DecideAsync(id, "kdnet-2", "approved");
        await bed.AssertWaitingAtAsync(id, "kkr-2");
        journal = await bed.JournalAsync(id);
        Assert.Contains($"{KdNet} har godkendt 'Godkendelse af endeligt udkast til Rammeaftale 2021-22'.", journal);
        Assert.Contains("'Godkendelse af endeligt udkast til Rammeaftale 2021-22' er sat på dagsordenen til mødet i KKR Midtjylland onsdag den 17. juni 2020 kl. 10.00.", journal);
        await bed.NoMailsAsync();

        await bed.AdvanceToAsync("2020-06-17T12:00");
        await bed.DecideAsync(id, "kkr-2", "approved");
        journal = await bed.JournalAsync(id);
        Assert.Contains("KKR Midtjylland har godkendt 'Godkendelse af endeligt udkast til Rammeaftale 2021-22'.", journal);
        Assert.Contains("'Rammeaftale 2021-22' sendes til godkendelse hos 20 parter med frist torsdag den 15. oktober 2020 kl. 12.00; godkendt når 20 af 20 har godkendt.", journal);

        // Political approval in the 19 byråd and the regionsråd by 15 October 2020.
        var approvalRequests = await bed.NextMailsAsync(20);
        Assert.Equal(SeedTestBed.ContactsOf(Midtjylland), approvalRequests.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(approvalRequests, mail =>
        {
            Assert.Equal("Til godkendelse: Rammeaftale 2021-22", mail.Message.Subject);
            Assert.Contains("KKR Midtjylland sender hermed »Rammeaftale 2021-22« til godkendelse", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Meddel jeres beslutning senest torsdag den 15. oktober 2020 kl. 12.00.", mail.Message.TextBody, StringComparison.Ordinal);
        });

        string[] silent = ["struer", "skive", "region-midtjylland"];
        var approving = Parties().Except(silent).Except(["odder"]).ToArray();
        await bed.AdvanceToAsync("2020-09-01T10:00");
        foreach (var party in approving)
        {
            await bed.AnswerAsync(id, party, null, "approved");
        }
        await bed.AnswerAsync(id, "odder", "Byrådet kan ikke tilslutte sig udviklingsområde 3.", "rejected");
        var receipts = await bed.NextMailsAsync(17);
        Assert.Equal(SeedTestBed.ContactsOf([.. approving, "odder"]), receipts.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(receipts, r => Assert.Equal("Kvittering for jeres beslutning: Rammeaftale 2021-22", r.Message.Subject));
        var details = await bed.DetailsAsync(id);
        var round = details.Parties.Where(p => p.ActivityId == "politisk").ToList();
        Assert.Equal(20, round.Count);
        Assert.Equal(16, round.Count(p => p.Decision == "approved"));
        Assert.Equal("rejected", round.Single(p => p.PartyId == "odder").Decision);
        Assert.Equal(silent.Order(StringComparer.Ordinal), round.Where(p => p.Decision is null).Select(p => p.PartyId).Order(StringComparer.Ordinal));

        // On 1 October the outstanding list for this instance names the three who have not decided, and the one
        // kommune whose indberetning never came (an unanswered task stays outstanding until the case is cancelled).
        await bed.AdvanceToAsync("2020-10-01T10:00");
        var outstanding = (await (await bed.Client.GetAsync("/api/outstanding")).ReadAsync<List<OutstandingTask>>()).Where(t => t.InstanceId == id).ToList();
        Assert.Equal(
            [("lemvig", true), ("region-midtjylland", false), ("skive", false), ("struer", false)],
            outstanding.Select(t => (t.PartyId, t.Overdue)).OrderBy(t => t.PartyId, StringComparer.Ordinal));

        // Five working days before the deadline only the three who have not decided are reminded.
        await bed.AdvanceToAsync("2020-10-08T09:00");
        var reminders = await bed.NextMailsAsync(3);
        Assert.Equal(SeedTestBed.ContactsOf(silent), reminders.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(reminders, r => Assert.Equal("Påmindelse: godkendelse af »Rammeaftale 2021-22«", r.Message.Subject));

        await bed.AnswerAsync(id, "skive", null, "approved");
        await bed.AnswerAsync(id, "region-midtjylland", null, "approved");
        Assert.Equal(SeedTestBed.ContactsOf("region-midtjylland", "skive"), (await bed.NextMailsAsync(2)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));

        // After the deadline the round closes: 18 approvals of the 20 required, one rejection, one missing.
        await bed.AdvanceToAsync("2020-10-15T12:00");
        await bed.NoMailsAsync();
        details = await bed.DetailsAsync(id);
        Assert.Equal("Finished", details.Status);
        journal = await bed.JournalAsync(id);
        Assert.Contains("Struer Kommune har ikke svaret inden fristen torsdag den 15. oktober 2020 kl. 12.00.", journal);
        Assert.Contains("Runden er afsluttet: 18 af 20 har godkendt (20 kræves), 1 har ikke, 1 har ikke svaret.", journal);
        var result = details.Variables["godkendelse"]!;
        Assert.Equal((20, 19, 18, 1), (result["total"]!.GetValue<int>(), result["answered"]!.GetValue<int>(), result["approved"]!.GetValue<int>(), result["rejected"]!.GetValue<int>()));
        Assert.Equal(["struer"], result["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("Overdue", details.Parties.Single(p => p.ActivityId == "politisk" && p.PartyId == "struer").Status);
        outstanding = (await (await bed.Client.GetAsync("/api/outstanding")).ReadAsync<List<OutstandingTask>>()).Where(t => t.InstanceId == id).ToList();
        Assert.Equal(
            [("lemvig", true), ("struer", true)],
            outstanding.Select(t => (t.PartyId, t.Overdue)).OrderBy(t => t.PartyId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sjaelland_The2021_22Agreement_RemindersSkipTheDecided_OneRejection_ClosesNotApprovedOnceAllHaveDecided()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2021-10-01T09:00");
        var id = await bed.StartAsync("rammeaftale-sjaelland", new
        {
            // KKR Sjælland's meeting of 13 October 2021 (source 001); the sources give no deadline for the political
            // approval, 15 December 2021 is this test's choice.
            kkrMeeting = new { date = "2021-10-13", at = "10:00" },
            approvalDeadline = new { date = "2021-12-15", at = "12:00" },
            reminders = new[] { new { workingDaysBefore = 3, at = "09:00" } },
        });

        await bed.AssertWaitingAtAsync(id, "kkr");
        Assert.Contains("'Beslutningssag: Rammeaftale 2021-22' er sat på dagsordenen til mødet i KKR Sjælland onsdag den 13. oktober 2021 kl. 10.00.", await bed.JournalAsync(id));
        await bed.AdvanceToAsync("2021-10-13T12:00");
        await bed.DecideAsync(id, "kkr", "approved");
        Assert.Contains("KKR Sjælland har godkendt 'Beslutningssag: Rammeaftale 2021-22'.", await bed.JournalAsync(id));

        var requests = await bed.NextMailsAsync(18);
        Assert.Equal(SeedTestBed.ContactsOf("byraad-og-regionsraad-sjaelland"), requests.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(requests, mail =>
        {
            Assert.Equal("Til godkendelse: Rammeaftale 2021-22", mail.Message.Subject);
            Assert.Contains("Meddel jeres beslutning senest onsdag den 15. december 2021 kl. 12.00.", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("ny version", mail.Message.TextBody, StringComparison.Ordinal);
        });

        string[] late = ["lolland", "region-sjaelland"];
        var parties = SeedTestBed.Directory.Groups.Single(g => g.Id == "byraad-og-regionsraad-sjaelland").MemberIds;
        var early = parties.Except(late).ToArray();
        await bed.AdvanceToAsync("2021-11-25T10:00");
        foreach (var party in early)
        {
            await bed.AnswerAsync(id, party, null, "approved");
        }
        Assert.Equal(SeedTestBed.ContactsOf(early), (await bed.NextMailsAsync(16)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));

        // Three working days before the deadline (Friday 10 December) only the two who have not decided are reminded.
        await bed.AdvanceToAsync("2021-12-09T09:00");
        await bed.NoMailsAsync();
        await bed.AdvanceToAsync("2021-12-10T09:00");
        Assert.Equal(SeedTestBed.ContactsOf(late), (await bed.NextMailsAsync(2)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));

        // Lolland rejects; when the regionsråd has approved every party has decided and the round closes before the deadline.
        await bed.AnswerAsync(id, "lolland", "Kommunalbestyrelsen godkender ikke takstaftalen.", "rejected");
        await bed.AssertWaitingAtAsync(id, "politisk");
        await bed.AnswerAsync(id, "region-sjaelland", null, "approved");
        Assert.Equal(SeedTestBed.ContactsOf(late), (await bed.NextMailsAsync(2)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        var details = await bed.DetailsAsync(id);
        Assert.Equal("Finished", details.Status);
        Assert.Contains("Runden er afsluttet: 17 af 18 har godkendt (18 kræves), 1 har ikke, 0 har ikke svaret.", await bed.JournalAsync(id));
        Assert.Equal(("rejected", 17), (details.Parties.Single(p => p.PartyId == "lolland").Decision, details.Parties.Count(p => p.Decision == "approved")));

        // The høringsnotat and the matrix export carry each party's decision.
        var memo = await bed.Client.GetAsync($"/api/instances/{id}/memo");
        Assert.Equal(HttpStatusCode.OK, memo.StatusCode);
        using (var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(await memo.Content.ReadAsStreamAsync(), isEditable: false))
        {
            var paragraphs = document.MainDocumentPart!.Document!.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).ToList();
            Assert.Equal(1, paragraphs.Count(p => p == "Beslutning: Ikke godkendt."));
            Assert.Equal(17, paragraphs.Count(p => p == "Beslutning: Godkendt."));
            Assert.Contains("Kommunalbestyrelsen godkender ikke takstaftalen.", paragraphs);
        }
        var csv = await bed.Client.GetStringAsync($"/api/instances/{id}/matrix?format=csv");
        Assert.Contains("Lolland Kommune;360;Region Sjælland;Besvaret (ikke godkendt);", csv, StringComparison.Ordinal);
        Assert.Contains("Holbæk Kommune;316;Region Sjælland;Besvaret (godkendt);", csv, StringComparison.Ordinal);

        await bed.AdvanceToAsync("2021-12-16T09:00");
        await bed.NoMailsAsync();
    }

    [Fact]
    public async Task Sjaelland_TheFocusAreasExtendedTo2023_24AsANewVersion_Are18ApprovalsNamingTheEarlierVersion_AllApprove()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2022-03-01T09:00");
        var id = await bed.StartAsync("rammeaftale-sjaelland", Extension());

        // KKR Sjælland decides at its first ordinary meeting in week 12: Wednesday 23 March 2022.
        await bed.AssertWaitingAtAsync(id, "kkr");
        Assert.Contains("'Beslutningssag: Rammeaftale 2023-24, ny version af Rammeaftale 2021-22' er sat på dagsordenen til mødet i KKR Sjælland onsdag den 23. marts 2022 kl. 10.00.", await bed.JournalAsync(id));
        await bed.AdvanceToAsync("2022-03-23T12:00");
        await bed.DecideAsync(id, "kkr", "approved");

        var requests = await bed.NextMailsAsync(18);
        Assert.Equal(SeedTestBed.ContactsOf("byraad-og-regionsraad-sjaelland"), requests.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(requests, mail =>
        {
            Assert.Equal("Til godkendelse: Rammeaftale 2023-24", mail.Message.Subject);
            Assert.Contains("KKR Sjælland sender hermed »Rammeaftale 2023-24« til godkendelse", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Aftalen er en ny version af Rammeaftale 2021-22 for perioden 2023-24.", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Meddel jeres beslutning senest torsdag den 30. juni 2022 kl. 12.00.", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("- Rammeaftale 2021-22 med bilag: https://rs17.dk/rammeaftalen/rammeaftale-2021-2022.aspx", mail.Message.TextBody, StringComparison.Ordinal);
        });
        Assert.Contains("'Rammeaftale 2023-24' sendes til godkendelse hos 18 parter med frist torsdag den 30. juni 2022 kl. 12.00; godkendt når 18 af 18 har godkendt.", await bed.JournalAsync(id));

        var parties = SeedTestBed.Directory.Groups.Single(g => g.Id == "byraad-og-regionsraad-sjaelland").MemberIds;
        Assert.Equal(18, parties.Count);
        await bed.AdvanceToAsync("2022-05-02T10:00");
        foreach (var party in parties.Take(17))
        {
            await bed.AnswerAsync(id, party, null, "approved");
        }
        Assert.Equal(17, (await bed.NextMailsAsync(17)).Count);
        await bed.AssertWaitingAtAsync(id, "politisk");
        Assert.Equal(17, (await bed.DetailsAsync(id)).Parties.Count(p => p.Decision == "approved"));

        await bed.AnswerAsync(id, parties[17], null, "approved");
        Assert.Single(await bed.NextMailsAsync(1));
        var details = await bed.DetailsAsync(id);
        Assert.Equal("Finished", details.Status);
        var journal = await bed.JournalAsync(id);
        Assert.Contains("Runden er afsluttet: 18 af 18 har godkendt (18 kræves), 0 har ikke, 0 har ikke svaret.", journal);
        Assert.Equal(18, details.Variables["godkendelse"]!["approved"]!.GetValue<int>());
        await bed.NoMailsAsync();
    }

    [Fact]
    public async Task Sjaelland_AnswerPage_FromTheApprovalMail_RecordsTheDecision_AndRefusesAFormWithoutOne()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2022-03-23T11:00");
        var id = await bed.StartAsync("rammeaftale-sjaelland", Extension());
        await bed.DecideAsync(id, "kkr", "approved");
        var requests = await bed.NextMailsAsync(18);
        var mail = requests.Single(m => SeedTestBed.ContactsOf("naestved").Contains(SeedTestBed.Recipient(m)));
        var link = AnswerLink().Match(mail.Message.TextBody ?? "");
        Assert.True(link.Success, mail.Message.TextBody);
        var path = new Uri(link.Value).PathAndQuery;

        var browser = bed.Factory.CreateClient();
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync(path));
        Assert.Contains("name=\"decision\" type=\"radio\" value=\"approved\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"decision\" type=\"radio\" value=\"rejected\"", page, StringComparison.Ordinal);

        // Without a decision nothing is stored and the party is told what is missing.
        var (status, html) = await PostAsync(browser, path, page, decision: null);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Vælg, om I godkender eller ej.", html, StringComparison.Ordinal);
        var party = (await bed.DetailsAsync(id)).Parties.Single(p => p.PartyId == "naestved");
        Assert.Equal(("Sent", null), (party.Status, party.Decision));
        Assert.Empty(await (await bed.Client.GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
        await bed.NoMailsAsync();

        page = WebUtility.HtmlDecode(await browser.GetStringAsync(path));
        (status, _) = await PostAsync(browser, path, page, decision: "approved");
        Assert.Equal(HttpStatusCode.OK, status);
        party = (await bed.DetailsAsync(id)).Parties.Single(p => p.PartyId == "naestved");
        Assert.Equal(("Answered", "approved"), (party.Status, party.Decision));
        var receipt = Assert.Single(await bed.NextMailsAsync(1));
        Assert.Equal(SeedTestBed.ContactsOf("naestved"), [SeedTestBed.Recipient(receipt)]);
        Assert.Equal("Kvittering for jeres beslutning: Rammeaftale 2023-24", receipt.Message.Subject);
        Assert.Contains("Registreret: Godkendt.", receipt.Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, (await bed.DetailsAsync(id)).Parties.Count(p => p.Decision is not null));
        var answer = Assert.Single(await (await bed.Client.GetAsync($"/api/instances/{id}/answers")).ReadAsync<List<AnswerDescription>>());
        Assert.Equal("naestved", answer.PartyId);
    }

    /// <summary>
    /// The extension decided by KKR Sjælland in week 12 2022 (beslutningssag 2.4). The sources give no deadline for the
    /// political approval; 30 June 2022 is this test's choice.
    /// </summary>
    private static object Extension() => new
    {
        period = "2023-24",
        basedOn = "Rammeaftale 2021-22",
        kkrMeeting = new { isoWeek = "2022-W12", day = "wednesday", at = "10:00" },
        approvalDeadline = new { date = "2022-06-30", at = "12:00" },
        material = new[] { new { title = "Rammeaftale 2021-22 med bilag", url = "https://rs17.dk/rammeaftalen/rammeaftale-2021-2022.aspx" } },
    };

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(HttpClient browser, string path, string page, string? decision)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken().Match(page).Groups[1].Value), "__RequestVerificationToken" },
        };
        if (decision is not null)
        {
            form.Add(new StringContent(decision), "decision");
        }
        var response = await browser.PostAsync(path, form);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static IEnumerable<string> Kommuner() => SeedTestBed.Directory.Groups.Single(g => g.Id == "alle-kommuner-midtjylland").MemberIds;

    private static IEnumerable<string> Parties() => SeedTestBed.Directory.Groups.Single(g => g.Id == "byraad-og-regionsraad-midtjylland").MemberIds;

    [GeneratedRegex(@"http://127\.0\.0\.1:5080/svar/[A-Za-z0-9_\-]+")]
    private static partial Regex AnswerLink();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

[Trait("Database", "Sqlite")]
public sealed class RammeaftaleTestsOnSqlite() : RammeaftaleTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class RammeaftaleTestsOnPostgreSql() : RammeaftaleTests(TestDatabase.PostgreSql);
