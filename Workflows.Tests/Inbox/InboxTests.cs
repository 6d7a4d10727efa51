using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Workflows.Host.Api;
using Workflows.Host.Mail.Inbox;
using Workflows.Tests.Support;

namespace Workflows.Tests.Inbox;

/// <summary>
/// Answers by e-mail end to end with a real IMAP server (dovecot on loopback): replies to real invitations become the
/// party's answer with their PDF, the same mail is stored once however often it is read, mail that matches no party is
/// kept for staff to assign, and nothing is ever dropped or deleted.
/// </summary>
public abstract class InboxTests(TestDatabase database)
{
    private static readonly byte[] Pdf = InboxTestBed.MinimalPdf();

    [Fact]
    public async Task Poll_ReplyWithPdfToInvitation_BecomesThatPartysAnswerWithReceipt()
    {
        await using var bed = await InboxTestBed.StartAsync(database);
        var reply = bed.Reply("holbaek", "Holbæk Kommune kan tilslutte sig rammeaftalen.\nSe vedhæftede høringssvar.", ("Høringssvar Holbæk.pdf", Pdf, "application/pdf"));
        bed.Imap.Deliver(reply);

        var poll = await bed.PollAsync();

        var outcome = Assert.Single(poll.Messages);
        Assert.Equal(InboxResult.Answered, outcome.Result);
        Assert.Equal("in-reply-to", outcome.MatchedBy);
        Assert.Equal(reply.MessageId, outcome.MessageId);
        var holbaek = await bed.PartyAsync("holbaek");
        Assert.Equal("Answered", holbaek.Status);
        Assert.NotNull(holbaek.AnsweredAt);
        Assert.Equal("Sent", (await bed.PartyAsync("roskilde")).Status);

        await using var db = await bed.Contexts.CreateDbContextAsync();
        var task = await db.PartyTasks.SingleAsync(t => t.InstanceId == bed.InstanceId && t.PartyId == "holbaek");
        var answer = await db.Answers.SingleAsync(a => a.PartyTaskId == task.Id);
        Assert.Equal("email", answer.Channel);
        Assert.Equal(reply.MessageId, answer.MessageId);
        Assert.Contains(InboxTestBed.Contact("holbaek"), answer.SubmittedBy, StringComparison.Ordinal);
        // The reply's own words; the quoted invitation below them is left out.
        Assert.Equal("Holbæk Kommune kan tilslutte sig rammeaftalen.\nSe vedhæftede høringssvar.", answer.Text);
        var attachment = await db.Attachments.SingleAsync(a => a.AnswerId == answer.Id);
        Assert.Equal("application/pdf", attachment.ContentType);
        Assert.Equal("Høringssvar Holbæk.pdf", attachment.FileName);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(Path.Combine(bed.Factory.Folder, "attachments", attachment.StoragePath)));

        // The receipt is queued for the sender.
        var receipt = await db.Outbox.SingleAsync(o => o.PartyTaskId == task.Id && o.Template == "receipt");
        Assert.Contains(InboxTestBed.Contact("holbaek"), receipt.To, StringComparison.Ordinal);

