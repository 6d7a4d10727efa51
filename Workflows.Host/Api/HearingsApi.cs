using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Answers;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;

namespace Workflows.Host.Api;

/// <summary>
/// What a secretariat does with a running hearing: see what is outstanding, register an answer received some
/// other way, change a party's or the whole hearing's deadline, close it early.
/// </summary>
public static class HearingsApi
{
    private static readonly string[] Waiting = [nameof(PartyTaskStatus.Sent), nameof(PartyTaskStatus.Reminded), nameof(PartyTaskStatus.ExtensionGranted), nameof(PartyTaskStatus.Overdue)];
    private static readonly string[] Live = [nameof(WorkflowStatus.Running), nameof(WorkflowStatus.Suspended)];

    public static IEndpointRouteBuilder MapHearingsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("outstanding", OutstandingAsync).WithTags("Hearings").WithName("ListOutstanding")
            .WithSummary("Every party task still waiting for an answer: in a running hearing, or overdue in a closed one.");
        var instance = api.MapGroup("instances/{instanceId:guid}").WithTags("Hearings");
        instance.MapPost("parties/{partyId}/answer", RegisterAnswerAsync).WithName("RegisterAnswer")
            .WithSummary("Registers an answer received outside the answer page (on paper, by phone).");
        instance.MapPost("parties/{partyId}/deadline", ChangePartyDeadlineAsync).WithName("ChangePartyDeadline");
        instance.MapPost("hearings/{activityId}/deadline", ChangeHearingDeadlineAsync).WithName("ChangeHearingDeadline");
        instance.MapPost("hearings/{activityId}/close", CloseAsync).WithName("CloseHearing");
        return api;
    }

    public static async Task<Results<Ok<List<OutstandingTask>>, ValidationProblem>> OutstandingAsync(
        string? region, PartyDirectory directory, IClock clock, IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        HashSet<string>? inRegion = null;
        if (region is not null)
        {
            if (!DanishRegions.TryParse(region, out var parsed))
            {
                return ApiResults.Invalid("region", $"must be one of {string.Join(", ", DanishRegions.Slugs)}");
            }
            // A region's kommuner, its regionsråd and every other party that belongs to the region.
            inRegion = directory.All.Where(p => p.Region == parsed).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        }
        var overdue = nameof(PartyTaskStatus.Overdue);
        var cancelled = nameof(WorkflowStatus.Cancelled);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from t in db.PartyTasks.AsNoTracking()
                join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                // Waiting in a running hearing; or overdue in one that has closed (the debt stays until it is paid or the case is cancelled).
                where t.AnsweredAt == null
                    && ((Waiting.Contains(t.Status) && Live.Contains(i.Status)) || (t.Status == overdue && i.Status != cancelled))
                orderby t.Deadline, i.Name, t.PartyName
                select new { t.InstanceId, i.Name, t.PartyId, t.PartyName, t.Deadline, t.Status })
            .ToListAsync(cancellationToken);
        var now = clock.GetCurrentInstant();
        return TypedResults.Ok(rows
            .Where(r => inRegion is null || inRegion.Contains(r.PartyId))
            .Select(r => new OutstandingTask(r.InstanceId, r.Name, r.PartyId, r.PartyName, r.Deadline, r.Status == overdue || r.Deadline < now))
            .ToList());
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> RegisterAnswerAsync(
        Guid instanceId, string partyId, RegisterAnswerRequest? request, AnswerService answers, IDbContextFactory<ProcesFlowDbContext> contexts,
        HttpContext http, CancellationToken cancellationToken)
    {
        var task = await FindTaskAsync(contexts, instanceId, partyId, cancellationToken);
        if (task is null)
        {
            return ApiResults.NotFound($"Instance {instanceId} has no hearing task for '{partyId}'.");
        }
        var outcome = await answers.SubmitAsync(task.Id, new AnswerSubmission(request?.Text, request?.NoComments ?? false, [], "staff", http.User.Actor(), Decision: request?.Decision), cancellationToken);
        return outcome switch
        {
            AnswerOutcome.Accepted => TypedResults.Ok(new SignalResult(nameof(SignalOutcome.Resumed))),
            AnswerOutcome.Refused { StatusCode: StatusCodes.Status400BadRequest } refused => ApiResults.Invalid($"$.{refused.Field ?? "text"}", refused.Reason),
            AnswerOutcome.Refused refused => TypedResults.Problem(refused.Reason, statusCode: refused.StatusCode),
            _ => ApiResults.Conflict("The answer was already registered."),
        };
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> ChangePartyDeadlineAsync(
        Guid instanceId, string partyId, ChangeDeadlineRequest? request, WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (ApiResults.InvalidDeadline(request?.Deadline) is { } invalid)
        {
            return invalid;
        }
        var task = await FindTaskAsync(contexts, instanceId, partyId, cancellationToken);
        if (task is null)
        {
            return ApiResults.NotFound($"Instance {instanceId} has no hearing task for '{partyId}'.");
        }
        var payload = new JsonObject { ["partyTaskId"] = task.Id.ToString(), ["deadline"] = request!.Deadline!.DeepClone(), ["actor"] = http.User.Actor(), ["reason"] = request.Reason };
        return await SignalAsync(runtime, instanceId, Hearing.Signal(task.ActivityId, "deadline"), payload, http, cancellationToken);
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> ChangeHearingDeadlineAsync(
        Guid instanceId, string activityId, ChangeDeadlineRequest? request, WorkflowRuntime runtime, HttpContext http, CancellationToken cancellationToken)
    {
        if (ApiResults.InvalidDeadline(request?.Deadline) is { } invalid)
        {
            return invalid;
        }
        var payload = new JsonObject { ["deadline"] = request!.Deadline!.DeepClone(), ["actor"] = http.User.Actor(), ["reason"] = request.Reason };
        return await SignalAsync(runtime, instanceId, Hearing.Signal(activityId, "deadline"), payload, http, cancellationToken);
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> CloseAsync(
        Guid instanceId, string activityId, WorkflowRuntime runtime, HttpContext http, CancellationToken cancellationToken) =>
        await SignalAsync(runtime, instanceId, Hearing.Signal(activityId, "close"), new JsonObject { ["actor"] = http.User.Actor() }, http, cancellationToken);

    /// <summary>Delivers a signal only if the hearing is waiting for it; a parked signal would be a silent drop here.</summary>
    private static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> SignalAsync(
        WorkflowRuntime runtime, Guid instanceId, string signal, JsonObject payload, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await runtime.SignalIfWaitingAsync(instanceId, signal, payload, http.User.Actor(), cancellationToken);
            return outcome switch
            {
                SignalOutcome.Resumed => TypedResults.Ok(new SignalResult(outcome.ToString())),
                SignalOutcome.InstanceEnded => ApiResults.Conflict($"Instance {instanceId} has ended."),
                _ => ApiResults.Conflict($"Instance {instanceId} has no open hearing waiting for '{signal}' (it may be closed)."),
            };
        }
        catch (WorkflowNotFoundException exception)
        {
            return ApiResults.NotFound(exception.Message);
        }
    }

    private static async Task<PartyTaskRow?> FindTaskAsync(IDbContextFactory<ProcesFlowDbContext> contexts, Guid instanceId, string partyId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // A party can be in several hearings of one instance: the newest one is meant.
        return await db.PartyTasks.AsNoTracking()
            .Where(t => t.InstanceId == instanceId && t.PartyId == partyId)
            .OrderByDescending(t => t.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }
}

public sealed record OutstandingTask(Guid InstanceId, string Title, string PartyId, string PartyName, Instant Deadline, bool Overdue);

/// <summary>An answer received outside the answer page; <paramref name="Decision"/> (<c>approved</c> or <c>rejected</c>) in an approval round.</summary>
public sealed record RegisterAnswerRequest(bool? NoComments, string? Text, string? Decision = null);

public sealed record ChangeDeadlineRequest(JsonObject? Deadline, string? Reason);
