using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Host.Answers;
using Workflows.Host.Hearings;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Persistence;
using Workflows.Host.Security;

namespace Workflows.Host.Api;

/// <summary>
/// The answer inbox for staff: mails that could not be matched to a party (or were refused, or written by a machine)
/// are listed here with the reason, can be read as the original <c>.eml</c>, and can be assigned to a party, which
/// stores them as that party's answer. <c>POST inbox/poll</c> reads the inbox now instead of waiting for the next run.
/// </summary>
public static class InboxApi
{
    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("inbox").WithTags("Inbox");
        group.MapGet("unmatched", ListUnmatchedAsync).WithName("ListUnmatchedMail")
            .WithSummary("Mails kept for staff: not matched, refused or automatic (assigned ones with ?assigned=true).");
        group.MapGet("unmatched/{mailId:guid}/message", GetMessageAsync).WithName("GetUnmatchedMailMessage")
            .WithSummary("The kept mail as it arrived (message/rfc822).");
        group.MapPost("unmatched/{mailId:guid}/assign", AssignAsync).WithName("AssignUnmatchedMail")
            .WithSummary("Stores a kept mail as the answer of a party in a hearing.");
        group.MapPost("poll", PollAsync).WithName("PollInbox").WithSummary("Reads the answer inbox now.");
        return api;
    }

    public static async Task<Ok<List<UnmatchedMailDescription>>> ListUnmatchedAsync(
        bool? assigned, IDbContextFactory<ProcesFlowDbContext> contexts, AttachmentStore attachments, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.UnmatchedMails.AsNoTracking();
        query = assigned == true ? query.Where(m => m.AssignedToPartyTaskId != null) : query.Where(m => m.AssignedToPartyTaskId == null);
        var rows = await query.OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id).Take(500).ToListAsync(cancellationToken);

        var notes = new Dictionary<Guid, KeptMailNote?>();
        foreach (var row in rows)
        {
            notes[row.Id] = await KeptMailFiles.ReadNoteAsync(KeptMailFiles.FullPath(attachments, row.StoragePath), cancellationToken);
        }
        var taskIds = notes.Values.Select(n => n?.PartyTaskId).Concat(rows.Select(r => r.AssignedToPartyTaskId)).OfType<Guid>().Distinct().ToList();
        var tasks = await db.PartyTasks.AsNoTracking().Where(t => taskIds.Contains(t.Id))
            .Select(t => new { t.Id, t.InstanceId, t.PartyId, t.PartyName }).ToDictionaryAsync(t => t.Id, cancellationToken);

        return TypedResults.Ok(rows.Select(row =>
        {
            var note = notes[row.Id];
            var suggested = note?.PartyTaskId is { } id && tasks.TryGetValue(id, out var task) ? task : null;
            var assignedTo = row.AssignedToPartyTaskId is { } a && tasks.TryGetValue(a, out var assignedTask) ? assignedTask : null;
            return new UnmatchedMailDescription(
                row.Id, row.MessageId, row.From, row.Subject, row.ReceivedAt,
                note?.Result ?? InboxResult.Unmatched, note?.Reason,
                suggested is null ? null : new PartyReference(suggested.Id, suggested.InstanceId, suggested.PartyId, suggested.PartyName),
                note?.Preview, note?.Attachments ?? [],
                assignedTo is null ? null : new PartyReference(assignedTo.Id, assignedTo.InstanceId, assignedTo.PartyId, assignedTo.PartyName),
                row.AssignedAt, row.AssignedBy);
        }).ToList());
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetMessageAsync(
        Guid mailId, IDbContextFactory<ProcesFlowDbContext> contexts, AttachmentStore attachments, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.UnmatchedMails.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mailId, cancellationToken);
        if (row is null)
        {
            return ApiResults.NotFound($"There is no kept mail {mailId}.");
        }
        var path = KeptMailFiles.FullPath(attachments, row.StoragePath);
        if (!File.Exists(path))
        {
            return ApiResults.NotFound($"The stored message of mail {mailId} is missing.");
        }
        return TypedResults.Stream(File.OpenRead(path), "message/rfc822", $"{row.Id:N}.eml");
    }

    public static async Task<Results<Ok<AssignedMail>, ProblemHttpResult, ValidationProblem>> AssignAsync(
        Guid mailId, AssignMailRequest? request, IDbContextFactory<ProcesFlowDbContext> contexts, AttachmentStore attachments, InboxProcessor processor,
        IClock clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (request?.InstanceId is not { } instanceId)
        {
            return ApiResults.Invalid("$.instanceId", "is required");
        }
        if (string.IsNullOrWhiteSpace(request.PartyId))
        {
            return ApiResults.Invalid("$.partyId", "is required");
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.UnmatchedMails.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mailId, cancellationToken);
        if (row is null)
        {
            return ApiResults.NotFound($"There is no kept mail {mailId}.");
        }
        if (row.AssignedToPartyTaskId is not null)
        {
            return ApiResults.Conflict($"The mail was already assigned by {row.AssignedBy}.");
        }
        // A party can be in several hearings of one instance: the newest one is meant.
        var task = await db.PartyTasks.AsNoTracking()
            .Where(t => t.InstanceId == instanceId && t.PartyId == request.PartyId)
            .OrderByDescending(t => t.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (task is null)
        {
            return ApiResults.NotFound($"Instance {instanceId} has no hearing task for '{request.PartyId}'.");
        }

        // Claimed first, so two people assigning the same mail at once cannot both store it.
        var actor = http.User.Actor();
        var claimed = await db.UnmatchedMails.Where(m => m.Id == mailId && m.AssignedToPartyTaskId == null)
            .ExecuteUpdateAsync(set => set
                .SetProperty(m => m.AssignedToPartyTaskId, task.Id)
                .SetProperty(m => m.AssignedAt, clock.GetCurrentInstant())
                .SetProperty(m => m.AssignedBy, actor), cancellationToken);
        if (claimed == 0)
        {
            return ApiResults.Conflict("The mail was assigned by someone else a moment ago.");
        }

        var assigned = false;
        try
        {
            var path = KeptMailFiles.FullPath(attachments, row.StoragePath);
            if (!File.Exists(path))
            {
                return ApiResults.Conflict($"The stored message of mail {mailId} is missing.");
            }
            var mail = InboxMessage.Parse(await File.ReadAllBytesAsync(path, cancellationToken));
            var outcome = await processor.SubmitAsync(task.Id, mail, withFiles: request.WithoutAttachments != true, cancellationToken, request.Decision);
            switch (outcome)
            {
                case AnswerOutcome.Accepted accepted:
                    assigned = true;
                    return TypedResults.Ok(new AssignedMail(mailId, task.Id, task.InstanceId, task.PartyId, accepted.AnswerId, accepted.Late, accepted.FileNames));
                case AnswerOutcome.Held:
                    // Stored, but among the answers to handle: assigning it again would store it twice.
                    assigned = true;
                    return ApiResults.Conflict("The hearing could not take the answer (it has closed or stopped); it is kept among the answers to handle.");
                case AnswerOutcome.Refused refused:
                    return TypedResults.Problem(refused.Reason, statusCode: AnswerPages.StatusOf(refused), title: "The answer was refused.");
                default:
                    return ApiResults.Conflict("The mail is already stored as an answer.");
            }
        }
        finally
        {
            if (!assigned)
            {
                await db.UnmatchedMails.Where(m => m.Id == mailId).ExecuteUpdateAsync(set => set
                    .SetProperty(m => m.AssignedToPartyTaskId, (Guid?)null)
                    .SetProperty(m => m.AssignedAt, (Instant?)null)
                    .SetProperty(m => m.AssignedBy, (string?)null), CancellationToken.None);
            }
        }
    }

    public static async Task<Results<Ok<InboxPollResult>, ProblemHttpResult>> PollAsync(InboxReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await reader.PollAsync(cancellationToken));
        }
        catch (Exception exception) when (exception is SocketException or IOException or TimeoutException or ImapProtocolException
            or ImapCommandException or AuthenticationException or SslHandshakeException or ServiceNotConnectedException or FolderNotFoundException)
        {
            return TypedResults.Problem($"The answer inbox could not be read: {exception.Message}", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Inbox unavailable.");
        }
    }
}

