using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Host.Answers;
using Workflows.Host.Audit;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
using Workflows.Host.Security;

namespace Workflows.Host.Api;

/// <summary>The answers of an instance's parties, and their files, for staff and API clients only.</summary>
public static class AnswersApi
{
    public static IEndpointRouteBuilder MapAnswersApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("instances/{instanceId:guid}/answers", ListAsync).WithTags("Hearings").WithName("ListAnswers");
        api.MapGet("answers/held", ListHeldAsync).WithTags("Hearings").WithName("ListHeldAnswers")
            .WithSummary("Answers the hearings could not take (closed, stopped with an error, ended): kept for staff to handle, not counted.");
        api.MapPost("answers/{answerId:guid}/handled", MarkHandledAsync).WithTags("Hearings").WithName("MarkHeldAnswerHandled")
            .WithSummary("Records that staff have dealt with an answer the hearing could not take; it leaves the list of answers to handle.");
        api.MapGet("attachments/{attachmentId:guid}", DownloadAsync).WithTags("Hearings").WithName("DownloadAttachment")
            .WithSummary("An answer's file, as received (stored outside the web root; never public).");
        return api;
    }

    public static async Task<Ok<List<AnswerDescription>>> ListAsync(Guid instanceId, IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var answers = await (
                from a in db.Answers.AsNoTracking()
                join t in db.PartyTasks.AsNoTracking() on a.PartyTaskId equals t.Id
                where a.InstanceId == instanceId
                orderby t.PartyName, a.ReceivedAt
                select new { a, t.PartyId, t.PartyName })
            .ToListAsync(cancellationToken);
        var ids = answers.Select(x => x.a.Id).ToList();
        var files = (await db.Attachments.AsNoTracking().Where(f => ids.Contains(f.AnswerId)).ToListAsync(cancellationToken)).ToLookup(f => f.AnswerId);
        return TypedResults.Ok(answers.Select(x => new AnswerDescription(
            x.a.Id, x.PartyId, x.PartyName, x.a.ReceivedAt, x.a.Channel, x.a.Text, x.a.NoComments, x.a.Late, x.a.SubmittedBy, x.a.ReplacedBy is null && x.a.HeldReason is null, x.a.HeldReason,
            files[x.a.Id].Select(f => new AttachmentDescription(f.Id, f.FileName, f.ContentType, f.Size, $"/api/attachments/{f.Id}")).ToList())).ToList());
    }

    public static async Task<Ok<List<HeldAnswerDescription>>> ListHeldAsync(IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var held = await (
                from a in db.Answers.AsNoTracking()
                join t in db.PartyTasks.AsNoTracking() on a.PartyTaskId equals t.Id
                join i in db.Instances.AsNoTracking() on a.InstanceId equals i.Id
                where a.HeldReason != null && a.HandledAt == null
                orderby a.ReceivedAt
                select new HeldAnswerDescription(a.Id, a.InstanceId, i.Name, t.PartyId, t.PartyName, a.ReceivedAt, a.Channel, a.HeldReason!, a.Text, a.NoComments, a.Decision))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(held);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> MarkHandledAsync(Guid answerId, HearingCommands commands, HttpContext http, CancellationToken cancellationToken) =>
        await commands.MarkHeldAnswerHandledAsync(answerId, http.User.Actor(), cancellationToken)
            ? TypedResults.NoContent()
            : ApiResults.NotFound($"There is no answer {answerId} waiting to be handled.");

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid attachmentId, IDbContextFactory<ProcesFlowDbContext> contexts, AttachmentStore attachments, HttpContext http, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var file = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(f => f.Id == attachmentId, cancellationToken);
        var path = file is null ? null : Path.Combine(attachments.Folder, file.StoragePath);
        if (file is null || !File.Exists(path))
        {
            return ApiResults.NotFound($"There is no attachment {attachmentId}.");
        }
        // Reading an answer's file is recorded: høringssvar are official documents.
        AuditTrail.Note(http, new AuditEntry("AttachmentDownloaded", $"attachmentId={file.Id}, answerId={file.AnswerId}", After: file.FileName));
        return TypedResults.File(File.OpenRead(path), file.ContentType, file.FileName);
    }
}

public sealed record AnswerDescription(
    Guid AnswerId, string PartyId, string PartyName, Instant ReceivedAt, string Channel, string? Text, bool NoComments, bool Late,
    string? SubmittedBy, bool IsCurrent, string? HeldReason, List<AttachmentDescription> Attachments);

/// <summary>An answer kept for staff because its hearing could not take it; <paramref name="Reason"/>: Closed, Faulted or Ended.</summary>
public sealed record HeldAnswerDescription(
    Guid AnswerId, Guid InstanceId, string Title, string PartyId, string PartyName, Instant ReceivedAt, string Channel, string Reason, string? Text, bool NoComments, string? Decision);

public sealed record AttachmentDescription(Guid AttachmentId, string FileName, string ContentType, long Size, string Url);
