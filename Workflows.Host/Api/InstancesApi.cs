using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Runtime;
using Workflows.Host.Audit;
using Workflows.Host.Persistence;
using Workflows.Host.Security;

namespace Workflows.Host.Api;

/// <summary><c>/api/instances</c>: start, inspect, signal, cancel and retry running workflows; and their incidents.</summary>
public static class InstancesApi
{
    public static IEndpointRouteBuilder MapInstancesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("instances").WithTags("Instances");
        group.MapPost("", StartAsync).WithName("StartInstance");
        group.MapGet("", ListAsync).WithName("ListInstances");
        group.MapGet("{instanceId:guid}", GetAsync).WithName("GetInstance");
        group.MapGet("{instanceId:guid}/journal", JournalAsync).WithName("GetInstanceJournal");
        group.MapPost("{instanceId:guid}/signals/{signal}", SignalAsync).WithName("SignalInstance")
            .WithSummary("Delivers a named signal; the optional JSON body is its payload.");
        group.MapPost("{instanceId:guid}/cancel", CancelAsync).WithName("CancelInstance");
        group.MapPost("{instanceId:guid}/retry", RetryAsync).WithName("RetryInstance");
        api.MapGet("incidents", IncidentsAsync).WithTags("Instances").WithName("ListIncidents");
        api.MapPost("incidents/{incidentId:guid}/resolve", ResolveIncidentAsync).WithTags("Instances").WithName("ResolveIncident")
            .WithSummary("Marks an incident as dealt with (a retry that succeeds resolves the instance's incidents itself).");
        return api;
    }

    public static async Task<Results<Created<InstanceStarted>, ValidationProblem>> StartAsync(
        StartInstanceRequest? request, WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts, HttpContext http, CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.DefinitionId))
        {
            return ApiResults.Invalid("$.definitionId", "is required");
        }
        // A hearing belongs to the team named, or to its starter's team; only administrators name another team.
        var ownTeam = http.User.TeamOf();
        var team = string.IsNullOrWhiteSpace(request.Team) ? ownTeam : request.Team.Trim();
        if (team is { Length: > 100 } || (ownTeam is not null && team != ownTeam && !http.User.IsInRole(StaffRoles.Administrator)))
        {
            return ApiResults.Invalid("$.team", "must be your own team (at most 100 characters)");
        }
        try
        {
            var instance = await runtime.StartAsync(request.DefinitionId, request.Input, http.User.Actor(), cancellationToken);
            if (team is not null)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                await db.Instances.Where(i => i.Id == instance.Id).ExecuteUpdateAsync(set => set.SetProperty(i => i.Team, team), cancellationToken);
            }
            AuditTrail.Note(http, new AuditEntry("", $"instanceId={instance.Id}", After: $"{request.DefinitionId}: {instance.Status}{(team is null ? "" : $", team {team}")}"));
            return TypedResults.Created($"/api/instances/{instance.Id}", new InstanceStarted(instance.Id, instance.Status.ToString()));
        }
        catch (WorkflowNotFoundException exception)
        {
            return ApiResults.Invalid("$.definitionId", exception.Message);
        }
        catch (ValidationException exception)
        {
            return ApiResults.Invalid(exception.Errors);
        }
    }

    public static async Task<Results<Ok<List<InstanceSummary>>, ValidationProblem>> ListAsync(
        string? status, string? definitionId, string? q, int? skip, int? take,
        IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        if (status is not null && !Enum.TryParse<WorkflowStatus>(status, ignoreCase: true, out _))
        {
            return ApiResults.Invalid("status", $"must be one of {string.Join(", ", Enum.GetNames<WorkflowStatus>())}");
        }
        if (take is < 1 or > 500 || skip is < 0)
        {
            return ApiResults.Invalid(take is < 1 or > 500 ? "take" : "skip", take is < 1 or > 500 ? "must be between 1 and 500" : "must not be negative");
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Instances.AsNoTracking();
        if (status is not null)
        {
            var normalized = Enum.Parse<WorkflowStatus>(status, ignoreCase: true).ToString();
            query = query.Where(i => i.Status == normalized);
        }
        if (definitionId is not null)
        {
            query = query.Where(i => i.DefinitionId == definitionId);
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = $"%{q.Trim()}%";
            // Case-insensitive on both providers: SQLite's LIKE already is (for ASCII), PostgreSQL's is not.
            query = db.Database.IsNpgsql()
                ? query.Where(i => EF.Functions.ILike(i.Name, pattern) || (i.CorrelationId != null && EF.Functions.ILike(i.CorrelationId, pattern)))
                : query.Where(i => EF.Functions.Like(i.Name, pattern) || (i.CorrelationId != null && EF.Functions.Like(i.CorrelationId, pattern)));
        }
        var rows = await query.OrderByDescending(i => i.CreatedAt).Skip(skip ?? 0).Take(take ?? 100).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(i => new InstanceSummary(
            i.Id, i.DefinitionId, i.DefinitionVersion, i.Name, i.CorrelationId, i.Status, i.CreatedAt, i.UpdatedAt, i.FinishedAt)).ToList());
    }

    public static async Task<Results<Ok<InstanceDetails>, ProblemHttpResult>> GetAsync(
        Guid instanceId, IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (row is null)
        {
            return ApiResults.NotFound($"There is no workflow instance {instanceId}.");
        }
        var bookmarks = await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == instanceId).OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
        var openIncidents = await db.Incidents.AsNoTracking().CountAsync(i => i.InstanceId == instanceId && i.ResolvedAt == null, cancellationToken);
        var parties = await db.PartyTasks.AsNoTracking().Where(t => t.InstanceId == instanceId).OrderBy(t => t.CreatedAt).ThenBy(t => t.PartyName).ToListAsync(cancellationToken);
        var state = ExecutionStateJson.Deserialize(row.State);
        return TypedResults.Ok(new InstanceDetails(
            row.Id, row.DefinitionId, row.DefinitionVersion, row.Name, row.CorrelationId, row.Status, row.CreatedAt, row.UpdatedAt, row.FinishedAt,
            JsonNode.Parse(row.Input)!.AsObject(), state.Variables,
            bookmarks.Select(b => new WaitDescription(b.ActivityId, b.ResumeAt is null ? "signal" : "timer", b.Name, b.ResumeAt)).ToList(),
            state.ParkedSignals.Select(p => p.Name).ToList(),
            openIncidents,
            parties.Select(t => new PartyStatus(t.PartyId, t.PartyName, t.Status, t.Deadline, t.AnsweredAt, t.ActivityId, t.Decision)).ToList()));
    }

    public static async Task<Results<Ok<List<JournalLine>>, ProblemHttpResult>> JournalAsync(
        Guid instanceId, IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Instances.AnyAsync(i => i.Id == instanceId, cancellationToken))
        {
            return ApiResults.NotFound($"There is no workflow instance {instanceId}.");
        }
        var lines = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(lines.Select(j => new JournalLine(
            j.At, j.Kind, j.ActivityId, j.Message, j.Data is null ? null : JsonNode.Parse(j.Data), j.Actor)).ToList());
    }

    public static async Task<Results<Ok<SignalResult>, ProblemHttpResult, ValidationProblem>> SignalAsync(
        Guid instanceId, string signal, HttpRequest request, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        if (HearingStimulus.Kinds.Any(kind => signal.EndsWith($":{kind}", StringComparison.Ordinal)))
        {
            // An answer or a deadline change by a raw signal would bypass its checks (files, late policy, the answer's record).
            return ApiResults.Invalid("$.signal", $"'{signal}' is a hearing's own signal; use the hearing endpoints (/api/instances/{{id}}/parties/{{partyId}}/…, …/hearings/{{activityId}}/…)");
        }
        JsonNode? payload = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                payload = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            }
            catch (JsonException exception)
            {
                return ApiResults.Invalid("$", $"is not valid JSON (line {exception.LineNumber + 1})");
            }
        }
        try
        {
            var outcome = await runtime.SignalAsync(instanceId, signal, payload, request.HttpContext.User.Actor(), cancellationToken);
            return outcome == SignalOutcome.InstanceEnded
                ? ApiResults.Conflict($"Instance {instanceId} has ended; the signal '{signal}' was not delivered.")
                : TypedResults.Ok(new SignalResult(outcome.ToString()));
        }
        catch (WorkflowNotFoundException exception)
        {
            return ApiResults.NotFound(exception.Message);
        }
    }

    public static async Task<Results<Ok<InstanceStateChanged>, ProblemHttpResult>> CancelAsync(
        Guid instanceId, CancelRequest? request, WorkflowRuntime runtime, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.CancelAsync(instanceId, http.User.Actor(), request?.Reason, cancellationToken)
                ? TypedResults.Ok(new InstanceStateChanged(instanceId, nameof(WorkflowStatus.Cancelled)))
                : ApiResults.Conflict($"Instance {instanceId} has already ended.");
        }
        catch (WorkflowNotFoundException exception)
        {
            return ApiResults.NotFound(exception.Message);
        }
    }

    public static async Task<Results<Ok<InstanceStateChanged>, ProblemHttpResult>> RetryAsync(
        Guid instanceId, WorkflowRuntime runtime, IDbContextFactory<ProcesFlowDbContext> contexts, IClock clock, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            if (!await runtime.RetryAsync(instanceId, http.User.Actor(), cancellationToken))
            {
                return ApiResults.Conflict($"Instance {instanceId} is not faulted; there is nothing to retry.");
            }
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var status = await db.Instances.Where(i => i.Id == instanceId).Select(i => i.Status).FirstAsync(cancellationToken);
            if (status != nameof(WorkflowStatus.Faulted))
            {
                // The retry got past the failure: its incidents are resolved.
                var now = clock.GetCurrentInstant();
                await db.Incidents.Where(i => i.InstanceId == instanceId && i.ResolvedAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(i => i.ResolvedAt, now), cancellationToken);
            }
            return TypedResults.Ok(new InstanceStateChanged(instanceId, status));
        }
        catch (WorkflowNotFoundException exception)
        {
            return ApiResults.NotFound(exception.Message);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ResolveIncidentAsync(
        Guid incidentId, IDbContextFactory<ProcesFlowDbContext> contexts, IClock clock, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetCurrentInstant();
        var updated = await db.Incidents.Where(i => i.Id == incidentId && i.ResolvedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.ResolvedAt, now), cancellationToken);
        return updated == 1 ? TypedResults.NoContent() : ApiResults.NotFound($"There is no open incident {incidentId}.");
    }

    public static async Task<Ok<List<IncidentDescription>>> IncidentsAsync(
        Guid? instanceId, IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Incidents.AsNoTracking().Where(i => i.ResolvedAt == null);
        if (instanceId is { } id)
        {
            query = query.Where(i => i.InstanceId == id);
        }
        var rows = await query.OrderByDescending(i => i.OccurredAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(i => new IncidentDescription(
            i.Id, i.InstanceId, i.ActivityId, i.ActivityType, i.Message, i.Attempt, i.OccurredAt, i.RetryAt)).ToList());
    }
}