/// <param name="InstanceId">The hearing's instance.</param>
/// <param name="PartyId">The party whose answer the mail is, e.g. <c>holbaek</c>.</param>
/// <param name="WithoutAttachments">Store only the text, e.g. when an attachment was refused.</param>
/// <param name="Decision"><c>approved</c> or <c>rejected</c>, when the mail answers an approval round (a mail carries none by itself).</param>
public sealed record AssignMailRequest(Guid? InstanceId, string? PartyId, bool? WithoutAttachments, string? Decision = null);

public sealed record AssignedMail(Guid MailId, Guid PartyTaskId, Guid InstanceId, string PartyId, Guid AnswerId, bool Late, IReadOnlyList<string> Attachments);

public sealed record PartyReference(Guid PartyTaskId, Guid InstanceId, string PartyId, string PartyName);

/// <summary>A mail kept for staff. <c>Status</c> says why it is here: <c>Unmatched</c>, <c>Refused</c> (matched, but not
/// accepted as an answer, see <c>Reason</c>) or <c>Automatic</c> (an out-of-office reply or a bounce). <c>Suggested</c> is
/// the party it was matched to, if any; <c>Preview</c> the start of the reply text.</summary>
public sealed record UnmatchedMailDescription(
    Guid Id, string MessageId, string From, string Subject, Instant ReceivedAt, InboxResult Status, string? Reason, PartyReference? Suggested,
    string? Preview, IReadOnlyList<string> Attachments, PartyReference? AssignedTo, Instant? AssignedAt, string? AssignedBy);
