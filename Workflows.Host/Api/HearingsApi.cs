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
        instance.MapPost("parties/{partyId}/remind", RemindPartyAsync).WithName("RemindParty")
            .WithSummary("Sends a reminder now to one party that has not answered (a rykker after its deadline).");
        instance.MapPost("parties/{partyId}/resend-invitation", ResendInvitationAsync).WithName("ResendInvitation")
            .WithSummary("Sends the invitation again to new addresses, which replace the party's contacts.");
        instance.MapPost("remind", RemindAllAsync).WithName("RemindAll")
            .WithSummary("Sends a reminder now to every party of the instance's open hearings that has not answered.");
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
        var outcome = await ChangePartyDeadlineCommandAsync(runtime, contexts, instanceId, partyId, request!.Deadline!, request.Reason, http.User.Actor(), cancellationToken);
        return ToResult(outcome, instanceId, partyId, "deadline");
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> RemindPartyAsync(
        Guid instanceId, string partyId, WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await RemindCommandAsync(runtime, contexts, instanceId, partyId, http.User.Actor(), cancellationToken);
        return ToResult(outcome, instanceId, partyId, "remind");
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> RemindAllAsync(
        Guid instanceId, WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await RemindCommandAsync(runtime, contexts, instanceId, partyId: null, http.User.Actor(), cancellationToken);
        return ToResult(outcome, instanceId, null, "remind");
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> ResendInvitationAsync(
        Guid instanceId, string partyId, ResendInvitationRequest? request, WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts,
        HttpContext http, CancellationToken cancellationToken)
    {
        var to = request?.To ?? [];
        if (to.Count == 0 || to.Any(a => !IsMailAddress(a)))
        {
            return ApiResults.Invalid("$.to", "must be a list of one or more e-mail addresses");
        }
        var outcome = await ResendInvitationCommandAsync(runtime, contexts, instanceId, partyId, to, http.User.Actor(), cancellationToken);
        return ToResult(outcome, instanceId, partyId, "resend");
    }

    /// <summary>Changes one party's deadline (it is told by mail; its reminders are re-planned). Shared by the API and the staff pages.</summary>
    public static async Task<HearingCommandOutcome> ChangePartyDeadlineCommandAsync(
        WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts, Guid instanceId, string partyId, JsonObject deadline, string? reason,
        string actor, CancellationToken cancellationToken)
    {
        var task = await FindTaskAsync(contexts, instanceId, partyId, cancellationToken);
        if (task is null)
        {
            return HearingCommandOutcome.NoSuchParty;
        }
        var payload = new JsonObject { ["partyTaskId"] = task.Id.ToString(), ["deadline"] = deadline.DeepClone(), ["actor"] = actor, ["reason"] = reason };
        return await SignalAsync(runtime, instanceId, Hearing.Signal(task.ActivityId, "deadline"), payload, actor, cancellationToken);
    }

    /// <summary>
    /// Remind now: one party, or (with no party) every party of the instance's hearings that has not answered.
    /// Shared by the API and the staff pages.
    /// </summary>
    public static async Task<HearingCommandOutcome> RemindCommandAsync(
        WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts, Guid instanceId, string? partyId, string actor, CancellationToken cancellationToken)
    {
        if (partyId is not null)
        {
            var task = await FindTaskAsync(contexts, instanceId, partyId, cancellationToken);
            if (task is null)
            {
                return HearingCommandOutcome.NoSuchParty;
            }
            if (task.AnsweredAt is not null)
            {
                return HearingCommandOutcome.AlreadyAnswered;
            }
            var payload = new JsonObject { ["partyTaskId"] = task.Id.ToString(), ["actor"] = actor };
            return await SignalAsync(runtime, instanceId, Hearing.Signal(task.ActivityId, "remind"), payload, actor, cancellationToken);
        }
        List<string> hearings;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            hearings = await db.PartyTasks.AsNoTracking().Where(t => t.InstanceId == instanceId && t.AnsweredAt == null)
                .Select(t => t.ActivityId).Distinct().ToListAsync(cancellationToken);
        }
        var result = HearingCommandOutcome.NotWaiting;
        foreach (var activityId in hearings)
        {
            var outcome = await SignalAsync(runtime, instanceId, Hearing.Signal(activityId, "remind"), new JsonObject { ["actor"] = actor }, actor, cancellationToken);
            if (outcome == HearingCommandOutcome.Done || result != HearingCommandOutcome.Done)
            {
                result = outcome;
            }
        }
        return hearings.Count == 0 ? HearingCommandOutcome.AlreadyAnswered : result;
    }

    /// <summary>Sends the invitation again, to addresses that replace the party's contacts. Shared by the API and the staff pages.</summary>
    public static async Task<HearingCommandOutcome> ResendInvitationCommandAsync(
        WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts, Guid instanceId, string partyId, IReadOnlyList<string> to, string actor,
        CancellationToken cancellationToken)
    {
        var task = await FindTaskAsync(contexts, instanceId, partyId, cancellationToken);
        if (task is null)
        {
            return HearingCommandOutcome.NoSuchParty;
        }
        var payload = new JsonObject { ["partyTaskId"] = task.Id.ToString(), ["to"] = new JsonArray(to.Select(a => (JsonNode)a.Trim()).ToArray()), ["actor"] = actor };
        return await SignalAsync(runtime, instanceId, Hearing.Signal(task.ActivityId, "resend"), payload, actor, cancellationToken);
    }

    /// <summary>A single plain e-mail address (no display name, no list).</summary>
    public static bool IsMailAddress(string? text) =>
        text is { Length: > 2 and < 255 } && System.Net.Mail.MailAddress.TryCreate(text.Trim(), out var address) && address.Address == text.Trim() && address.DisplayName.Length == 0;

    private static Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem> ToResult(HearingCommandOutcome outcome, Guid instanceId, string? partyId, string signal) =>
        outcome switch
        {
            HearingCommandOutcome.Done => TypedResults.Ok(new SignalResult(nameof(SignalOutcome.Resumed))),
            HearingCommandOutcome.NoSuchInstance => ApiResults.NotFound($"There is no instance {instanceId}."),
            HearingCommandOutcome.NoSuchParty => ApiResults.NotFound($"Instance {instanceId} has no hearing task for '{partyId}'."),
            HearingCommandOutcome.AlreadyAnswered => ApiResults.Conflict(partyId is null ? "Every party has answered." : $"'{partyId}' has answered."),
            HearingCommandOutcome.Ended => ApiResults.Conflict($"Instance {instanceId} has ended."),
            _ => ApiResults.Conflict($"Instance {instanceId} has no open hearing waiting for '{signal}' (it may be closed)."),
        };

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
        WorkflowRuntime runtime, Guid instanceId, string signal, JsonObject payload, HttpContext http, CancellationToken cancellationToken) =>
        ToResult(await SignalAsync(runtime, instanceId, signal, payload, http.User.Actor(), cancellationToken), instanceId, null, signal);

    private static async Task<HearingCommandOutcome> SignalAsync(
        WorkflowRuntime runtime, Guid instanceId, string signal, JsonObject payload, string actor, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.SignalIfWaitingAsync(instanceId, signal, payload, actor, cancellationToken) switch
            {
                SignalOutcome.Resumed => HearingCommandOutcome.Done,
                SignalOutcome.InstanceEnded => HearingCommandOutcome.Ended,
                _ => HearingCommandOutcome.NotWaiting,
            };
        }
        catch (WorkflowNotFoundException)
        {
            return HearingCommandOutcome.NoSuchInstance;
        }
    }

    /// <summary>The party's task in the instance (the newest, when the party is in several of its hearings).</summary>
    public static async Task<PartyTaskRow?> FindTaskAsync(IDbContextFactory<ProcesFlowDbContext> contexts, Guid instanceId, string partyId, CancellationToken cancellationToken)
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

public sealed record ResendInvitationRequest(List<string>? To);

/// <summary>What came of a command on a hearing, for the API and the staff pages to put in their own words.</summary>
public enum HearingCommandOutcome
{
    Done,
    NoSuchInstance,
    NoSuchParty,
    AlreadyAnswered,

    /// <summary>The instance has finished or been cancelled.</summary>
    Ended,

    /// <summary>No open hearing waits for the command (it has closed).</summary>
    NotWaiting,
}
