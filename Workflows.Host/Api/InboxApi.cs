using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Host.Answers;
using Workflows.Host.Audit;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Persistence;
using Workflows.Host.Security;

namespace Workflows.Host.Api;

/// <summary>
/// The answer inbox for staff: mails that could not be matched to a party (or were refused, or written by a machine)
/// are listed here with the reason, can be read as the original <c>.eml</c>, and can be assigned to a party, which
/// stores them as that party's answer, or dismissed with a reason (<see cref="KeptMailCommands"/>, which the
/// unmatched-mail page shares). <c>POST inbox/poll</c> reads the inbox now instead of waiting for the next run.
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
        group.MapPost("unmatched/{mailId:guid}/dismiss", DismissAsync).WithName("DismissUnmatchedMail")
            .WithSummary("Takes a kept mail off the list as not an answer, with the reason (it stays kept).");
        group.MapPost("poll", PollAsync).WithName("PollInbox").WithSummary("Reads the answer inbox now.");
        return api;
    }

    public static async Task<Ok<List<UnmatchedMailDescription>>> ListUnmatchedAsync(bool? assigned, KeptMailCommands kept, CancellationToken cancellationToken) =>
        TypedResults.Ok((await kept.ListAsync(assigned == true, cancellationToken)).Select(m => new UnmatchedMailDescription(
            m.Id, m.MessageId, m.From, m.Subject, m.ReceivedAt, m.Status, m.Reason, m.Suggested, m.Preview, m.Attachments, m.AssignedTo, m.AssignedAt, m.AssignedBy)).ToList());

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
        Guid mailId, AssignMailRequest? request, KeptMailCommands kept, HttpContext http, CancellationToken cancellationToken)
    {
        if (request?.InstanceId is not { } instanceId)
        {
            return ApiResults.Invalid("$.instanceId", "is required");
        }
        if (string.IsNullOrWhiteSpace(request.PartyId))
        {
            return ApiResults.Invalid("$.partyId", "is required");
        }
        switch (await kept.AssignAsync(mailId, instanceId, request.PartyId, request.WithoutAttachments == true, request.Decision, http.User.Actor(), cancellationToken))
        {
            case KeptMailOutcome.Assigned assigned:
                AuditTrail.Note(http, assigned.Audit);
                return TypedResults.Ok(assigned.Mail);
            case KeptMailOutcome.Refused refused:
                return TypedResults.Problem(refused.Answer.Reason, statusCode: AnswerPages.StatusOf(refused.Answer), title: "The answer was refused.");
            case KeptMailOutcome.NotFound notFound:
                return ApiResults.NotFound(notFound.Reason);
            case KeptMailOutcome.Held held:
                return ApiResults.Conflict(held.Reason);
            case KeptMailOutcome.Conflict conflict:
                return ApiResults.Conflict(conflict.Reason);
            case var other:
                throw new InvalidOperationException($"Unexpected outcome {other}.");
        }
    }

    public static async Task<Results<Ok, ProblemHttpResult, ValidationProblem>> DismissAsync(
        Guid mailId, DismissMailRequest? request, KeptMailCommands kept, HttpContext http, CancellationToken cancellationToken)
    {
        switch (await kept.DismissAsync(mailId, request?.Reason, http.User.Actor(), cancellationToken))
        {
            case KeptMailOutcome.Dismissed dismissed:
                AuditTrail.Note(http, dismissed.Audit);
                return TypedResults.Ok();
            case KeptMailOutcome.Invalid invalid:
                return ApiResults.Invalid("$.reason", invalid.Reason);
            case KeptMailOutcome.NotFound notFound:
                return ApiResults.NotFound(notFound.Reason);
            case KeptMailOutcome.Conflict conflict:
                return ApiResults.Conflict(conflict.Reason);
            case var other:
                throw new InvalidOperationException($"Unexpected outcome {other}.");
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

/// <param name="Reason">Why it is not an answer (required), e.g. "Nyhedsbrev".</param>
public sealed record DismissMailRequest(string? Reason);

/// <summary>A mail kept for staff. <c>Status</c> says why it is here: <c>Unmatched</c>, <c>Refused</c> (matched, but not
/// accepted as an answer, see <c>Reason</c>) or <c>Automatic</c> (an out-of-office reply or a bounce). <c>Suggested</c> is
/// the party it was matched to, if any; <c>Preview</c> the start of the reply text.</summary>
public sealed record UnmatchedMailDescription(
    Guid Id, string MessageId, string From, string Subject, Instant ReceivedAt, InboxResult Status, string? Reason, PartyReference? Suggested,
    string? Preview, IReadOnlyList<string> Attachments, PartyReference? AssignedTo, Instant? AssignedAt, string? AssignedBy);
