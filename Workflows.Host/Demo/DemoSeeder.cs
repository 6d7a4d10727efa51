using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Runtime;
using Workflows.Host.Hearings;
using Workflows.Host.Hosting;
using Workflows.Host.Mail;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Scheduling;
using Workflows.Host.Staff;

namespace Workflows.Host.Demo;

/// <summary>What the seeder started: one line per hearing.</summary>
public sealed record DemoHearingCreated(Guid InstanceId, string Title, string? CaseNumber, int Parties, int Answered, int Overdue, int PendingExtensionRequests);

/// <summary>
/// Plays a <see cref="DemoScenario"/> on the simulated clock: moves the clock to each event in turn (so reminders
/// and deadlines fire on the way, exactly as they would), starts each hearing through the runtime as
/// <c>POST /api/instances</c> does, and hands in answers and extension requests through <see cref="HearingCommands"/>
/// as the answer page does, so receipts, journal and mails are real.
/// </summary>
public sealed class DemoSeeder(
    DemoScenario scenario,
    IDbContextFactory<ProcesFlowDbContext> contexts,
    WorkflowRuntime runtime,
    HearingCommands answers,
    SimulatedTime time,
    IClock clock,
    DateTimeZone zone,
    IOptions<ClockOptions> clockOptions,
    IOptions<AdminOptions> admin,
    IOptions<ProcesFlowOptions> procesFlow,
    IOptions<MailOptions> mail,
    IConfiguration configuration,
    ILogger<DemoSeeder> logger)
{
    /// <summary>The actor named in the journal for what the demo did.</summary>
    public const string Actor = "demo";

    /// <summary>Seeds a database without instances; on any other, does nothing and returns an empty list.</summary>
    public async Task<IReadOnlyList<DemoHearingCreated>> SeedAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var existing = await db.Instances.CountAsync(cancellationToken);
            if (existing > 0)
            {
                logger.LogInformation("Demo: the demo database already has {Count} workflow instance(s); nothing new is seeded", existing);
                return [];
            }
        }
        if (clockOptions.Value.Mode != ClockMode.Simulated)
        {
            logger.LogWarning("Demo: the demo hearings are set in autumn 2019 and need ProcesFlow:Clock:Mode=Simulated; nothing is seeded");
            return [];
        }

        var started = new Dictionary<DemoHearing, Guid>();
        foreach (var step in Steps())
        {
            await MoveToAsync(step.At, cancellationToken);
            if (step is { Answer: null, Request: null })
            {
                if (await StartAsync(step.Hearing, cancellationToken) is { } id)
                {
                    started[step.Hearing] = id;
                }
            }
            else if (!started.TryGetValue(step.Hearing, out var instanceId))
            {
                logger.LogWarning("Demo: an answer or request from {PartyId} is left out: its hearing was not started, or is dated after it",
                    step.Answer?.PartyId ?? step.Request?.PartyId);
            }
            else if (step.Answer is { } answer)
            {
                await AnswerAsync(instanceId, answer, cancellationToken);
            }
            else
            {
                await RequestExtensionAsync(instanceId, step.Request!, cancellationToken);
            }
        }
        await MoveToAsync(scenario.Now, cancellationToken);

        var created = new List<DemoHearingCreated>();
        foreach (var hearing in scenario.Hearings)
        {
            if (started.TryGetValue(hearing, out var instanceId))
            {
                created.Add(await DescribeAsync(instanceId, cancellationToken));
            }
        }
        foreach (var c in created)
        {
            logger.LogInformation(
                "Demo: started '{Title}' ({CaseNumber}) for {Parties} parties: {Answered} answered, {Overdue} overdue, {Requests} extension request(s) pending; /api/instances/{InstanceId}",
                c.Title, c.CaseNumber, c.Parties, c.Answered, c.Overdue, c.PendingExtensionRequests, c.InstanceId);
        }
        logger.LogInformation("Demo: seeded {Count} hearing(s); the simulated clock stands at {Now}",
            created.Count, Deadline.FromInstant(clock.GetCurrentInstant(), zone).Text);
        return created;
    }

    /// <summary>Tells the console where the demo runs and how to get in.</summary>
    public void Welcome(ICollection<string> addresses)
    {
        var url = addresses.FirstOrDefault() ?? procesFlow.Value.PublicBaseUrl;
        var password = admin.Value.Password == DemoSetup.AdminPassword ? DemoSetup.AdminPassword : "(the configured ProcesFlow:Admin:Password)";
        var keys = procesFlow.Value.ApiKeys.Contains(DemoSetup.ApiKey) ? $"; API key '{DemoSetup.ApiKey}' (header X-Api-Key)" : "";
        logger.LogInformation(
            "Demo: ProcesFlow demo at {Url}/ - sign in as {Email} with password {Password}{Keys}. Database {Database}, mails in {MailFolder}. Simulated clock: {Now} (move it with POST /api/clock/advance).",
            url.TrimEnd('/'), admin.Value.Email, password, keys,
            configuration.GetConnectionString("Workflows"), mail.Value.PickupDirectory,
            Deadline.FromInstant(clock.GetCurrentInstant(), zone).Text);
    }

    /// <summary>Every start, answer and request of the scenario, in time order (a hearing's start before its answers).</summary>
    private IEnumerable<Step> Steps() => scenario.Hearings
        .SelectMany(h => new[] { new Step(h.SentAt, h, null, null) }
            .Concat(h.Answers.Select(a => new Step(a.At, h, a, null)))
            .Concat(h.ExtensionRequests.Select(r => new Step(r.At, h, null, r))))
        .OrderBy(s => s.At);

    /// <summary>Moves the clock forward to a local time (never back: a later configured start leaves events at "now").</summary>
    private async Task MoveToAsync(LocalDateTime local, CancellationToken cancellationToken)
    {
        var target = local.InZoneLeniently(zone).ToInstant();
        if (target > clock.GetCurrentInstant())
        {
            await time.AdvanceToAsync(target, cancellationToken);
        }
    }

    private async Task<Guid?> StartAsync(DemoHearing hearing, CancellationToken cancellationToken)
    {
        var input = JsonNode.Parse(hearing.Input)!.AsObject();
        try
        {
            var instance = await runtime.StartAsync(hearing.DefinitionId, input, Actor, cancellationToken);
            if (instance.Status == WorkflowStatus.Faulted)
            {
                logger.LogError("Demo: '{Title}' ({DefinitionId}) faulted when started; see /api/instances/{InstanceId}", instance.Name, hearing.DefinitionId, instance.Id);
            }
            return instance.Id;
        }
        catch (WorkflowNotFoundException exception)
        {
            logger.LogError("Demo: '{Title}' was not started: {Reason}", input["title"], exception.Message);
        }
        catch (ValidationException exception)
        {
            logger.LogError("Demo: '{Title}' was not started, its input is not valid for {DefinitionId}: {Errors}",
                input["title"], hearing.DefinitionId, string.Join("; ", exception.Errors.Select(e => $"{e.Path} {e.Message}")));
        }
        return null;
    }

    private async Task AnswerAsync(Guid instanceId, DemoAnswer answer, CancellationToken cancellationToken)
    {
        if (await PartyTaskAsync(instanceId, answer.PartyId, cancellationToken) is not { } taskId)
        {
            return;
        }
        var outcome = await answers.SubmitAnswerAsync(taskId, new AnswerSubmission(answer.Text, answer.Text is null, [], "web", answer.SubmittedBy), cancellationToken);
        if (outcome is AnswerOutcome.Refused refused)
        {
            logger.LogWarning("Demo: the answer from {PartyId} was refused: {Reason}", answer.PartyId, refused.Reason);
        }
    }

    private async Task RequestExtensionAsync(Guid instanceId, DemoExtensionRequest request, CancellationToken cancellationToken)
    {
        if (await PartyTaskAsync(instanceId, request.PartyId, cancellationToken) is not { } taskId)
        {
            return;
        }
        var deadline = new JsonObject { ["date"] = LocalDatePattern.Iso.Format(request.RequestedDate) };
        if (await answers.RequestExtensionAsync(taskId, request.Reason, deadline, cancellationToken) is AnswerOutcome.Refused refused)
        {
            logger.LogWarning("Demo: the extension request from {PartyId} was refused: {Reason}", request.PartyId, refused.Reason);
        }
    }

    private async Task<Guid?> PartyTaskAsync(Guid instanceId, string partyId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = await db.PartyTasks.AsNoTracking()
            .Where(t => t.InstanceId == instanceId && t.PartyId == partyId)
            .OrderBy(t => t.CreatedAt)
            .Select(t => t.Id)
            .Take(1)
            .ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            logger.LogWarning("Demo: instance {InstanceId} has no task for party {PartyId}; its answer or request is left out", instanceId, partyId);
            return null;
        }
        return ids[0];
    }

    private async Task<DemoHearingCreated> DescribeAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == instanceId, cancellationToken);
        var statuses = await db.PartyTasks.AsNoTracking().Where(t => t.InstanceId == instanceId).Select(t => t.Status).ToListAsync(cancellationToken);
        var requests = await db.ExtensionRequests.AsNoTracking()
            .CountAsync(r => r.InstanceId == instanceId && r.Status == ExtensionRequestStatus.Pending, cancellationToken);
        return new DemoHearingCreated(
            instanceId, instance.Name, instance.CorrelationId, statuses.Count,
            statuses.Count(s => s is "Answered" or "NoComments" or "AnsweredLate"),
            statuses.Count(s => s == "Overdue"),
            requests);
    }

    private sealed record Step(LocalDateTime At, DemoHearing Hearing, DemoAnswer? Answer, DemoExtensionRequest? Request);
}
