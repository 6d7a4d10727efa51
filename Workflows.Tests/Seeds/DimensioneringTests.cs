using Workflows.Tests.Support;

namespace Workflows.Tests.Seeds;

/// <summary>
/// Uddannelses- og Forskningsstyrelsen's call of 8 February 2022 (Ref. 22/07252-1) for the five KKR's recommendation on
/// the intake to the pædagoguddannelse 2022/2023, answers "senest den 18. april 2022", which is 2. påskedag
/// (SEEDS-ANALYSIS §1.7, scenario S3), run from <c>definitions-json/</c> on the simulated clock against a real SMTP
/// server.
/// </summary>
public abstract class DimensioneringTests(TestDatabase database)
{
    private const string Title = "Indstilling om dimensionering af pædagoguddannelsen for studieåret 2022/2023";

    private static readonly string[] Missing = ["kkr-nordjylland"];

    private static readonly string[] AllKkr = ["kkr-hovedstaden", "kkr-sjaelland", "kkr-midtjylland", "kkr-syddanmark", "kkr-nordjylland"];

    [Fact]
    public async Task DeadlineOnSecondEasterDay_IsWarned_RemindersSkipTheAnsweredAcrossEaster_FourOfFiveGiveAFollowUpTask()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2022-02-08T09:00");
        var id = await bed.StartAsync("dimensionering-paedagoguddannelsen", new
        {
            reminders = new[] { new { workingDaysBefore = 2, at = "09:00" } },
        });

