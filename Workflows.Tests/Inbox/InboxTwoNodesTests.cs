using Microsoft.EntityFrameworkCore;
using MimeKit;
using Workflows.Host.Mail.Inbox;
using Workflows.Tests.Support;

namespace Workflows.Tests.Inbox;

/// <summary>
/// Two hosts on one PostgreSQL database asked to read the same answer inbox at the same moment: one reads while the
/// other waits, so every mail is handled by exactly one of them. (On SQLite there is one process per file, so two
/// readers of one database cannot happen there.)
/// </summary>
[Trait("Database", "PostgreSql")]
public sealed class InboxTwoNodesTestsOnPostgreSql
{
    private const int Questions = 20;

    [Fact]
    public async Task TwoNodesPollingAtOnce_EveryMailIsHandledByOneNode_AndStoredOnce()
    {
        await using var bed = await InboxTestBed.StartAsync(TestDatabase.PostgreSql);
        await using var second = ProcesFlowApiFactory.Reopen(TestDatabase.PostgreSql, bed.Factory.Folder);
        foreach (var (key, value) in bed.Factory.Settings)
        {
            second.Settings[key] = value;
        }
        using var secondClient = second.CreateApiClient();

        bed.Imap.Deliver(bed.Reply("holbaek", "Holbæk Kommune bakker op om rammeaftalen."));
        bed.Imap.Deliver(bed.Reply("roskilde", "Roskilde Kommune har ingen bemærkninger."));
        for (var i = 1; i <= Questions; i++)
        {
            // Mail nobody can match: each becomes one kept mail for staff.
            var question = new MimeMessage();
            question.From.Add(new MailboxAddress("Borger", $"borger{i}@example.dk"));
            question.To.Add(MailboxAddress.Parse(InboxTestBed.InboxAddress));
            question.Subject = $"Spørgsmål {i} om rammeaftalen";
            question.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.dk");
            question.Body = new TextPart("plain") { Text = $"Hvornår bliver rammeaftalen vedtaget? ({i})" };
            bed.Imap.Deliver(question);
        }

        var polls = await Task.WhenAll(
            bed.Client.PostAsync("/api/inbox/poll", null),
            secondClient.PostAsync("/api/inbox/poll", null));
        var results = await Task.WhenAll(polls.Select(InboxTestBed.ReadAsync<InboxPollResult>));

        // Handled once in all: by whichever node read first; the other found nothing new. Without the lock across
        // nodes both read the same new mails, and the second counts them again (as duplicates).
        var handled = results.SelectMany(r => r.Messages).ToList();
        Assert.Equal(Questions + 2, handled.Count);
        Assert.Equal(Questions + 2, handled.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(2, handled.Count(m => m.Result == InboxResult.Answered));
        Assert.Equal(Questions, handled.Count(m => m.Result == InboxResult.Unmatched));
        Assert.Contains(results, r => r.Messages.Count == 0);

        await using var db = await bed.Contexts.CreateDbContextAsync();
        Assert.Equal(2, await db.Answers.CountAsync(a => a.InstanceId == bed.InstanceId));
        Assert.Equal(Questions, await db.UnmatchedMails.CountAsync());
        Assert.Equal("Answered", (await bed.PartyAsync("holbaek")).Status);
        Assert.Equal("Answered", (await bed.PartyAsync("roskilde")).Status);
    }
}
