using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Definitions.Parties;
using Workflows.Host.Api;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;
using Workflows.Tests.Browser;
using Workflows.Tests.Security;
using Workflows.Tests.Support;

namespace Workflows.Tests.Staff;

/// <summary>
/// The hearing page and the party-in-hearing page over real HTTP on the real host (simulated clock at 1 October 2019
/// 10:00): the deadline shown once, the party's history in Danish, what users and kommuner write encoded, and who
/// may record a decision or finish a task.
/// </summary>
public abstract partial class HearingPageTests : IDisposable
{
    private const string Deadline = "torsdag den 31. oktober 2019 kl. 12.00";

    private static readonly PartyDirectory Directory = PartyDirectory.LoadReference();

    private readonly ProcesFlowApiFactory factory;

    protected HearingPageTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    public void Dispose() => factory.Dispose();

    private async Task<Guid> StartHearingAsync(string title = "Rammeaftale 2020", params string[] parties)
    {
        var started = await (await factory.CreateApiClient().PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new
            {
                title,
                caseNumber = "SAG-2019-07311",
                sender = "KKR Midtjylland",
                parties = parties.Length == 0 ? ["aarhus", "skive", "viborg"] : parties,
                deadline = new { date = "2019-10-31", at = "12:00" },
            },
        })).ReadAsync<InstanceStarted>();
        return started.InstanceId;
    }

    private async Task<Dictionary<string, Guid>> TasksAsync(Guid instanceId)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        return await db.PartyTasks.Where(t => t.InstanceId == instanceId).ToDictionaryAsync(t => t.PartyId, t => t.Id);
    }

    private async Task AdvanceAsync(string by) =>
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateApiClient().PostJsonAsync("/api/clock/advance", new { by })).StatusCode);

    /// <summary>Waits until every mail of the hearing has left the outbox, so the history's wording does not depend on the sender's timing.</summary>
    private async Task AllMailsSentAsync(Guid instanceId)
    {
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        for (var waited = 0; waited < 400; waited++)
        {
            await using var db = await contexts.CreateDbContextAsync();
            if (!await db.Outbox.AnyAsync(o => o.InstanceId == instanceId && o.Status != OutboxStatus.Sent))
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("The hearing's mails were not sent within 20 s.");
    }

    private static int Occurrences(string text, string part) => Regex.Count(text, Regex.Escape(part));

    /// <summary>The page's main content as text, tags removed and characters decoded.</summary>
    private static string MainText(string page)
    {
        var main = page[page.IndexOf("<main", StringComparison.Ordinal)..page.IndexOf("</main>", StringComparison.Ordinal)];
        return WebUtility.HtmlDecode(Tags().Replace(main, " "));
    }

    [Fact]
    public async Task Matrix_AllPartiesShareTheDeadline_ItIsShownOnceInTheFacts()
    {
        var id = await StartHearingAsync();
        var staff = await StaffSession.SignedInAsync(factory);

        var page = MainText(await staff.GetStringAsync($"/hoeringer/{id}"));

        Assert.Equal(1, Occurrences(page, Deadline));
        Assert.Contains($"Frist {Deadline} (22 arbejdsdage tilbage)", Spaces().Replace(page, " "), StringComparison.Ordinal);
        // The time left: in the facts, and in each of the three parties' rows.
        Assert.Equal(4, Occurrences(page, "22 arbejdsdage tilbage"));
        Assert.DoesNotContain("Egen frist", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Matrix_OnePartyExtended_ItsOwnDeadlineInItsRowOnly()
    {
        var id = await StartHearingAsync();
        var api = factory.CreateApiClient();
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/instances/{id}/parties/skive/deadline", new { deadline = new { date = "2019-11-07", at = "14:00" } })).StatusCode);
        var staff = await StaffSession.SignedInAsync(factory);

        var html = await staff.GetStringAsync($"/hoeringer/{id}");
        var page = MainText(html);

        Assert.Equal(1, Occurrences(page, Deadline));
        Assert.Equal(1, Occurrences(page, "Egen frist: torsdag den 7. november 2019 kl. 14.00"));
        var skiveRow = Regex.Match(html, "<tr><th scope=\"row\"><a [^>]*>Skive Kommune</a></th>.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("Egen frist: torsdag den 7. november 2019 kl. 14.00 · 27 arbejdsdage tilbage", skiveRow, StringComparison.Ordinal);
        Assert.Contains("1 part har egen frist", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartyHistory_InvitedRemindedAskedForMoreTimeAndAnsweredByMail_ADanishSentenceForEach()
    {
        var id = await StartHearingAsync();
        var skive = (await TasksAsync(id))["skive"];
        var contacts = string.Join(", ", Directory.Find("skive")!.Contacts);
        var api = factory.CreateApiClient();
        var commands = factory.Services.GetRequiredService<HearingCommands>();

        await AdvanceAsync("PT1H");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/instances/{id}/parties/skive/remind", null)).StatusCode);
        await AdvanceAsync("PT1H");
        Assert.IsType<AnswerOutcome.Accepted>(await commands.RequestExtensionAsync(
            skive, "Byrådet behandler sagen 6. november.", new System.Text.Json.Nodes.JsonObject { ["date"] = "2019-11-07", ["at"] = "14:00" }, CancellationToken.None));
        await AdvanceAsync("PT1H");
        Assert.IsType<AnswerOutcome.Accepted>(await commands.SubmitAnswerAsync(
            skive, new AnswerSubmission("Skive Kommune bakker op om rammeaftalen.", false, [], "email", SubmittedBy: "borgerservice@skive.example"), CancellationToken.None));
        await AllMailsSentAsync(id);
        var staff = await StaffSession.SignedInAsync(factory);

        var page = await staff.GetStringAsync($"/hoeringer/{id}/parter/skive");

        var history = Regex.Match(page, "<ol class=\"party-history\"[^>]*>(.*?)</ol>", RegexOptions.Singleline).Groups[1].Value;
        var lines = Regex.Matches(history, "<li>(.*?)</li>", RegexOptions.Singleline)
            .Select(m => Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(m.Groups[1].Value, "")), " ").Trim()).ToList();
        Assert.Equal(
        [
            $"tirsdag den 1. oktober 2019 kl. 10.00: Invitation sendt til {contacts}.",
            $"tirsdag den 1. oktober 2019 kl. 11.00: Påmindelse sendt til {contacts}.",
            "tirsdag den 1. oktober 2019 kl. 12.00: Anmodede om fristforlængelse til torsdag den 7. november 2019 kl. 14.00. Begrundelse: Byrådet behandler sagen 6. november.",
            "tirsdag den 1. oktober 2019 kl. 13.00: Høringssvar modtaget via e-mail fra borgerservice@skive.example.",
            $"tirsdag den 1. oktober 2019 kl. 13.00: Kvittering for svaret sendt til {contacts}.",
        ], lines);
        Assert.DoesNotContain("Signalet", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Ingen hændelser", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserText_ScriptAndQuotes_InTitlePartyNameAnswerAndFileName_EncodedOnBothPages()
    {
        const string title = "<script>alert(\"titel\")</script> Høring 'A' & \"B\"";
        const string party = "<script>alert('part')</script> \"Aarhus\" Kommune";
        const string answer = "<script>alert(\"svar\")</script> Vi siger \"ja\" & 'tak'.";
        const string file = "<script>alert('fil')</script> \"bilag\" & 'x'.pdf";
        var id = await StartHearingAsync(title, "aarhus", "skive");
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        Guid aarhus;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            // A party's name comes from the directory and the operator's contacts file: the pages must encode it all the same.
            var task = await db.PartyTasks.SingleAsync(t => t.InstanceId == id && t.PartyId == "aarhus");
            task.PartyName = party;
            await db.SaveChangesAsync();
            aarhus = task.Id;
        }
        using (var pdf = new MemoryStream(MinimalPdf.Create("Bilag")))
        {
            var outcome = await factory.Services.GetRequiredService<HearingCommands>().SubmitAnswerAsync(
                aarhus, new AnswerSubmission(answer, false, [new AnswerFile(file, pdf)], "email", SubmittedBy: "\"Aarhus\" <hoering@aarhus.example>"), CancellationToken.None);
            Assert.IsType<AnswerOutcome.Accepted>(outcome);
        }
        var staff = await StaffSession.SignedInAsync(factory);
        var encoder = HtmlEncoder.Create(UnicodeRanges.All);

        var hearing = await staff.GetStringAsync($"/hoeringer/{id}");
        var partyPage = await staff.GetStringAsync($"/hoeringer/{id}/parter/aarhus");

        foreach (var (name, page) in new[] { ("hearing page", hearing), ("party page", partyPage) })
        {
            Assert.True(!page.Contains("<script>alert", StringComparison.Ordinal), $"The {name} carries a raw script element.");
            Assert.True(page.Contains(encoder.Encode(title), StringComparison.Ordinal), $"The {name} does not show the title encoded.");
            Assert.True(page.Contains(encoder.Encode(party), StringComparison.Ordinal), $"The {name} does not show the party's name encoded.");
        }
        Assert.Contains(encoder.Encode(answer), partyPage, StringComparison.Ordinal);
        // The host keeps a file's name without path, quotes or angle brackets; what is left (an ampersand, apostrophes) is encoded.
        var kept = Workflows.Host.Answers.AttachmentStore.SafeFileName(file);
        Assert.Equal("script bilag & 'x'.pdf", kept);
        Assert.Contains($">{encoder.Encode(kept)}</a>", partyPage, StringComparison.Ordinal);
        // Scripts are files of the host; the only script elements on the pages load them.
        Assert.All(new[] { hearing, partyPage }, page => Assert.All(Regex.Matches(page, "<script[^>]*>").Select(m => m.Value),
            tag => Assert.Matches("^<script src=\"/design/procesflow/[a-z-]+\\.js\"></script>$|^<script src=\"/design/procesflow/[a-z-]+\\.js\">$", tag)));
    }

    [Fact]
    public async Task DecisionAndTaskForms_RefusedForAReader_403_AndBadOrStaleFormsExplainedInDanish()
    {
        var id = await StartHearingAsync();
        var reader = await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader);
        var readerPage = await reader.GetStringAsync($"/hoeringer/{id}");
        foreach (var path in new[] { $"/hoeringer/{id}/beslutninger/kkr", $"/hoeringer/{id}/opgaver/send" })
        {
            var refused = await reader.PostAsync(path, new FormUrlEncodedContent([new("udfald", "approved"), new("__RequestVerificationToken", StaffSession.Token(readerPage))]));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var staff = await StaffSession.SignedInAsync(factory);
        var page = await staff.GetStringAsync($"/hoeringer/{id}");
        // A standard hearing waits for its parties, not for a decision: the form of a stale page is answered in Danish.
        Assert.Contains("Afventer høringssvar: Rammeaftale 2020", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        var notWaiting = await staff.PostAsync($"/hoeringer/{id}/beslutninger/kkr", new FormUrlEncodedContent([new("udfald", "approved"), new("__RequestVerificationToken", StaffSession.Token(page))]));
        Assert.Equal(HttpStatusCode.Conflict, notWaiting.StatusCode);
        Assert.Contains("Forløbet venter ikke længere på denne beslutning.", WebUtility.HtmlDecode(await notWaiting.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var forged = await staff.PostAsync($"/hoeringer/{id}/opgaver/send", new FormUrlEncodedContent([new("__RequestVerificationToken", "forfalsket")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Siden var udløbet, så intet blev registreret. Prøv igen.", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

[Trait("Database", "Sqlite")]
public sealed class HearingPageTestsOnSqlite() : HearingPageTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class HearingPageTestsOnPostgreSql() : HearingPageTests(TestDatabase.PostgreSql);
