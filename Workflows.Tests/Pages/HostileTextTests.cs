using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Workflows.Definitions.Parties;
using Workflows.Host.Api;
using Workflows.Host.Mail.Inbox;
using Workflows.Tests.Answers;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Pages;

/// <summary>
/// Every text a process owner, a kommune or a mail sender controls — the hearing's title, sender, message and
/// material, a party's name, the answer's text, the name it was given under and its file's name, an unmatched
/// mail's sender and subject — goes through every page that shows it with <c>&lt;script&gt;</c> and quotes in it,
/// and comes out encoded, never as markup. The pages are Razor components: this proves nobody wrote HTML by hand.
/// </summary>
public abstract partial class HostileTextTests : IDisposable
{
    /// <summary>Each text, as typed and as it must appear in the page's source (Razor's encoder: quotes included).</summary>
    private static readonly (string Typed, string Encoded) Title = Hostile("titel"),
        Sender = Hostile("afsender"), Message = Hostile("følgetekst"), Material = Hostile("materiale"),
        PartyName = Hostile("part"), AnswerText = Hostile("svar"), AnsweredBy = Hostile("navn"),
        MailSubject = Hostile("emne");

    /// <summary>A sender's display name is shown as the mail writes it (quoted, its own quotes escaped), so only the markup is checked.</summary>
    private static readonly (string Typed, string Encoded) MailFrom = ("<script>alert('afsendernavn')</script> Ukendt", "&lt;script&gt;alert(&#x27;afsendernavn&#x27;)&lt;/script&gt; Ukendt");

    /// <summary>
    /// A file name cannot carry markup at all (the attachment store drops &lt; &gt; " and everything before a /), so
    /// its test is the characters that remain: an apostrophe and an ampersand.
    /// </summary>
    private static readonly (string Typed, string Encoded) FileName = ("Bilag 'fil' & co.pdf", "Bilag &#x27;fil&#x27; &amp; co.pdf");

    private readonly HostileFactory factory;

    protected HostileTextTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    public void Dispose() => factory.Dispose();

    private static (string Typed, string Encoded) Hostile(string what, string suffix = "") =>
        ($"<script>alert('{what}')</script> \"{what}\"{suffix}", $"&lt;script&gt;alert(&#x27;{what}&#x27;)&lt;/script&gt; &quot;{what}&quot;{suffix}");

    [Fact]
    public async Task EveryUserControlledText_IsEncodedOnEveryPageThatShowsIt()
    {
        var api = factory.CreateApiClient();
        var started = await (await api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new
            {
                title = Title.Typed,
                caseNumber = "SAG-2019-666",
                sender = Sender.Typed,
                message = Message.Typed,
                material = new[] { new { title = Material.Typed, url = "https://example.dk/udkast.pdf" } },
                parties = new[] { "aarhus", HostileFactory.PartyId },
                deadline = new { date = "2019-10-31", at = "12:00" },
                // Late answers are taken for two more weeks, so the hearing is still running, with Aarhus overdue.
                latePolicy = new { mode = "acceptUntil", until = new { date = "2019-11-14", at = "12:00" } },
            },
        })).ReadAsync<InstanceStarted>();
        var id = started.InstanceId;
        var link = (await AnswerPaths.OfOutboxAsync(factory.Services, "invitation", id)).Single(l => l.PartyId == HostileFactory.PartyId).AnswerPath;

        // The kommune answers on its page, with a file.
        var kommune = StaffSession.Anonymous(factory);
        var answerPage = await kommune.GetStringAsync(link);
        var form = new MultipartFormDataContent
        {
            { new StringContent(StaffSession.Token(answerPage)), "__RequestVerificationToken" },
            { new StringContent(AnswerText.Typed), "text" },
            { new StringContent(AnsweredBy.Typed), "name" },
            { new ByteArrayContent(AnswerPageTests.Pdf), "attachments", FileName.Typed },
        };
        var posted = await kommune.PostAsync(link, form);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var receiptPath = posted.Headers.Location!.OriginalString;

        // A reply nobody could match, waiting in the inbox.
        await StoreUnmatchedMailAsync();

        // Past the deadline: Aarhus is overdue, so the overdue view lists the hearing too.
        await api.PostJsonAsync("/api/clock/advance", new { to = "2019-11-01T08:00:00Z" });

        var staff = await StaffSession.SignedInAsync(factory);
        var pages = new (HttpClient Client, string Path, (string Typed, string Encoded)[] Shows)[]
        {
            (kommune, link, [Title, Sender, Message, Material, PartyName, AnswerText]),
            (kommune, receiptPath, [PartyName, FileName]),
            (staff, "/", [Title]),
            (staff, "/?q=" + Uri.EscapeDataString("alert"), [Title]),
            (staff, "/overskredet", [Title]),
            (staff, $"/hoeringer/{id}", [Title, PartyName]),
            (staff, $"/hoeringer/{id}/parter/{HostileFactory.PartyId}", [PartyName, AnswerText, AnsweredBy, FileName]),
            (staff, $"/hoeringer/{id}/parter/aarhus", [Title]),
            (staff, "/parter", [PartyName]),
            (staff, $"/parter/{HostileFactory.PartyId}", [PartyName, Title]),
            (staff, "/indbakke", [MailSubject, MailFrom]),
        };
        foreach (var (client, path, shows) in pages)
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            foreach (var (typed, encoded) in shows)
            {
                Assert.True(html.Contains(encoded, StringComparison.Ordinal), $"{path} does not show {typed} encoded as {encoded}.");
            }
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            // The only scripts are this host's own files.
            Assert.True(!ForeignScript().IsMatch(html), $"{path} has a script that is not one of the host's files: {ForeignScript().Match(html).Value}");
        }
    }

    private async Task StoreUnmatchedMailAsync()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(MailFrom.Typed, "ukendt@example.dk"));
        message.To.Add(new MailboxAddress("Høringer", "hoering@procesflow.local"));
        message.Subject = MailSubject.Typed;
        message.MessageId = "hostile@example.dk";
        var body = new BodyBuilder { TextBody = AnswerText.Typed };
        body.Attachments.Add(FileName.Typed, AnswerPageTests.Pdf, new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        // Through the inbox's own path, as if read from the IMAP server: no party's tag, so it is kept for staff.
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw);
        var outcome = await factory.Services.GetRequiredService<InboxProcessor>().ProcessAsync(raw.ToArray(), CancellationToken.None);
        Assert.Equal(InboxResult.Unmatched, outcome.Result);
    }

    [GeneratedRegex("""<script(?![^>]*\bsrc="/(design|designer)/)[^>]*>""")]
    private static partial Regex ForeignScript();

    /// <summary>The real host, with one more party in its directory whose name is hostile.</summary>
    private sealed class HostileFactory(TestDatabase database) : ProcesFlowApiFactory(database)
    {
        public const string PartyId = "fjendtlig";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            var reference = PartyDirectory.LoadReference();
            var hostile = new Party(PartyId, PartyName.Typed, PartyKind.Kommune, DanishRegion.Midtjylland, null, false, ["hoering@fjendtlig.example"]);
            var directory = PartyDirectory.Create(
                [.. reference.All, hostile],
                reference.Groups.Select(g => new PartyGroupDefinition(g.Id, g.Name, g.MemberIds)));
            builder.ConfigureTestServices(services => services.AddSingleton(directory));
        }
    }
}

[Trait("Database", "Sqlite")]
public sealed class HostileTextTestsOnSqlite() : HostileTextTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class HostileTextTestsOnPostgreSql() : HostileTextTests(TestDatabase.PostgreSql);
