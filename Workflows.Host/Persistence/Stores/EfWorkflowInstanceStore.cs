using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Definitions.Persistence;
using Workflows.Definitions.Runtime;
using Workflows.Host.Hosting;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Scheduling;

namespace Workflows.Host.Persistence.Stores;

/// <summary>
/// Instances on EF Core. A save is all or nothing: the instance row (guarded by its revision), its bookmarks,
/// its party tasks, and everything it recorded since the last save (journal, incidents, outbox mails, the answers its
/// hearings accepted with their files' records). On PostgreSQL each save is its own transaction; on SQLite saves that
/// arrive together share one transaction and one commit, each in its own savepoint (<see cref="SqliteGroupCommit"/>).
/// </summary>
internal sealed class EfWorkflowInstanceStore(
    IDbContextFactory<ProcesFlowDbContext> contexts,
    IEnumerable<IInstanceSaveObserver> observers,
    SqliteGroupCommit groupCommit,
    IOptions<DatabaseOptions> database,
    Operations.ProcesFlowMetrics metrics,
    ILogger<EfWorkflowInstanceStore> logger) : IWorkflowInstanceStore
{
    private static readonly string[] Live = [nameof(WorkflowStatus.Running), nameof(WorkflowStatus.Suspended)];

    public async Task<WorkflowInstance?> FindAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (row is null)
        {
            return null;
        }
        var bookmarks = await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == instanceId).OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
        var tasks = await db.PartyTasks.AsNoTracking().Where(t => t.InstanceId == instanceId).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        return WorkflowInstance.Restore(
            row.Id, row.DefinitionId, row.DefinitionVersion, row.Name, row.CorrelationId, Enum.Parse<WorkflowStatus>(row.Status), row.Revision,
            JsonNode.Parse(row.Input)!.AsObject(), ExecutionStateJson.Deserialize(row.State),
            bookmarks.Select(b => new Bookmark(b.Id, b.InstanceId, b.ActivityId, b.Name, b.ResumeAt,
                b.Payload is null ? null : JsonNode.Parse(b.Payload)!.AsObject(), b.CreatedAt)),
            tasks.Select(t => PartyTask.Restore(
                t.Id, t.InstanceId, t.ActivityId, t.PartyId, t.PartyName, JsonSerializer.Deserialize<List<string>>(t.Contacts) ?? [],
                Enum.Parse<PartyTaskStatus>(t.Status), t.Deadline, t.LegacyTokenHash, t.TokenExpiresAt, t.CreatedAt,
                t.RemindersSent, t.LastRemindedAt, t.RykkereSent, t.AnsweredAt, t.Decision)),
            row.CreatedAt, row.UpdatedAt, row.FinishedAt);
    }

    public async Task SaveAsync(WorkflowInstance instance, CancellationToken cancellationToken)
    {
        HashSet<Guid> timerIdsBefore;
        if (database.Value.Provider == DatabaseProvider.Sqlite)
        {
            timerIdsBefore = await groupCommit.WriteAsync(db => WriteAsync(db, instance, CancellationToken.None), cancellationToken);
        }
        else
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            timerIdsBefore = await WriteAsync(db, instance, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var saved = new InstanceSaved(
            instance.Bookmarks.Where(b => b.IsTimer && !timerIdsBefore.Contains(b.Id)).ToList(),
            instance.NewJournalEntries.ToList(), instance.NewAnswers.ToList(), instance.NewEmails.Count > 0);
        instance.MarkSaved(instance.Revision + 1);
        foreach (var observer in observers)
        {
            observer.Saved(instance, saved);
        }
    }

    /// <summary>
    /// Writes one save inside the caller's transaction: the instance row first, guarded by its revision (so a conflict
    /// is found before anything else is written), then its bookmarks, party tasks, answers, journal, incidents and
    /// outbox rows. Returns the timers that were already stored.
    /// </summary>
    private async Task<HashSet<Guid>> WriteAsync(ProcesFlowDbContext db, WorkflowInstance instance, CancellationToken cancellationToken)
    {
        var revision = instance.Revision + 1;
        var status = instance.Status.ToString();
        var state = ExecutionStateJson.Serialize(instance.State);
        if (instance.Revision == 0)
        {
            db.Instances.Add(new InstanceRow
            {
                Id = instance.Id,
                DefinitionId = instance.DefinitionId,
                DefinitionVersion = instance.DefinitionVersion,
                Name = instance.Name,
                CorrelationId = instance.CorrelationId,
                Status = status,
                Revision = revision,
                Input = instance.Input.ToJsonString(),
                State = state,
                CreatedAt = instance.CreatedAt,
                UpdatedAt = instance.UpdatedAt,
                FinishedAt = instance.FinishedAt,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            var updated = await db.Instances
                .Where(i => i.Id == instance.Id && i.Revision == instance.Revision)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(i => i.Status, status)
                    .SetProperty(i => i.Revision, revision)
                    .SetProperty(i => i.State, state)
                    .SetProperty(i => i.Name, instance.Name)
                    .SetProperty(i => i.UpdatedAt, instance.UpdatedAt)
                    .SetProperty(i => i.FinishedAt, instance.FinishedAt), cancellationToken);
            if (updated == 0)
            {
                // Counted and logged: how often nodes collide on one instance is what decides whether the revision
                // check suffices or a lock across nodes is needed (README, "Running on PostgreSQL with several nodes").
                metrics.ConcurrencyConflict();
                logger.LogInformation("Concurrency conflict on instance {InstanceId} at revision {Revision}: another writer saved first", instance.Id, instance.Revision);
                throw new ConcurrencyConflictException(instance.Id);
            }
        }

        var timerIdsBefore = await SaveBookmarksAsync(db, instance, cancellationToken);
        await SavePartyTasksAsync(db, instance, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await SaveAnswersAsync(db, instance, cancellationToken);
        db.Journal.AddRange(instance.NewJournalEntries.Select(j => new JournalRow
        {
            InstanceId = j.InstanceId,
            At = j.At,
            Kind = j.Kind.ToString(),
            ActivityId = j.ActivityId,
            Message = j.Message,
            Data = j.Data,
            Actor = j.Actor,
        }));
        db.Incidents.AddRange(instance.NewIncidents.Select(i => new IncidentRow
        {
            Id = i.Id,
            InstanceId = i.InstanceId,
            ActivityId = i.ActivityId,
            ActivityType = i.ActivityType,
            Message = i.Message,
            Attempt = i.Attempt,
            OccurredAt = i.OccurredAt,
            RetryAt = i.RetryAt,
        }));
        db.Outbox.AddRange(instance.NewEmails.Select(m => new OutboxRow
        {
            Id = m.Id,
            InstanceId = m.InstanceId,
            ActivityId = m.ActivityId,
            To = JsonSerializer.Serialize(m.To),
            Subject = m.Subject,
            TextBody = m.TextBody,
            HtmlBody = m.HtmlBody,
            Template = m.Template,
            Model = m.Model?.ToJsonString(),
            PartyTaskId = m.PartyTaskId,
            Status = OutboxStatus.Pending,
            QueuedAt = m.QueuedAt,
            NextAttemptAt = m.QueuedAt,
        }));
        await db.SaveChangesAsync(cancellationToken);
        return timerIdsBefore;
    }

    /// <summary>
    /// A bookmark never changes once made (a wait asked for again keeps its bookmark and id), so a save deletes the
    /// bookmarks that are gone and adds the new ones; the others, most of a hearing's 29 parties' waits, stay as they
    /// are. Returns the timers that were already stored, whose jobs are scheduled already.
    /// </summary>
    private static async Task<HashSet<Guid>> SaveBookmarksAsync(ProcesFlowDbContext db, WorkflowInstance instance, CancellationToken cancellationToken)
    {
        var stored = instance.Revision == 0
            ? []
            : await db.Bookmarks.Where(b => b.InstanceId == instance.Id).Select(b => new { b.Id, IsTimer = b.ResumeAt != null }).ToListAsync(cancellationToken);
        var current = instance.Bookmarks.Select(b => b.Id).ToHashSet();
        var gone = stored.Where(b => !current.Contains(b.Id)).Select(b => b.Id).ToList();
        if (gone.Count > 0)
        {
            await db.Bookmarks.Where(b => gone.Contains(b.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        var storedIds = stored.Select(b => b.Id).ToHashSet();
        db.Bookmarks.AddRange(instance.Bookmarks.Where(b => !storedIds.Contains(b.Id)).Select(b => new BookmarkRow
        {
            Id = b.Id,
            InstanceId = b.InstanceId,
            ActivityId = b.ActivityId,
            Name = b.Name,
            ResumeAt = b.ResumeAt,
            Payload = b.Payload?.ToJsonString(),
            CreatedAt = b.CreatedAt,
        }));
        return stored.Where(b => b.IsTimer).Select(b => b.Id).ToHashSet();
    }

    /// <summary>
    /// Party tasks are updated in place, never deleted and re-inserted: answers and attachments refer to them.
    /// </summary>
    private static async Task SavePartyTasksAsync(ProcesFlowDbContext db, WorkflowInstance instance, CancellationToken cancellationToken)
    {
        if (instance.PartyTasks.Count == 0)
        {
            return;
        }
        var existing = await db.PartyTasks.Where(t => t.InstanceId == instance.Id).ToDictionaryAsync(t => t.Id, cancellationToken);
        foreach (var task in instance.PartyTasks)
        {
            if (!existing.TryGetValue(task.Id, out var row))
            {
                row = new PartyTaskRow
                {
                    Id = task.Id,
                    InstanceId = task.InstanceId,
                    ActivityId = task.ActivityId,
                    PartyId = task.PartyId,
                    PartyName = task.PartyName,
                    Contacts = "[]",
                    Status = "",
                    LegacyTokenHash = task.LegacyTokenHash,
                    CreatedAt = task.CreatedAt,
                };
                db.PartyTasks.Add(row);
            }
            row.Contacts = JsonSerializer.Serialize(task.Contacts);
            row.Status = task.Status.ToString();
            row.Deadline = task.Deadline;
            row.TokenExpiresAt = task.TokenExpiresAt;
            row.RemindersSent = task.RemindersSent;
            row.LastRemindedAt = task.LastRemindedAt;
            row.RykkereSent = task.RykkereSent;
            row.AnsweredAt = task.AnsweredAt;
            row.Decision = task.Decision;
        }
    }

    /// <summary>
    /// The answers the hearings accepted, with their files' records; each becomes its party's current answer and the
    /// earlier ones are marked replaced by it, in the same transaction as the hearing's change.
    /// </summary>
    private static async Task SaveAnswersAsync(ProcesFlowDbContext db, WorkflowInstance instance, CancellationToken cancellationToken)
    {
        foreach (var answer in instance.NewAnswers)
        {
            await db.Answers
                .Where(a => a.PartyTaskId == answer.PartyTaskId && a.HeldReason == null && a.ReplacedBy == null)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.ReplacedBy, answer.Id), cancellationToken);
            db.Answers.Add(AnswerRow.From(answer, instance.Id));
            db.Attachments.AddRange(answer.Attachments.Select(f => AttachmentRow.From(f, answer.Id)));
            // Added one by one: a later answer in the same save replaces this one.
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<DueTimer>> FindDueTimersAsync(Instant now, int max, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (
                from b in db.Bookmarks
                join i in db.Instances on b.InstanceId equals i.Id
                where b.ResumeAt != null && b.ResumeAt <= now && Live.Contains(i.Status)
                orderby b.ResumeAt
                select new DueTimer(b.InstanceId, b.Id, b.ResumeAt!.Value))
            .Take(max)
            .ToListAsync(cancellationToken);
    }

    public async Task<Instant?> FindNextTimerAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (
                from b in db.Bookmarks
                join i in db.Instances on b.InstanceId equals i.Id
                where b.ResumeAt != null && Live.Contains(i.Status)
                orderby b.ResumeAt
                select b.ResumeAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> FindInterruptedAsync(Instant updatedBefore, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var running = nameof(WorkflowStatus.Running);
        return await db.Instances
            .Where(i => i.Status == running && i.UpdatedAt <= updatedBefore)
            .OrderBy(i => i.UpdatedAt)
            .Select(i => i.Id)
            .ToListAsync(cancellationToken);
    }
}