        // Nothing is deleted from the server.
        Assert.Single(bed.Imap.MessageFiles());
        Assert.Empty(await bed.UnmatchedAsync());
    }

    [Fact]
    public async Task Poll_ReplyAfterTheHearingWasClosed_IsKeptForStaff_NotCounted_AndTheSenderIsToldByMail()
    {
        await using var bed = await InboxTestBed.StartAsync(database);
        await InboxTestBed.ReadAsync<SignalResult>(await bed.Client.PostAsync($"/api/instances/{bed.InstanceId}/hearings/hearing/close", null));
        var reply = bed.Reply("holbaek", "Holbæk Kommune kan tilslutte sig rammeaftalen.", ("Høringssvar Holbæk.pdf", Pdf, "application/pdf"));
        bed.Imap.Deliver(reply);

        var outcome = Assert.Single((await bed.PollAsync()).Messages);

        Assert.Equal(InboxResult.Held, outcome.Result);
        Assert.Equal("Overdue", (await bed.PartyAsync("holbaek")).Status);
        await using var db = await bed.Contexts.CreateDbContextAsync();
        var answer = await db.Answers.SingleAsync(a => a.InstanceId == bed.InstanceId);
        Assert.Equal((outcome.AnswerId, "Ended", reply.MessageId), (answer.Id, answer.HeldReason, answer.MessageId));
        var file = await db.Attachments.SingleAsync(a => a.AnswerId == answer.Id);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(Path.Combine(bed.Factory.Folder, "attachments", file.StoragePath)));
        Assert.Empty(await db.Outbox.Where(o => o.InstanceId == bed.InstanceId && o.Template == "receipt").ToListAsync());
        var told = await db.Outbox.SingleAsync(o => o.InstanceId == bed.InstanceId && o.Template == "answer-held");
        Assert.Contains(InboxTestBed.Contact("holbaek"), told.To, StringComparison.Ordinal);

        // Read again, the same mail is not stored a second time.
        bed.Imap.Deliver(reply);
        Assert.Equal(InboxResult.Duplicate, Assert.Single((await bed.PollAsync()).Messages).Result);
        Assert.Equal(1, await db.Answers.CountAsync(a => a.InstanceId == bed.InstanceId));
    }

    [Fact]
    public async Task Poll_SameMessageReadTwice_IsStoredOnce()
    {
        await using var bed = await InboxTestBed.StartAsync(database);
        var reply = bed.Reply("roskilde", "Roskilde Kommune har ingen bemærkninger.", ("svar.pdf", Pdf, "application/pdf"));
        bed.Imap.Deliver(reply);
        Assert.Equal(InboxResult.Answered, Assert.Single((await bed.PollAsync()).Messages).Result);

        // The next poll finds nothing new: the mail is marked as handled (not deleted, not marked read).
        Assert.Empty((await bed.PollAsync()).Messages);
        var file = Assert.Single(bed.Imap.MessageFiles());
        Assert.DoesNotContain("S", Path.GetFileName(file).Split(":2,").Last(), StringComparison.Ordinal);

        // The same message once more, unmarked: what a crash between storing and marking leaves, or a double delivery.
        bed.Imap.Deliver(reply);
        var again = Assert.Single((await bed.PollAsync()).Messages);
        Assert.Equal(InboxResult.Duplicate, again.Result);

        await using var db = await bed.Contexts.CreateDbContextAsync();
        var task = await db.PartyTasks.SingleAsync(t => t.InstanceId == bed.InstanceId && t.PartyId == "roskilde");
        Assert.Equal(1, await db.Answers.CountAsync(a => a.PartyTaskId == task.Id));
        Assert.Equal(1, await db.Attachments.CountAsync());
        Assert.Equal(1, await db.Outbox.CountAsync(o => o.PartyTaskId == task.Id && o.Template == "receipt"));
        Assert.Equal(2, bed.Imap.MessageFiles().Count);
        Assert.Empty(await bed.UnmatchedAsync());
    }

    [Fact]
    public async Task Poll_MailWithNoMatch_LandsInUnmatchedList_AndIsAssignedViaApi()
    {
        await using var bed = await InboxTestBed.StartAsync(database);
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress("Jens Jensen", "jj@roskilde.example"));
        mail.To.Add(MailboxAddress.Parse(InboxTestBed.InboxAddress));
        mail.Subject = "Høringssvar rammeaftale";
        mail.MessageId = "unmatched-1@roskilde.example";
        mail.Body = new BodyBuilder
        {
            TextBody = "Hermed Roskilde Kommunes høringssvar.",
            Attachments = { { "roskilde.pdf", Pdf, ContentType.Parse("application/pdf") } },
        }.ToMessageBody();
        bed.Imap.Deliver(mail);

        Assert.Equal(InboxResult.Unmatched, Assert.Single((await bed.PollAsync()).Messages).Result);
        // Read again (a second copy): still one entry.
        bed.Imap.Deliver(mail);
        Assert.Equal(InboxResult.AlreadyKept, Assert.Single((await bed.PollAsync()).Messages).Result);

        var kept = Assert.Single(await bed.UnmatchedAsync());
        Assert.Equal("unmatched-1@roskilde.example", kept.MessageId);
        Assert.Contains("jj@roskilde.example", kept.From, StringComparison.Ordinal);
        Assert.Equal("Høringssvar rammeaftale", kept.Subject);
        Assert.Equal(InboxResult.Unmatched, kept.Status);
        Assert.False(string.IsNullOrEmpty(kept.Reason));
        Assert.Equal("Hermed Roskilde Kommunes høringssvar.", kept.Preview);
        Assert.Equal(["roskilde.pdf"], kept.Attachments);
        Assert.Equal("Sent", (await bed.PartyAsync("roskilde")).Status);

        // Staff can read the original.
        var original = await bed.Client.GetAsync($"/api/inbox/unmatched/{kept.Id}/message");
        Assert.Equal("message/rfc822", original.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unmatched-1@roskilde.example", (await MimeMessage.LoadAsync(await original.Content.ReadAsStreamAsync())).MessageId);

        var assigned = await InboxTestBed.ReadAsync<AssignedMail>(await bed.Client.PostJsonAsync($"/api/inbox/unmatched/{kept.Id}/assign", new { instanceId = bed.InstanceId, partyId = "roskilde" }));
        Assert.Equal(["roskilde.pdf"], assigned.Attachments);
        Assert.Equal("Answered", (await bed.PartyAsync("roskilde")).Status);
        Assert.Empty(await bed.UnmatchedAsync());
        var done = Assert.Single(await bed.UnmatchedAsync(assigned: true));
        Assert.Equal("roskilde", done.AssignedTo?.PartyId);
        Assert.Equal("api-key-1", done.AssignedBy);
        Assert.NotNull(done.AssignedAt);

        await using var db = await bed.Contexts.CreateDbContextAsync();
        var answer = await db.Answers.SingleAsync(a => a.Id == assigned.AnswerId);
        Assert.Equal("email", answer.Channel);
        Assert.Equal("unmatched-1@roskilde.example", answer.MessageId);
        Assert.Equal("application/pdf", (await db.Attachments.SingleAsync(a => a.AnswerId == answer.Id)).ContentType);
        Assert.Contains("jj@roskilde.example", (await db.Outbox.SingleAsync(o => o.Template == "receipt")).To, StringComparison.Ordinal);

        // Assigned once only; and reading the mail again does not store it again.
        var twice = await bed.Client.PostJsonAsync($"/api/inbox/unmatched/{kept.Id}/assign", new { instanceId = bed.InstanceId, partyId = "holbaek" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        bed.Imap.Deliver(mail);
        Assert.Equal(InboxResult.Duplicate, Assert.Single((await bed.PollAsync()).Messages).Result);
        Assert.Equal(1, await db.Answers.CountAsync());
    }

    [Fact]
    public async Task Poll_ReplyToPlusAddressWithoutReplyHeaders_IsThatPartysAnswer()
    {
        await using var bed = await InboxTestBed.StartAsync(database);
        var invitation = bed.Invitations["roskilde"];
        var replyTo = Assert.Single(invitation.ReplyTo.Mailboxes).Address;
        Assert.Matches(@"^hoering\+[a-z2-7]{42}@kkr\.example$", replyTo);
        Assert.NotEqual(replyTo, Assert.Single(bed.Invitations["holbaek"].ReplyTo.Mailboxes).Address);

        // A new mail (not a reply) to the address from the invitation, e.g. copied into a new message.
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse("sekretariat@roskilde.example"));
        mail.To.Add(MailboxAddress.Parse(replyTo.ToUpperInvariant()));
        mail.Subject = "Høringssvar";
        mail.MessageId = "plus-1@roskilde.example";
        mail.Body = new TextPart("html") { Text = "<html><head><style>p{}</style></head><body><p>Roskilde Kommune st&oslash;tter <b>forslaget</b>.</p><p>Med venlig hilsen<br>Sekretariatet</p></body></html>" };
        bed.Imap.Deliver(mail);

        var outcome = Assert.Single((await bed.PollAsync()).Messages);
        Assert.Equal(InboxResult.Answered, outcome.Result);
        Assert.Equal("plus-address", outcome.MatchedBy);
        Assert.Equal("Answered", (await bed.PartyAsync("roskilde")).Status);
        Assert.Equal("Sent", (await bed.PartyAsync("holbaek")).Status);
        await using var db = await bed.Contexts.CreateDbContextAsync();
        Assert.Equal("Roskilde Kommune støtter forslaget.\nMed venlig hilsen\nSekretariatet", (await db.Answers.SingleAsync()).Text);
    }

    [Fact]
    public async Task Poll_ForgedPlusAddress_IsNotMatched_AndKeptForStaff()
    {
        await using var bed = await InboxTestBed.StartAsync(database);
        await using (var db = await bed.Contexts.CreateDbContextAsync())
        {
            // Someone who knows Holbæk's party task id (not the key) makes up a tag for it.
            var holbaek = await db.PartyTasks.SingleAsync(t => t.PartyId == "holbaek");
            var forgedTag = ReplyTags.Tag(Encoding.UTF8.GetBytes("a key the attacker guessed, not the server's one"), holbaek.Id);
            var mail = new MimeMessage();
            mail.From.Add(MailboxAddress.Parse("someone@elsewhere.example"));
            mail.To.Add(MailboxAddress.Parse($"hoering+{forgedTag}@kkr.example"));
            mail.Subject = "Svar fra Holbæk";
            mail.MessageId = "forged-1@elsewhere.example";
            mail.Body = new TextPart("plain") { Text = "Holbæk Kommune trækker sin støtte." };
            bed.Imap.Deliver(mail);
        }

        Assert.Equal(InboxResult.Unmatched, Assert.Single((await bed.PollAsync()).Messages).Result);
        Assert.Equal("Sent", (await bed.PartyAsync("holbaek")).Status);
        var kept = Assert.Single(await bed.UnmatchedAsync());
        Assert.Contains("ikke kan bekræftes", kept.Reason, StringComparison.Ordinal);
        Assert.Null(kept.Suggested);
    }

    [Fact]
    public async Task Poll_DisguisedPdfAttachment_IsRefused_AndKeptVisibleWithReason()
    {
        await using var bed = await InboxTestBed.StartAsync(database);
        var program = Encoding.ASCII.GetBytes("MZ\x90\0 this is a program, not a PDF");
        var reply = bed.Reply("holbaek", "Vores svar er vedhæftet.", ("svar.pdf", program, "application/pdf"));
        bed.Imap.Deliver(reply);

        var outcome = Assert.Single((await bed.PollAsync()).Messages);
        Assert.Equal(InboxResult.Refused, outcome.Result);
        Assert.Equal("Sent", (await bed.PartyAsync("holbaek")).Status);
        await using (var db = await bed.Contexts.CreateDbContextAsync())
        {
            Assert.Equal(0, await db.Answers.CountAsync());
            Assert.Equal(0, await db.Attachments.CountAsync());
        }

        var kept = Assert.Single(await bed.UnmatchedAsync());
        Assert.Equal(InboxResult.Refused, kept.Status);
        Assert.Contains("svar.pdf", kept.Reason, StringComparison.Ordinal);
        Assert.Equal("holbaek", kept.Suggested?.PartyId);
        Assert.Equal(reply.MessageId, kept.MessageId);

        // Staff can still take the text as the answer, without the file.
        var refusedAgain = await bed.Client.PostJsonAsync($"/api/inbox/unmatched/{kept.Id}/assign", new { instanceId = bed.InstanceId, partyId = "holbaek" });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refusedAgain.StatusCode);
        Assert.Single(await bed.UnmatchedAsync());
        var assigned = await InboxTestBed.ReadAsync<AssignedMail>(await bed.Client.PostJsonAsync(
            $"/api/inbox/unmatched/{kept.Id}/assign", new { instanceId = bed.InstanceId, partyId = "holbaek", withoutAttachments = true }));
        Assert.Empty(assigned.Attachments);
        Assert.Equal("Answered", (await bed.PartyAsync("holbaek")).Status);
    }

    [Fact]
    public async Task Poll_ReplyToReceiptAfterAnswering_IsKeptForStaff_AndDoesNotReplaceTheAnswer()
    {
        await using var bed = await InboxTestBed.StartAsync(database);
        bed.Imap.Deliver(bed.Reply("holbaek", "Vores høringssvar er vedhæftet.", ("svar.pdf", Pdf, "application/pdf")));
        Assert.Equal(InboxResult.Answered, Assert.Single((await bed.PollAsync()).Messages).Result);
        await using var db = await bed.Contexts.CreateDbContextAsync();
        var receipt = await db.Outbox.SingleAsync(o => o.Template == "receipt");

        // "Thank you" in reply to the receipt: matched to Holbæk by the receipt's Message-ID.
        var thanks = new MimeMessage();
        thanks.From.Add(MailboxAddress.Parse(InboxTestBed.Contact("holbaek")));
        thanks.To.Add(MailboxAddress.Parse("kkr@kkr.example"));
        thanks.Subject = "SV: Kvittering";
        thanks.MessageId = "thanks-1@holbaek.example";
        thanks.InReplyTo = $"{receipt.Id:N}@kkr.example";
        thanks.Body = new TextPart("plain") { Text = "Tak for kvitteringen." };
        bed.Imap.Deliver(thanks);

        var outcome = Assert.Single((await bed.PollAsync()).Messages);
        Assert.Equal(InboxResult.Refused, outcome.Result);
        Assert.Equal("in-reply-to", outcome.MatchedBy);
        var answer = await db.Answers.SingleAsync();
        Assert.Equal("Vores høringssvar er vedhæftet.", answer.Text);
        Assert.Null(answer.ReplacedBy);
        var kept = Assert.Single(await bed.UnmatchedAsync());
        Assert.Equal("holbaek", kept.Suggested?.PartyId);
        Assert.Contains("allerede svaret", kept.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_ReplyToAnApprovalRequest_IsKeptForStaff_WhoAssignItWithTheDecisionTheMailStates()
    {
        await using var bed = await InboxTestBed.StartAsync(database, approval: true);
        var reply = bed.Reply("holbaek", "Kommunalbestyrelsen godkendte rammeaftalen på mødet den 24. oktober.", ("protokol.pdf", Pdf, "application/pdf"));
        bed.Imap.Deliver(reply);

        // A mail carries no decision that can be read safely: it waits for staff, with the reason.
        Assert.Equal(InboxResult.Refused, Assert.Single((await bed.PollAsync()).Messages).Result);
        var kept = Assert.Single(await bed.UnmatchedAsync());
        Assert.Equal("Vælg, om I godkender eller ej.", kept.Reason);
        Assert.Equal("Sent", (await bed.PartyAsync("holbaek")).Status);

        var assigned = await InboxTestBed.ReadAsync<AssignedMail>(await bed.Client.PostJsonAsync(
            $"/api/inbox/unmatched/{kept.Id}/assign", new { instanceId = bed.InstanceId, partyId = "holbaek", decision = "approved" }));
        Assert.Equal(["protokol.pdf"], assigned.Attachments);
        var holbaek = await bed.PartyAsync("holbaek");
        Assert.Equal(("Answered", "approved"), (holbaek.Status, holbaek.Decision));
    }

    [Fact]
    public async Task Poll_OutOfOfficeReplyToInvitation_IsNotCountedAsAnswer()
    {
        await using var bed = await InboxTestBed.StartAsync(database);
        var reply = bed.Reply("roskilde", "Jeg er på ferie til og med uge 42.");
        reply.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        bed.Imap.Deliver(reply);

        Assert.Equal(InboxResult.Automatic, Assert.Single((await bed.PollAsync()).Messages).Result);
        Assert.Equal("Sent", (await bed.PartyAsync("roskilde")).Status);
        var kept = Assert.Single(await bed.UnmatchedAsync());
        Assert.Equal(InboxResult.Automatic, kept.Status);
        Assert.Equal("roskilde", kept.Suggested?.PartyId);
    }

    [Fact]
    public async Task Poll_NoImapConfigured_ReadsNothing_AndInvitationsHaveNoAnswerReplyTo()
    {
        await using var bed = await InboxTestBed.StartAsync(database, withImap: false);
        bed.Imap.Deliver(bed.Reply("holbaek", "Et svar, som ingen læser."));

        var poll = await bed.PollAsync();

        Assert.False(poll.Configured);
        Assert.Empty(poll.Messages);
        Assert.Empty(bed.Invitations["holbaek"].ReplyTo);
        Assert.Equal("Sent", (await bed.PartyAsync("holbaek")).Status);
    }
}

[Trait("Database", "Sqlite")]
public sealed class InboxTestsOnSqlite() : InboxTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class InboxTestsOnPostgreSql() : InboxTests(TestDatabase.PostgreSql);
