using Workflows.Tests.Support;

namespace Workflows.Tests.Seeds;

/// <summary>
/// The erhvervsfremmestrategi hearings from the KKR Midtjylland and KKR Hovedstaden agendas of autumn 2019
/// (SEEDS-ANALYSIS §1.4, scenarios S1 and S2), run from <c>definitions-json/</c> on the simulated clock against a real
/// SMTP server.
/// </summary>
public abstract class ErhvervsfremmestrategiTests(TestDatabase database)
{
    private static readonly string[] Answering = ["aarhus", "skive", "randers", "viborg", "horsens"];

    [Fact]
    public async Task Midtjylland_InputByThursday1200_RemindersSkipTheAnswered_LateInputCountsUntilKkr_ThenTheJointAnswerIsSentBeforeTheSundayDeadline()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2019-10-21T09:00");
        var id = await bed.StartAsync("erhvervsfremmestrategi-midtjylland", new
        {
            caseNumber = "SAG-2019-05950",
            reminders = new[] { new { workingDaysBefore = 2, at = "09:00" } },
        });

        // The 19 kommuner are asked for input by Thursday 31 October 12:00.
        var invitations = await bed.NextMailsAsync(19);
        Assert.Equal(SeedTestBed.ContactsOf("alle-kommuner-midtjylland"), invitations.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(invitations, mail =>
        {
            Assert.Equal("Høring: Input til KKR's høringssvar: Strategi for decentral erhvervsfremme 2020-2023 (SAG-2019-05950)", mail.Message.Subject);
            Assert.Contains("torsdag den 31. oktober 2019 kl. 12.00", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Ligeledes vil KKR afgive et fælles høringssvar", mail.Message.TextBody, StringComparison.Ordinal);
        });

        foreach (var kommune in Answering)
        {
            await bed.AnswerAsync(id, kommune, $"Input fra {kommune} til det regionale kapitel.");
        }
        Assert.Equal(SeedTestBed.ContactsOf(Answering), (await bed.NextMailsAsync(5)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));

        // Two working days before the deadline: a reminder to the 14 who have not answered, and to no one else.
        await bed.AdvanceToAsync("2019-10-29T09:00");
        var reminders = await bed.NextMailsAsync(14);
        var silent = SeedTestBed.ContactsOf("alle-kommuner-midtjylland").Except(SeedTestBed.ContactsOf(Answering));
        Assert.Equal(silent.Order(StringComparer.Ordinal), reminders.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));

        // At the deadline the input stays open (late input is still used), and the administrative styregruppe
        // prepares the item at its meeting on 1 November.
        await bed.AdvanceToAsync("2019-10-31T12:00");
        await bed.NoMailsAsync();
        await bed.AssertWaitingAtAsync(id, "input", "styregruppe");
        var journal = await bed.JournalAsync(id);
        Assert.Contains(journal, l => l.Contains("er sat på dagsordenen til mødet i Den administrative styregruppe for erhvervsfremme i Midtjylland fredag den 1. november 2019 kl. 10.00", StringComparison.Ordinal));

        await bed.AdvanceToAsync("2019-11-01T12:00");
        await bed.DecideAsync(id, "styregruppe", "discussed", "Ingen opmærksomhedspunkter ud over grøn omstilling.");

        // Herning's input comes after the deadline: accepted and marked late.
        await bed.AdvanceToAsync("2019-11-04T10:00");
        await bed.AnswerAsync(id, "herning", "Herning Kommune bakker op om kapitlet.");
        Assert.Single(await bed.NextMailsAsync(1));
        Assert.Equal("AnsweredLate", (await bed.DetailsAsync(id)).Parties.Single(p => p.PartyId == "herning").Status);

        // Before the KKR meeting the input closes; KKR decides on the joint answer with the input as its basis.
        await bed.AdvanceToAsync("2019-11-08T09:00");
        await bed.AssertWaitingAtAsync(id, "kkr");
        journal = await bed.JournalAsync(id);
        Assert.Contains(journal, l => l.StartsWith("'KKR Midtjyllands fælles høringssvar til Strategi for decentral erhvervsfremme 2020-2023' er sat på dagsordenen til mødet i KKR Midtjylland fredag den 8. november 2019 kl. 10.00. Grundlag: 6 af 19 har svaret (1 for sent); mangler: ", StringComparison.Ordinal));
        Assert.Contains(journal, l => l.Contains("Skanderborg Kommune", StringComparison.Ordinal) && l.StartsWith("'KKR Midtjyllands", StringComparison.Ordinal));
        var details = await bed.DetailsAsync(id);
        Assert.Equal(13, details.Parties.Count(p => p.Status == "Overdue"));

        await bed.AdvanceToAsync("2019-11-08T12:00");
        await bed.DecideAsync(id, "kkr", "approved");

        // Sending the joint answer is the secretariat's task, due by the national deadline, which is a Sunday.
        await bed.AssertWaitingAtAsync(id, "send");
        journal = await bed.JournalAsync(id);
        Assert.Contains("KKR Midtjylland har godkendt 'KKR Midtjyllands fælles høringssvar til Strategi for decentral erhvervsfremme 2020-2023'.", journal);
        Assert.Contains(journal, l => l.StartsWith("Opgave: Send KKR Midtjyllands høringssvar til Danmarks Erhvervsfremmebestyrelse (ansvarlig: KKR-sekretariatet), frist søndag den 24. november 2019", StringComparison.Ordinal));
        Assert.Contains(journal, l => l.StartsWith("Advarsel:", StringComparison.Ordinal) && l.Contains("søndag", StringComparison.Ordinal));

        await bed.AdvanceToAsync("2019-11-22T10:00");
        await bed.CompleteTaskAsync(id, "send", "Sendt til DEB.");
        Assert.Equal("Finished", (await bed.DetailsAsync(id)).Status);
        await bed.NoMailsAsync();
    }

