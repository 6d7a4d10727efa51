using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Staff;

/// <summary>Everything the page of one party in one hearing shows, loaded by its handler.</summary>
public sealed record HearingPartyView(
    Guid InstanceId,
    string HearingTitle,
    bool IsOpen,
    Instant Now,
    PartyTaskRow Task,
    IReadOnlyList<string> Contacts,
    MailBounce? Bounce,
    IReadOnlyList<PartyAnswerView> Answers,
    IReadOnlyList<ExtensionRequestRow> ExtensionRequests,
    IReadOnlyList<PartyMail> Mails,
    IReadOnlyList<PartyEvent> History)
{
    /// <summary>The party's page data; null when the party is not in the hearing (or the hearing does not exist).</summary>
    public static async Task<HearingPartyView?> LoadAsync(
        Guid instanceId, string partyId, IDbContextFactory<ProcesFlowDbContext> contexts, HearingReader reader, IClock clock, CancellationToken cancellationToken)
    {
        var task = await reader.FindTaskAsync(instanceId, partyId, cancellationToken);
        if (task is null)
        {
            return null;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => new { i.Name, i.Status }).FirstOrDefaultAsync(cancellationToken);
        if (instance is null)
        {
            return null;
        }
        var answers = await db.Answers.AsNoTracking().Where(a => a.PartyTaskId == task.Id).OrderByDescending(a => a.ReceivedAt).ToListAsync(cancellationToken);
        var answerIds = answers.Select(a => a.Id).ToList();
        var files = (await db.Attachments.AsNoTracking().Where(f => answerIds.Contains(f.AnswerId)).ToListAsync(cancellationToken)).ToLookup(f => f.AnswerId);
        var requests = await db.ExtensionRequests.AsNoTracking().Where(r => r.PartyTaskId == task.Id).OrderBy(r => r.RequestedAt).ToListAsync(cancellationToken);
        var mails = (await db.Outbox.AsNoTracking().Where(o => o.PartyTaskId == task.Id).OrderBy(o => o.QueuedAt)
                .Select(o => new { o.Template, o.Subject, o.To, o.Status, o.QueuedAt, o.SentAt }).ToListAsync(cancellationToken))
            .Select(o => new PartyMail(o.Template, o.Subject, JsonSerializer.Deserialize<List<string>>(o.To) ?? [], o.Status, o.QueuedAt, o.SentAt)).ToList();
        var taskId = task.Id.ToString();
        // Lines about this party: those whose data names its task, and those that name it in words (an overdue notice).
        var journal = await db.Journal.AsNoTracking()
            .Where(j => j.InstanceId == instanceId && (j.Message.Contains(task.PartyName) || (j.Data != null && j.Data.Contains(taskId))))
            .OrderBy(j => j.Id).ToListAsync(cancellationToken);
        var bounce = (await reader.BouncesAsync(instanceId, [task.ActivityId], cancellationToken)).GetValueOrDefault(task.Id);
        var answerViews = answers.Select(a => new PartyAnswerView(a, files[a.Id].Select(f => new PartyFile(f.Id, f.FileName, f.Size)).ToList())).ToList();
        return new HearingPartyView(
            instanceId, instance.Name, instance.Status is nameof(WorkflowStatus.Running) or nameof(WorkflowStatus.Suspended), clock.GetCurrentInstant(), task,
            JsonSerializer.Deserialize<List<string>>(task.Contacts) ?? [], bounce, answerViews, requests, mails,
            PartyHistory.Of(task, answers, requests, mails, journal));
    }
}

public sealed record PartyAnswerView(AnswerRow Answer, IReadOnlyList<PartyFile> Files);

public sealed record PartyFile(Guid Id, string FileName, long Size);

/// <summary>A mail to the party, from the outbox.</summary>
public sealed record PartyMail(string? Template, string Subject, IReadOnlyList<string> To, string Status, Instant QueuedAt, Instant? SentAt)
{
    /// <summary>What kind of mail it is, in Danish.</summary>
    public string Kind => Template switch
    {
        "invitation" => "Invitation",
        "reminder" => "Påmindelse",
        "rykker" => "Rykker",
        "receipt" => "Kvittering",
        "deadline-changed" => "Ændret frist",
        "extension-refused" => "Fristforlængelse afslået",
        "approval-request" => "Anmodning om beslutning",
        "approval-reminder" => "Påmindelse",
        "approval-receipt" => "Kvittering",
        _ => Subject,
    };
}

/// <summary>One thing that happened to a party, as a Danish sentence.</summary>
public sealed record PartyEvent(Instant At, string Text);

/// <summary>
/// A party's history in plain Danish, from every place it is kept: the mails sent to it (invitation, reminders,
/// receipts …), its answers, its requests for more time and how they were decided, and the journal's notes about it
/// (a changed deadline, a bounced mail, a missed deadline). The journal's technical lines (a signal received, an
/// activity resumed, a mail queued) are left out: the mails and answers say the same in words.
/// </summary>
public static class PartyHistory
{
    public static IReadOnlyList<PartyEvent> Of(
        PartyTaskRow task, IReadOnlyList<AnswerRow> answers, IReadOnlyList<ExtensionRequestRow> requests, IReadOnlyList<PartyMail> mails,
        IReadOnlyList<JournalRow> journal)
    {
        var events = new List<PartyEvent>();
        foreach (var answer in answers)
        {
            events.Add(new PartyEvent(answer.ReceivedAt, AnswerSentence(answer)));
        }
        foreach (var request in requests)
        {
            var wanted = RequestedDeadline(request.RequestedDeadline);
            events.Add(new PartyEvent(request.RequestedAt,
                $"Anmodede om fristforlængelse{(wanted is null ? " uden at nævne en ny frist" : $" til {wanted}")}. Begrundelse: {request.Reason}"));
            if (request.DecidedAt is { } decided)
            {
                var by = request.DecidedBy is { } who ? $" af {who}" : "";
                events.Add(new PartyEvent(decided,
                    request.Status == ExtensionRequestStatus.Granted ? $"Anmodningen om fristforlængelse blev imødekommet{by}." : $"Anmodningen om fristforlængelse blev afslået{by}."));
            }
        }
        foreach (var line in journal)
        {
            if (JournalSentence(task, line) is { } text)
            {
                events.Add(new PartyEvent(line.At, text));
            }
        }
        // A mail is dated when the process sent it (queued it), and read last: at the same instant it follows what
        // caused it (the receipt after the answer, the notice after the deadline change); the sort is stable.
        foreach (var mail in mails)
        {
            events.Add(new PartyEvent(mail.QueuedAt, MailSentence(mail)));
        }
        return events.OrderBy(e => e.At).ToList();
    }