/// <summary><paramref name="Team"/>: restricts the hearing to one team (by default the starter's own team, if any).</summary>
public sealed record StartInstanceRequest(string? DefinitionId, JsonObject? Input, string? Team = null);

public sealed record InstanceStarted(Guid InstanceId, string Status);

public sealed record InstanceSummary(
    Guid InstanceId, string DefinitionId, int DefinitionVersion, string Name, string? CorrelationId, string Status,
    Instant CreatedAt, Instant UpdatedAt, Instant? FinishedAt);

/// <summary>An instance in full. <see cref="Parties"/> lists the party tasks of its hearings (DESIGN §5).</summary>
public sealed record InstanceDetails(
    Guid InstanceId, string DefinitionId, int DefinitionVersion, string Name, string? CorrelationId, string Status,
    Instant CreatedAt, Instant UpdatedAt, Instant? FinishedAt,
    JsonObject Input, JsonObject Variables, List<WaitDescription> WaitingFor, List<string> ParkedSignals, int OpenIncidents,
    List<PartyStatus> Parties);

public sealed record WaitDescription(string ActivityId, string Kind, string Name, Instant? ResumeAt);

/// <summary>A party in one of the instance's hearings or approval rounds (<paramref name="ActivityId"/>); <paramref name="Decision"/> only in an approval round.</summary>
public sealed record PartyStatus(string PartyId, string Name, string Status, Instant? Deadline, Instant? AnsweredAt, string ActivityId, string? Decision);

public sealed record JournalLine(Instant At, string Kind, string? ActivityId, string Message, JsonNode? Data, string? Actor);

public sealed record SignalResult(string Outcome);

public sealed record CancelRequest(string? Reason);

public sealed record InstanceStateChanged(Guid InstanceId, string Status);

public sealed record IncidentDescription(
    Guid IncidentId, Guid InstanceId, string ActivityId, string ActivityType, string Message, int Attempt, Instant OccurredAt, Instant? RetryAt);
