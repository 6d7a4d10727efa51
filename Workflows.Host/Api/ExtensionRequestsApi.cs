using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;

namespace Workflows.Host.Api;

/// <summary>
/// Requests for a longer deadline, made by parties on their answer page, decided by the process owner: a grant
/// gives that party (only) its new deadline, re-plans its reminders and tells it; a refusal is recorded.
/// </summary>
public static class ExtensionRequestsApi
{
    public static IEndpointRouteBuilder MapExtensionRequestsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("extension-requests").WithTags("Hearings");
        group.MapGet("", ListAsync).WithName("ListExtensionRequests");
        group.MapPost("{requestId:guid}/grant", GrantAsync).WithName("GrantExtension");
        group.MapPost("{requestId:guid}/refuse", RefuseAsync).WithName("RefuseExtension");
        return api;
    }

    public static async Task<Ok<List<ExtensionRequestDescription>>> ListAsync(
        string? status, Guid? instanceId, IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query =
            from r in db.ExtensionRequests.AsNoTracking()
            join t in db.PartyTasks.AsNoTracking() on r.PartyTaskId equals t.Id
            join i in db.Instances.AsNoTracking() on r.InstanceId equals i.Id
            select new { r, t.PartyId, t.PartyName, t.Deadline, i.Name };
        query = query.Where(x => x.r.Status == (status ?? ExtensionRequestStatus.Pending));
        if (instanceId is { } id)
        {
            query = query.Where(x => x.r.InstanceId == id);
        }
        var rows = await query.OrderBy(x => x.r.RequestedAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(x => new ExtensionRequestDescription(
            x.r.Id, x.r.InstanceId, x.Name, x.PartyId, x.PartyName, x.Deadline, x.r.RequestedAt, x.r.Reason,
            x.r.RequestedDeadline is null ? null : JsonNode.Parse(x.r.RequestedDeadline)?.AsObject(), x.r.Status, x.r.DecidedBy, x.r.DecidedAt)).ToList());
    }

    public static async Task<Results<Ok<ExtensionDecision>, ProblemHttpResult, ValidationProblem>> GrantAsync(
        Guid requestId, GrantExtensionRequest? request, HearingCommands commands, IDbContextFactory<ProcesFlowDbContext> contexts, IClock clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (row, problem) = await FindPendingAsync(db, requestId, cancellationToken);
        if (row is null || problem is not null)
        {
            return problem!;
        }
        var deadline = request?.Deadline ?? (row.RequestedDeadline is null ? null : JsonNode.Parse(row.RequestedDeadline)?.AsObject());
        if (ApiResults.InvalidDeadline(deadline) is { } invalid)
        {
            return invalid;
        }
        var task = await db.PartyTasks.AsNoTracking().FirstAsync(t => t.Id == row.PartyTaskId, cancellationToken);
        var actor = http.User.Actor();
        switch (await commands.ChangeDeadlineAsync(task.InstanceId, task.ActivityId, task.Id, deadline!, row.Reason, actor, cancellationToken))
        {
            case HearingCommandOutcome.Done:
                break;
            case HearingCommandOutcome.NoSuchInstance:
                return ApiResults.NotFound($"There is no instance {task.InstanceId}.");
            default:
                return ApiResults.Conflict("The hearing has closed; the deadline can no longer be changed.");
        }
        row.Status = ExtensionRequestStatus.Granted;
        row.DecidedBy = actor;
        row.DecidedAt = clock.GetCurrentInstant();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new ExtensionDecision(row.Id, row.Status));
    }

    public static async Task<Results<Ok<ExtensionDecision>, ProblemHttpResult>> RefuseAsync(
        Guid requestId, HearingCommands commands, IDbContextFactory<ProcesFlowDbContext> contexts, IClock clock, HttpContext http, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (row, problem) = await FindPendingAsync(db, requestId, cancellationToken);
        if (row is null || problem is not null)
        {
            return problem!;
        }
        row.Status = ExtensionRequestStatus.Refused;
        row.DecidedBy = http.User.Actor();
        row.DecidedAt = clock.GetCurrentInstant();
        await db.SaveChangesAsync(cancellationToken);

        // The party is told its deadline stands. A hearing that has closed since (or one started before hearings
        // could tell) has nobody left to tell: the refusal stands all the same.
        var task = await db.PartyTasks.AsNoTracking().FirstAsync(t => t.Id == row.PartyTaskId, cancellationToken);
        await commands.TellExtensionRefusedAsync(task, row.Reason, row.DecidedBy, cancellationToken);
        return TypedResults.Ok(new ExtensionDecision(row.Id, row.Status));
    }

    private static async Task<(ExtensionRequestRow? Row, ProblemHttpResult? Problem)> FindPendingAsync(
        ProcesFlowDbContext db, Guid requestId, CancellationToken cancellationToken)
    {
        var row = await db.ExtensionRequests.FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        return row switch
        {
            null => (null, ApiResults.NotFound($"There is no extension request {requestId}.")),
            { Status: not ExtensionRequestStatus.Pending } => (row, ApiResults.Conflict($"The request has already been {row.Status.ToLowerInvariant()}.")),
            _ => (row, null),
        };
    }
}


public sealed record ExtensionRequestDescription(
    Guid RequestId, Guid InstanceId, string Title, string PartyId, string PartyName, Instant CurrentDeadline, Instant RequestedAt,
    string Reason, JsonObject? RequestedDeadline, string Status, string? DecidedBy, Instant? DecidedAt);

public sealed record GrantExtensionRequest(JsonObject? Deadline);

public sealed record ExtensionDecision(Guid RequestId, string Status);