    private static string MailSentence(PartyMail mail)
    {
        var to = string.Join(", ", mail.To);
        var what = mail.Template switch
        {
            "invitation" => $"Invitation sendt til {to}",
            "reminder" or "approval-reminder" => $"Påmindelse sendt til {to}",
            "rykker" => $"Rykker sendt til {to} (efter fristen)",
            "receipt" or "approval-receipt" => $"Kvittering for svaret sendt til {to}",
            "deadline-changed" => $"Besked om ny frist sendt til {to}",
            "extension-refused" => $"Besked om afslået fristforlængelse sendt til {to}",
            "approval-request" => $"Anmodning om beslutning sendt til {to}",
            _ => $"Mail sendt til {to}: {mail.Subject}",
        };
        return mail.Status switch
        {
            OutboxStatus.Sent => what + ".",
            OutboxStatus.Failed => $"{what}, men den kunne ikke sendes.",
            _ => $"{what} (venter i udbakken).",
        };
    }

    private static string AnswerSentence(AnswerRow answer)
    {
        var what = answer.Decision switch
        {
            "approved" => "Godkendelse",
            "rejected" => "Afvisning",
            _ => answer.NoComments ? "Svar uden bemærkninger" : "Høringssvar",
        };
        var how = answer.Channel switch
        {
            "web" => "modtaget via svarsiden",
            "email" => "modtaget via e-mail",
            "staff" => answer.SubmittedBy is { } by ? $"registreret af sekretariatet ({by})" : "registreret af sekretariatet",
            _ => $"modtaget ({answer.Channel})",
        };
        var from = answer.Channel is "web" or "email" && !string.IsNullOrWhiteSpace(answer.SubmittedBy) ? $" fra {answer.SubmittedBy.Trim()}" : "";
        var late = answer.Late ? " for sent" : "";
        var kept = answer.HeldReason is { } held ? $" Svaret er {HearingPartyRoutes.HeldText(held)}." : answer.ReplacedBy is not null ? " Det er siden erstattet af et nyere svar." : "";
        return $"{what} {how}{from}{late}.{kept}";
    }

    /// <summary>
    /// A journal note about the party in words a caseworker uses, or null for a line the other sources already tell
    /// (answers, reminders, refused requests) and for the engine's technical lines.
    /// </summary>
    private static string? JournalSentence(PartyTaskRow task, JournalRow line)
    {
        // Only the party's own round speaks of it: a later step's note may list it among others (a decision's basis).
        if (line.Kind != nameof(JournalKind.ActivityNote) || line.ActivityId != task.ActivityId)
        {
            return null;
        }
        var data = line.Data is null ? null : JsonNode.Parse(line.Data) as JsonObject;
        if (data is null)
        {
            // A note without a stimulus names the party in words: a missed deadline, a round closed.
            return line.Message;
        }
        // The stimulus the note is about, by the fields its typed record has (HearingStimuli.cs).
        if (data.ContainsKey("answer"))
        {
            // The answer itself is listed from the answers; a note here is only news when the hearing refused it.
            return line.Message.StartsWith("Svar fra ", StringComparison.Ordinal) ? line.Message : null;
        }
        if (data.ContainsKey("address") && HearingStimulus.Read(MailBounced.Name, data) is MailBounced bounced)
        {
            return bounced.PartyTaskId == task.Id ? $"Mail til {bounced.Address} afvist af modtagerens server: {bounced.Reason}" : null;
        }
        if (data.ContainsKey("to") && HearingStimulus.Read(InvitationResent.Name, data) is InvitationResent resent)
        {
            // "Invitationen til … er sendt igen til … (før: …) af …": the core's sentence keeps the old address too.
            return resent.PartyTaskId == task.Id ? line.Message : null;
        }
        if (data.ContainsKey("deadline") && HearingStimulus.Read(DeadlineChanged.Name, data) is DeadlineChanged changed)
        {
            // One party's deadline, or everyone's: the core's sentence names the old and the new deadline.
            return changed.PartyTaskId is null || changed.PartyTaskId == task.Id ? line.Message : null;
        }
        // A reminder or a refused request: the mail it caused and the request's decision are listed already.
        return null;
    }

    /// <summary>The deadline a party asked for, in Danish; null when it named none that can be read.</summary>
    internal static string? RequestedDeadline(string? requested)
    {
        if (requested is null || JsonNode.Parse(requested) is not JsonObject json)
        {
            return null;
        }
        var errors = new List<(string, string)>();
        return DeadlineJson.Parse(json, errors) is DeadlineSpec.At at && errors.Count == 0
            ? at.TimeOfDay is { } time ? DanishText.DateTime(at.Date + time) : DanishText.Date(at.Date)
            : null;
    }
}