        // The letter goes to the five KKR, with the deadline as the ministry stated it.
        var calls = await bed.NextMailsAsync(5);
        Assert.Equal(SeedTestBed.ContactsOf("kkr-alle"), calls.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(calls, mail =>
        {
            Assert.Equal($"Høring: {Title} (22/07252-1)", mail.Message.Subject);
            Assert.Contains("Uddannelses- og Forskningsstyrelsen sender hermed", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Svar senest mandag den 18. april 2022 kl. 23.59.", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("fordelt på de tre specialiseringer: dagtilbudspædagogik, skole- og fritidspædagogik og social- og specialpædagogik", mail.Message.TextBody, StringComparison.Ordinal);
        });

        // The stated date is kept, and the process owner is told that nobody works on it.
        var journal = await bed.JournalAsync(id);
        Assert.Contains($"Høringen '{Title}' sendes til 5 parter med frist mandag den 18. april 2022 kl. 23.59.", journal);
        Assert.Contains("Advarsel: Fristen 18. april 2022 falder på 2. påskedag, som ikke er en arbejdsdag.", journal);
        Assert.Single(journal, l => l.StartsWith("Advarsel:", StringComparison.Ordinal));

        // KKR Sjælland decides in uge 12 (its first ordinary meeting); Midtjylland and Hovedstaden follow.
        await bed.AdvanceToAsync("2022-03-23T14:00");
        await bed.AnswerAsync(id, "kkr-sjaelland", "KKR Sjælland indstiller et samlet optag fordelt på institutionerne og de tre specialiseringer.");
        await bed.AdvanceToAsync("2022-03-28T10:00");
        await bed.AnswerAsync(id, "kkr-midtjylland", "43 pct. dagtilbud, 34 pct. social- og specialpædagogik, 23 pct. skole og fritid.");
        await bed.AnswerAsync(id, "kkr-hovedstaden", "KKR Hovedstadens indstilling.");
        var receipts = await bed.NextMailsAsync(3);
        Assert.Equal(SeedTestBed.ContactsOf("kkr-sjaelland", "kkr-midtjylland", "kkr-hovedstaden"), receipts.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(receipts, mail => Assert.Equal($"Kvittering for modtaget høringssvar: {Title}", mail.Message.Subject));

        // Two working days before Monday 18 April: Wednesday 13 April is one, Tuesday 12 April the second
        // (skærtorsdag, langfredag, the weekend and påskedag do not count). Nothing goes out the day before.
        await bed.AdvanceToAsync("2022-04-11T23:00");
        await bed.NoMailsAsync();
        await bed.AdvanceToAsync("2022-04-12T09:00");
        var reminders = await bed.NextMailsAsync(2);
        Assert.Equal(SeedTestBed.ContactsOf("kkr-syddanmark", "kkr-nordjylland"), reminders.Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));
        Assert.All(reminders, mail =>
        {
            Assert.Equal($"Påmindelse om høringssvar: {Title}", mail.Message.Subject);
            Assert.Contains("Svar senest mandag den 18. april 2022 kl. 23.59.", mail.Message.TextBody, StringComparison.Ordinal);
        });

        await bed.AdvanceToAsync("2022-04-13T10:00");
        await bed.AnswerAsync(id, "kkr-syddanmark", "KKR Syddanmarks indstilling.");
        Assert.Equal(SeedTestBed.ContactsOf("kkr-syddanmark"), (await bed.NextMailsAsync(1)).Select(SeedTestBed.Recipient));

        // The deadline is the end of 2. påskedag; until then the call stays open.
        await bed.AdvanceToAsync("2022-04-18T23:58");
        await bed.AssertWaitingAtAsync(id, "call");
        await bed.AdvanceToAsync("2022-04-19T08:00");
        await bed.NoMailsAsync();

        // 4 of 5: the call closes with one missing, and the ministry follows up.
        await bed.AssertWaitingAtAsync(id, "missing");
        journal = await bed.JournalAsync(id);
        Assert.Contains("KKR Nordjylland har ikke svaret inden fristen mandag den 18. april 2022 kl. 23.59.", journal);
        Assert.Contains("Høringen er afsluttet: 4 af 5 har svaret.", journal);
        Assert.Contains("Opgave: Følg op på de manglende indstillinger (ansvarlig: Uddannelses- og Forskningsstyrelsen).", journal);
        var details = await bed.DetailsAsync(id);
        Assert.Equal(Missing, details.Parties.Where(p => p.Status == "Overdue").Select(p => p.PartyId));
        Assert.Equal(4, details.Parties.Count(p => p.Status == "Answered"));
        var result = details.Variables["indstillinger"]!;
        Assert.Equal(5, result["total"]!.GetValue<int>());
        Assert.Equal(4, result["answered"]!.GetValue<int>());
        Assert.Equal(Missing, result["missing"]!.AsArray().Select(m => m!.GetValue<string>()));

        await bed.CompleteTaskAsync(id, "missing", "KKR Nordjylland har sendt indstillingen 20. april.");
        Assert.Equal("Finished", (await bed.DetailsAsync(id)).Status);
        await bed.NoMailsAsync();
    }

    [Fact]
    public async Task AllFiveKkrAnswer_TheCallClosesAtOnce_WithNoReminderAndNoFollowUp()
    {
        await using var bed = await SeedTestBed.StartAsync(database, "2022-02-08T09:00");
        var id = await bed.StartAsync("dimensionering-paedagoguddannelsen", new
        {
            reminders = new[] { new { workingDaysBefore = 2, at = "09:00" } },
        });
        Assert.Equal(5, (await bed.NextMailsAsync(5)).Count);

        await bed.AdvanceToAsync("2022-03-30T10:00");
        foreach (var kkr in AllKkr)
        {
            await bed.AnswerAsync(id, kkr, $"Indstilling fra {kkr}.");
        }
        Assert.Equal(SeedTestBed.ContactsOf("kkr-alle"), (await bed.NextMailsAsync(5)).Select(SeedTestBed.Recipient).Order(StringComparer.Ordinal));

        var details = await bed.DetailsAsync(id);
        Assert.Equal("Finished", details.Status);
        Assert.Empty(details.WaitingFor);
        var journal = await bed.JournalAsync(id);
        Assert.Contains("Høringen er afsluttet: 5 af 5 har svaret.", journal);
        Assert.DoesNotContain(journal, l => l.StartsWith("Opgave:", StringComparison.Ordinal));
        Assert.Empty(details.Variables["indstillinger"]!["missing"]!.AsArray());

        // The reminder day passes without a mail.
        await bed.AdvanceToAsync("2022-04-19T10:00");
        await bed.NoMailsAsync();
    }
}

[Trait("Database", "Sqlite")]
public sealed class DimensioneringTestsOnSqlite() : DimensioneringTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class DimensioneringTestsOnPostgreSql() : DimensioneringTests(TestDatabase.PostgreSql);
