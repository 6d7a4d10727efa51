using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Activities.Decisions;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Meetings;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Audit;
using Workflows.Host.Persistence;
using Workflows.Host.Security;

namespace Workflows.Host.Api;

/// <summary>
/// What the secretariat records after a meeting or a piece of work: a body's decision on an item (godkendt, afvist,
/// udsat, drøftet), a task done, and the bodies' meeting calendars the decisions are planned by.
/// </summary>
public static class DecisionsApi
{
    public static IEndpointRouteBuilder MapDecisionsApi(this IEndpointRouteBuilder api)
    {
        var instance = api.MapGroup("instances/{instanceId:guid}").WithTags("Decisions");
        instance.MapPost("decisions/{activityId}", RecordDecisionAsync).WithName("RecordDecision")
            .WithSummary("Records a body's decision on an item: approved, rejected, postponed (moves to the body's next meeting) or discussed.");
        instance.MapPost("tasks/{activityId}/complete", CompleteTaskAsync).WithName("CompleteTask")
            .WithSummary("Marks a task (opgave) as done, so the process moves on.");
        api.MapGet("meetings", Meetings).WithTags("Decisions").WithName("ListMeetings")
            .WithSummary("The meeting calendars of the bodies decisions are planned by.");
        return api;
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> RecordDecisionAsync(
        Guid instanceId, string activityId, DecisionRequest? request, WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts,
        HttpContext http, CancellationToken cancellationToken)
    {
        var signal = $"{activityId}:{Decision.SignalKind}";
        var waiting = await WaitingAsync(contexts, instanceId, signal, cancellationToken);
        if (waiting is null)
        {
            return ApiResults.Conflict($"'{activityId}' in instance {instanceId} is not waiting for a decision.");
        }
        var allowed = (JsonNode.Parse(waiting.Payload ?? "{}")?["outcomes"] as JsonArray ?? []).Select(o => o!.GetValue<string>()).ToList();
        if (request?.Outcome is not { } outcome || !allowed.Contains(outcome))
        {
            return ApiResults.Invalid("$.outcome", $"must be one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}");
        }
        var payload = new JsonObject { ["outcome"] = outcome, ["note"] = request.Note?.Trim(), ["actor"] = http.User.Actor() };
        // Recorded only when the call succeeds (the audit middleware drops notes of a failed request).
        AuditTrail.Note(http, new AuditEntry("", Before: $"venter på beslutning ({string.Join(", ", allowed)})",
            After: request.Note is { } note && note.Trim().Length > 0 ? $"{outcome}: {note.Trim()}" : outcome));
        return await SignalAsync(runtime, instanceId, signal, payload, http, cancellationToken);
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> CompleteTaskAsync(
        Guid instanceId, string activityId, CompleteTaskRequest? request, WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts,
        HttpContext http, CancellationToken cancellationToken)
    {
        var signal = $"{activityId}:{UserTask.SignalKind}";
        if (await WaitingAsync(contexts, instanceId, signal, cancellationToken) is null)
        {
            return ApiResults.Conflict($"'{activityId}' in instance {instanceId} is not an open task.");
        }
        var payload = new JsonObject { ["note"] = request?.Note?.Trim(), ["actor"] = http.User.Actor() };
        return await SignalAsync(runtime, instanceId, signal, payload, http, cancellationToken);
    }

    public static Results<Ok<List<BodyMeetings>>, ValidationProblem> Meetings(
        string? body, MeetingCalendars meetings, PartyDirectory parties, DateTimeZone zone)
    {
        var bodies = body is null ? meetings.Bodies.Order(StringComparer.Ordinal).ToList() : [body];
        if (body is not null && meetings.MeetingsOf(body).Count == 0)
        {
            return ApiResults.Invalid("body", $"'{body}' has no meeting calendar (known: {string.Join(", ", meetings.Bodies.Order(StringComparer.Ordinal))})");
        }
        return TypedResults.Ok(bodies.Select(id => new BodyMeetings(
            id,
            parties.Find(id)?.Name ?? id,
            meetings.MeetingsOf(id).Select(m => new Meeting(m.ToString("uuuu-MM-dd'T'HH:mm", null), DanishText.DateTime(m))).ToList())).ToList());
    }

    private static async Task<Persistence.Rows.BookmarkRow?> WaitingAsync(
        IDbContextFactory<ProcesFlowDbContext> contexts, Guid instanceId, string signal, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Bookmarks.AsNoTracking().FirstOrDefaultAsync(b => b.InstanceId == instanceId && b.Name == signal && b.ResumeAt == null, cancellationToken);
    }

    private static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> SignalAsync(
        WorkflowRuntime runtime, Guid instanceId, string signal, JsonObject payload, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await runtime.SignalIfWaitingAsync(instanceId, signal, payload, http.User.Actor(), cancellationToken);
        return outcome == SignalOutcome.Resumed
            ? TypedResults.Ok(new SignalResult(outcome.ToString()))
            : ApiResults.Conflict($"Instance {instanceId} no longer waits for '{signal}'.");
    }
}

public sealed record DecisionRequest(string? Outcome, string? Note);

public sealed record CompleteTaskRequest(string? Note);

public sealed record BodyMeetings(string Body, string Name, IReadOnlyList<Meeting> Meetings);

public sealed record Meeting(string Local, string Text);
