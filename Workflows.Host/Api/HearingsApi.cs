using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Answers;
using Workflows.Host.Audit;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
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
        Guid instanceId, string partyId, RegisterAnswerRequest? request, HearingCommands commands, HearingReader reader, HttpContext http, CancellationToken cancellationToken)
    {
        var task = await reader.FindTaskAsync(instanceId, partyId, cancellationToken);
        if (task is null)
        {
            return ApiResults.NotFound($"Instance {instanceId} has no hearing task for '{partyId}'.");
        }
        var outcome = await commands.SubmitAnswerAsync(task.Id, new AnswerSubmission(request?.Text, request?.NoComments ?? false, [], "staff", http.User.Actor(), Decision: request?.Decision), cancellationToken);
        return outcome switch
        {
            AnswerOutcome.Accepted => TypedResults.Ok(new SignalResult(nameof(SignalOutcome.Resumed))),
            AnswerOutcome.Held held => ApiResults.Conflict($"The hearing could not take the answer ({held.Reason}); it is kept among the answers to handle."),
            AnswerOutcome.Refused { Kind: AnswerRefusalKind.Invalid } refused => ApiResults.Invalid($"$.{refused.Field ?? "text"}", refused.Reason),
            AnswerOutcome.Refused refused => TypedResults.Problem(refused.Reason, statusCode: AnswerPages.StatusOf(refused)),
            _ => ApiResults.Conflict("The answer was already registered."),
        };
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> ChangePartyDeadlineAsync(
        Guid instanceId, string partyId, ChangeDeadlineRequest? request, HearingCommands commands, HearingReader reader, HttpContext http, CancellationToken cancellationToken)
    {
        if (ApiResults.InvalidDeadline(request?.Deadline) is { } invalid)
        {
            return invalid;
        }
        var task = await reader.FindTaskAsync(instanceId, partyId, cancellationToken);
        var outcome = task is null
            ? HearingCommandOutcome.NoSuchParty
            : await commands.ChangeDeadlineAsync(instanceId, task.ActivityId, task.Id, request!.Deadline!, request.Reason, http.User.Actor(), cancellationToken);
        if (task is not null)
        {
            AuditTrail.Note(http, new AuditEntry("", Before: NodaTime.Text.InstantPattern.ExtendedIso.Format(task.Deadline), After: request!.Deadline!.ToJsonString()));
        }
        return ToResult(outcome, instanceId, partyId, "deadline");
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> RemindPartyAsync(
        Guid instanceId, string partyId, HearingCommands commands, HttpContext http, CancellationToken cancellationToken) =>
        ToResult(await commands.RemindAsync(instanceId, partyId, http.User.Actor(), cancellationToken), instanceId, partyId, "remind");

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> RemindAllAsync(
        Guid instanceId, HearingCommands commands, HttpContext http, CancellationToken cancellationToken) =>
        ToResult(await commands.RemindAsync(instanceId, partyId: null, http.User.Actor(), cancellationToken), instanceId, null, "remind");

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> ResendInvitationAsync(
        Guid instanceId, string partyId, ResendInvitationRequest? request, HearingCommands commands, HttpContext http, CancellationToken cancellationToken)
    {
        var to = request?.To ?? [];
        if (to.Count == 0 || to.Any(a => !IsMailAddress(a)))
        {
            return ApiResults.Invalid("$.to", "must be a list of one or more e-mail addresses");
        }
        return ToResult(await commands.ResendInvitationAsync(instanceId, partyId, to, http.User.Actor(), cancellationToken), instanceId, partyId, "resend");
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
        Guid instanceId, string activityId, ChangeDeadlineRequest? request, HearingCommands commands, HttpContext http, CancellationToken cancellationToken)
    {
        if (ApiResults.InvalidDeadline(request?.Deadline) is { } invalid)
        {
            return invalid;
        }
        var outcome = await commands.ChangeDeadlineAsync(instanceId, activityId, partyTaskId: null, request!.Deadline!, request.Reason, http.User.Actor(), cancellationToken);
        AuditTrail.Note(http, new AuditEntry("", After: request.Deadline!.ToJsonString()));
        return ToResult(outcome, instanceId, null, "deadline");
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> CloseAsync(
        Guid instanceId, string activityId, HearingCommands commands, HttpContext http, CancellationToken cancellationToken) =>
        ToResult(await commands.CloseAsync(instanceId, activityId, http.User.Actor(), cancellationToken), instanceId, null, "close");
}

public sealed record OutstandingTask(Guid InstanceId, string Title, string PartyId, string PartyName, Instant Deadline, bool Overdue);

/// <summary>An answer received outside the answer page; <paramref name="Decision"/> (<c>approved</c> or <c>rejected</c>) in an approval round.</summary>
public sealed record RegisterAnswerRequest(bool? NoComments, string? Text, string? Decision = null);

public sealed record ChangeDeadlineRequest(JsonObject? Deadline, string? Reason);

public sealed record ResendInvitationRequest(List<string>? To);
