using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Workflows.Definitions.Parties;
using Workflows.Host.Api;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Inbox;

/// <summary>
/// A real dovecot, and the real host on a SQLite file reading it as its answer inbox, with a standard hearing to
/// Holbæk and Roskilde started through the API on the simulated clock. The invitations are read back from the pickup
/// folder as the .eml files the kommuner would receive.
/// </summary>
public sealed class InboxTestBed : IAsyncDisposable
{
    public const string InboxAddress = "hoering@kkr.example";
    public const string TagKey = "test-tag-key-0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>The host's JSON plus enums as text (the host writes them so).</summary>
    public static readonly JsonSerializerOptions Json = new(ProcesFlowApiFactory.Json) { Converters = { new JsonStringEnumConverter() } };

    private static readonly PartyDirectory Directory = PartyDirectory.LoadReference();

    private InboxTestBed(ImapServer imap, ProcesFlowApiFactory factory)
    {
        Imap = imap;
        Factory = factory;
        Client = factory.CreateApiClient();
    }

    public ImapServer Imap { get; }

    public ProcesFlowApiFactory Factory { get; }

    public HttpClient Client { get; }

    public Guid InstanceId { get; private set; }

    /// <summary>The invitation each party received, by party id.</summary>
    public Dictionary<string, MimeMessage> Invitations { get; } = new(StringComparer.Ordinal);

    public IDbContextFactory<ProcesFlowDbContext> Contexts => Factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();

