using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Staff;

/// <summary>Everything the hearing page shows, loaded by its handler; the component only renders it.</summary>
public sealed record HearingView(
    Guid InstanceId,
    string Title,
    string InstanceStatus,
    HearingFacts? Facts,
    Instant Now,
    IReadOnlyList<PartyTaskRow> Tasks,
    Instant? CommonDeadline,
    IReadOnlyList<Instant> Reminders,
    IReadOnlyList<PendingExtension> PendingExtensions,
    IReadOnlyList<HeldAnswer> HeldAnswers,
    IReadOnlyList<BouncedMail> Bounces,
    IReadOnlyList<OpenIncident> Incidents,
    IReadOnlyList<WaitingStep> Waiting)
{
    /// <summary>The process still runs (or waits): reminders and decisions can still be made.</summary>
    public bool IsOpen => InstanceStatus is nameof(WorkflowStatus.Running) or nameof(WorkflowStatus.Suspended);

    public int Unanswered => Tasks.Count(t => t.AnsweredAt is null);

    /// <summary>Loads the page's data; null when there is no such instance (or the visitor's team may not see it).</summary>
    public static async Task<HearingView?> LoadAsync(
        Guid instanceId, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, HearingReader reader, DefinitionCatalog catalog,
        IClock clock, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => new { i.Name, i.Status }).FirstOrDefaultAsync(cancellationToken);
        if (instance is null)
        {
            return null;
        }
        var summary = (await HearingSummaries.RunningAsync(db, directory, instanceId, cancellationToken)).SingleOrDefault();
        var tasks = (await db.PartyTasks.AsNoTracking().Where(t => t.InstanceId == instanceId).ToListAsync(cancellationToken))
            .OrderBy(t => t.PartyName, DanishCollation.Comparer).ToList();
        var reminders = await db.Outbox.AsNoTracking()
            .Where(o => o.InstanceId == instanceId && (o.Template == "reminder" || o.Template == "rykker" || o.Template == "approval-reminder"))
            .Select(o => o.QueuedAt).ToListAsync(cancellationToken);
        var pending = (await (
                from r in db.ExtensionRequests.AsNoTracking()
                join t in db.PartyTasks.AsNoTracking() on r.PartyTaskId equals t.Id
                where r.InstanceId == instanceId && r.Status == ExtensionRequestStatus.Pending
                orderby r.RequestedAt
                select new { r.Id, t.PartyId, t.PartyName, r.Reason, r.RequestedAt, r.RequestedDeadline })
            .ToListAsync(cancellationToken))
            .Select(r => new PendingExtension(r.Id, r.PartyId, r.PartyName, r.Reason, r.RequestedAt, PartyHistory.RequestedDeadline(r.RequestedDeadline)))
            .ToList();
        var held = await (
                from a in db.Answers.AsNoTracking()
                join t in db.PartyTasks.AsNoTracking() on a.PartyTaskId equals t.Id
                where a.InstanceId == instanceId && a.HeldReason != null && a.HandledAt == null
                orderby a.ReceivedAt
                select new HeldAnswer(a.Id, t.PartyId, t.PartyName, a.ReceivedAt, a.HeldReason!))
            .ToListAsync(cancellationToken);
        var bounces = await reader.BouncesAsync(instanceId, tasks.Select(t => t.ActivityId), cancellationToken);
        var incidents = await db.Incidents.AsNoTracking().Where(i => i.InstanceId == instanceId && i.ResolvedAt == null)
            .OrderBy(i => i.OccurredAt).Select(i => new OpenIncident(i.Message, i.OccurredAt)).ToListAsync(cancellationToken);
        var waiting = await ProcessSteps.WaitingAsync(contexts, catalog, instanceId, cancellationToken);
        return new HearingView(
            instanceId, summary?.Title ?? instance.Name, instance.Status,
            summary is null ? null : new HearingFacts(summary.CaseNumber, summary.Owner, summary.Region, summary.Total, summary.Answered, summary.Overdue, summary.Late, summary.PendingExtensions, summary.Incidents),
            clock.GetCurrentInstant(), tasks, CommonDeadlineOf(tasks), reminders, pending, held,
            tasks.Where(t => bounces.ContainsKey(t.Id)).Select(t => new BouncedMail(t.PartyId, t.PartyName, bounces[t.Id].Address, bounces[t.Id].Reason, bounces[t.Id].At)).ToList(),
            incidents, waiting);
    }

    /// <summary>
    /// The deadline most parties share, shown once in the facts; a party whose deadline differs (an extension) shows
    /// its own in its row. On a tie the earlier deadline is the hearing's.
    /// </summary>
    public static Instant? CommonDeadlineOf(IReadOnlyList<PartyTaskRow> tasks) =>
        tasks.Count == 0 ? null : tasks.GroupBy(t => t.Deadline).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
}

/// <summary>The hearing's facts and counts, as the overview has them.</summary>
public sealed record HearingFacts(string? CaseNumber, string Owner, string Region, int Total, int Answered, int Overdue, int Late, int PendingExtensions, int Incidents);

/// <summary>A party's request for a longer deadline, waiting for staff; <paramref name="Wanted"/> is the date it asked for, in Danish.</summary>
public sealed record PendingExtension(Guid Id, string PartyId, string PartyName, string Reason, Instant RequestedAt, string? Wanted);

/// <summary>An answer the hearing could not take, kept for staff.</summary>
public sealed record HeldAnswer(Guid Id, string PartyId, string PartyName, Instant ReceivedAt, string Reason);

/// <summary>A party's mail that could not be delivered.</summary>
public sealed record BouncedMail(string PartyId, string PartyName, string Address, string Reason, Instant At);

public sealed record OpenIncident(string Message, Instant OccurredAt);