    [Fact]
    public async Task Hovedstaden_KkrGivesTheFormandskabAMandateWithTheFourElements_AfterBothAssessments()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2019-10-21T09:00");
        var id = await bed.StartAsync("erhvervsfremmestrategi-hovedstaden", new { });

        // Two assessments run side by side; KKR's item waits for both.
        await bed.AssertWaitingAtAsync(id, "assess", "bornholm");
        await bed.CompleteTaskAsync(id, "assess");
        await bed.AssertWaitingAtAsync(id, "bornholm");
        await bed.CompleteTaskAsync(id, "bornholm", "Kapitlet om Bornholm svarer til det aftalte.");

        // The item goes to KKR Hovedstaden's next meeting in its calendar: 7 November 2019.
        await bed.AssertWaitingAtAsync(id, "kkr");
        var journal = await bed.JournalAsync(id);
        Assert.Contains(journal, l => l.StartsWith("'Høringssvar til Strategi for decentral erhvervsfremme 2020-2023 (SAG-2019-05950)' er sat på dagsordenen til mødet i KKR Hovedstaden torsdag den 7. november 2019 kl. 10.00. Indstilling: mandat til formandskabet (om muligt sammen med Erhvervshus Hovedstaden), hvor følgende elementer indgår: Tilfredshed med de regionale kapitler for hovedstaden og Bornholm; Ønske om at Smart City medtages som en spirende klynge;", StringComparison.Ordinal));

        // A decision recorded before the meeting says so.
        await bed.AdvanceToAsync("2019-11-07T11:30");
        await bed.DecideAsync(id, "kkr", "approved");
        journal = await bed.JournalAsync(id);
        Assert.Contains("KKR Hovedstaden har godkendt 'Høringssvar til Strategi for decentral erhvervsfremme 2020-2023 (SAG-2019-05950)' med mandat til formandskabet (om muligt sammen med Erhvervshus Hovedstaden).", journal);
        var decision = (await bed.DetailsAsync(id)).Variables["decision"]!;
        Assert.Equal("approved", decision["outcome"]!.GetValue<string>());

        await bed.AssertWaitingAtAsync(id, "send");
        await bed.CompleteTaskAsync(id, "send");
        Assert.Equal("Finished", (await bed.DetailsAsync(id)).Status);
        await bed.NoMailsAsync();
    }

    [Fact]
    public async Task Hovedstaden_AnOutcomeTheItemDoesNotAllow_IsRefusedNamingTheAllowedOnes()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2019-10-21T09:00");
        var id = await bed.StartAsync("erhvervsfremmestrategi-hovedstaden", new { });

        var early = await bed.Client.PostJsonAsync($"/api/instances/{id}/decisions/kkr", new { outcome = "approved" });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, early.StatusCode);

        await bed.CompleteTaskAsync(id, "assess");
        await bed.CompleteTaskAsync(id, "bornholm");
        var wrong = await bed.Client.PostJsonAsync($"/api/instances/{id}/decisions/kkr", new { outcome = "discussed" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("must be one of \\\"approved\\\", \\\"rejected\\\", \\\"postponed\\\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await bed.AssertWaitingAtAsync(id, "kkr");
    }
}

[Trait("Database", "Sqlite")]
public sealed class ErhvervsfremmestrategiTestsOnSqlite() : ErhvervsfremmestrategiTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class ErhvervsfremmestrategiTestsOnPostgreSql() : ErhvervsfremmestrategiTests(TestDatabase.PostgreSql);