    /// <summary>Starts the host and a hearing to Holbæk and Roskilde; with <paramref name="approval"/> a round that asks them to approve.</summary>
    public static async Task<InboxTestBed> StartAsync(TestDatabase database, bool withImap = true, bool approval = false)
    {
        var imap = await ImapServer.StartAsync();
        var factory = new ProcesFlowApiFactory(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
        factory.Settings["ProcesFlow:Answers:AttachmentsFolder"] = Path.Combine(factory.Folder, "attachments");
        factory.Settings["ProcesFlow:Mail:Smtp:From"] = "KKR Sjælland <kkr@kkr.example>";
        if (withImap)
        {
            factory.Settings["ProcesFlow:Mail:Imap:Host"] = imap.Host;
            factory.Settings["ProcesFlow:Mail:Imap:Port"] = imap.Port.ToString(CultureInfo.InvariantCulture);
            factory.Settings["ProcesFlow:Mail:Imap:User"] = imap.User;
            factory.Settings["ProcesFlow:Mail:Imap:Password"] = imap.Password;
            factory.Settings["ProcesFlow:Mail:Imap:Security"] = "None";
            factory.Settings["ProcesFlow:Mail:Imap:Address"] = InboxAddress;
            factory.Settings["ProcesFlow:Mail:Imap:TagKey"] = TagKey;

            // The tests read the inbox through the API when they mean to; a minutely run in between would take the mail first.
            factory.Settings["ProcesFlow:Mail:Imap:PollSchedule"] = Hangfire.Cron.Never();
        }
        var bed = new InboxTestBed(imap, factory);
        await bed.StartHearingAsync(approval);
        return bed;
    }

    public static string Contact(string partyId) => Directory.Find(partyId)!.Contacts[0];

    /// <summary>Reads the inbox now, through the API.</summary>
    public async Task<InboxPollResult> PollAsync()
    {
        var response = await Client.PostAsync("/api/inbox/poll", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}\n{Imap.Log}");
        return JsonSerializer.Deserialize<InboxPollResult>(body, Json)!;
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public async Task<List<UnmatchedMailDescription>> UnmatchedAsync(bool assigned = false) =>
        await ReadAsync<List<UnmatchedMailDescription>>(await Client.GetAsync($"/api/inbox/unmatched{(assigned ? "?assigned=true" : "")}"));

    public async Task<PartyStatus> PartyAsync(string partyId) =>
        (await ReadAsync<InstanceDetails>(await Client.GetAsync($"/api/instances/{InstanceId}"))).Parties.Single(p => p.PartyId == partyId);

    /// <summary>
    /// A reply from the party's contact, as a mail client writes one: SV: subject, In-Reply-To and References, the
    /// original quoted below. It is addressed to the invitation's From, not its Reply-To, so only the headers match it.
    /// </summary>
    public MimeMessage Reply(string partyId, string text, params (string Name, byte[] Content, string MimeType)[] files)
    {
        var invitation = Invitations[partyId];
        var reply = new MimeMessage();
        reply.From.Add(new MailboxAddress("Sagsbehandler", Contact(partyId)));
        reply.To.AddRange(invitation.From);
        reply.Subject = "SV: " + invitation.Subject;
        reply.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("kommune.example");
        reply.InReplyTo = invitation.MessageId;
        reply.References.Add(invitation.MessageId!);
        var quoted = string.Join('\n', (invitation.TextBody ?? "").ReplaceLineEndings("\n").Split('\n').Select(l => "> " + l));
        var body = new BodyBuilder { TextBody = $"{text}\n\nDen 1. okt. 2019 kl. 10.00 skrev KKR Sjælland <kkr@kkr.example>:\n{quoted}\n" };
        foreach (var (name, content, mimeType) in files)
        {
            body.Attachments.Add(name, content, ContentType.Parse(mimeType));
        }
        reply.Body = body.ToMessageBody();
        return reply;
    }

    /// <summary>
    /// The smallest complete PDF: one empty A4 page, with a cross-reference table whose offsets are right, so any
    /// reader opens it.
    /// </summary>
    public static byte[] MinimalPdf()
    {
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Imap.DisposeAsync();
    }

    private async Task StartHearingAsync(bool approval)
    {
        if (approval)
        {
            await ReadAsync<JsonElement>(await Client.PostJsonAsync("/api/definitions", JsonNode.Parse("""
                { "definitionId": "approval-round", "name": "Godkendelse", "inputs": [ { "name": "title" }, { "name": "caseNumber" }, { "name": "parties" }, { "name": "deadline" } ],
                  "root": { "type": "Flowchart",
                    "activities": [ { "id": "start", "type": "Start" },
                      { "id": "round", "type": "Hearing", "ask": "approval", "title": "{{ input.title }}", "caseNumber": "{{ input.caseNumber }}",
                        "parties": { "expression": "input.parties" }, "deadline": { "expression": "input.deadline" } } ],
                    "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "round", "port": "In" } } ] } }
                """)));
            await ReadAsync<JsonElement>(await Client.PostAsync("/api/definitions/approval-round/publish", null));
        }
        InstanceId = (await ReadAsync<InstanceStarted>(await Client.PostJsonAsync("/api/instances", new
        {
            definitionId = approval ? "approval-round" : "standard-hearing",
            input = new
            {
                title = "Rammeaftale 2020 for det specialiserede socialområde",
                caseNumber = "SAG-2019-7",
                parties = new[] { "holbaek", "roskilde" },
                deadline = new { date = "2019-10-31", at = "12:00" },
            },
        }))).InstanceId;

        // The invitations as the pickup folder holds them: what the kommuner receive.
        var pickup = Path.Combine(Factory.Folder, "mail-outbox");
        var elapsed = Stopwatch.StartNew();
        while (Invitations.Count < 2)
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), "The invitations did not reach the pickup folder.");
            foreach (var file in System.IO.Directory.Exists(pickup) ? System.IO.Directory.GetFiles(pickup, "*.eml") : [])
            {
                var message = await MimeMessage.LoadAsync(file);
                foreach (var party in new[] { "holbaek", "roskilde" }.Where(p => message.To.Mailboxes.Any(m => m.Address == Contact(p))))
                {
                    Invitations[party] = message;
                }
            }
            await Task.Delay(50);
        }
    }
}
