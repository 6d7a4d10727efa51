using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Runtime;
using Workflows.Host.Answers;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Hearings;

/// <summary>
/// What the host reads about hearings: a party task by its link or id, and the hearing's typed state. The state is read
/// only through <see cref="HearingState"/>, never by its JSON keys.
/// </summary>
public sealed class HearingReader(IDbContextFactory<ProcesFlowDbContext> contexts, AnswerLinks links, IClock clock)
{
    /// <summary>The party task a personal link belongs to, and whether the link still works.</summary>
    public async Task<(PartyTaskRow? Task, bool Expired)> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is < 20 or > 500)
        {
            return (null, false);
        }
        PartyTaskRow? task;
        var expired = false;
        if (links.Read(token) is { } signed)
        {
            task = await FindTaskAsync(signed.PartyTaskId, cancellationToken);
            expired = signed.Expired;
        }
        else
        {
            task = await FindByLegacyTokenAsync(token, cancellationToken);
        }
        return task is null ? (null, false) : (task, expired || task.TokenExpiresAt <= clock.GetCurrentInstant());
    }

    public async Task<PartyTaskRow?> FindTaskAsync(Guid partyTaskId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PartyTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == partyTaskId, cancellationToken);
    }

    /// <summary>The party's task in the instance (the newest, when the party is in several of its hearings).</summary>
    public async Task<PartyTaskRow?> FindTaskAsync(Guid instanceId, string partyId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PartyTasks.AsNoTracking()
            .Where(t => t.InstanceId == instanceId && t.PartyId == partyId)
            .OrderByDescending(t => t.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The state of the hearing a party task belongs to (title, material, late policy, close time …).</summary>
    public Task<HearingState?> StateOfAsync(PartyTaskRow task, CancellationToken cancellationToken) => StateOfAsync(task.InstanceId, task.ActivityId, cancellationToken);

    public async Task<HearingState?> StateOfAsync(Guid instanceId, string activityId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var state = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => i.State).FirstOrDefaultAsync(cancellationToken);
        return state is null ? null : HearingState.Read(ExecutionStateJson.Deserialize(state).Activities.GetValueOrDefault(activityId));
    }

    /// <summary>
    /// The member of staff who started the instance, when a person did (a signed-in e-mail address; an API key's
    /// name is no contact a kommune could write to).
    /// </summary>
    public async Task<string?> StarterAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var started = nameof(JournalKind.InstanceStarted);
        var actor = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId && j.Kind == started).Select(j => j.Actor).FirstOrDefaultAsync(cancellationToken);
        return actor is not null && actor.Contains('@', StringComparison.Ordinal) ? actor : null;
    }

    /// <summary>The mails that could not be delivered, per party task, in the rounds <paramref name="activityIds"/> of an instance.</summary>
    public async Task<Dictionary<Guid, MailBounce>> BouncesAsync(Guid instanceId, IEnumerable<string> activityIds, CancellationToken cancellationToken)
    {
        var bounces = new Dictionary<Guid, MailBounce>();
        foreach (var activityId in activityIds.Distinct(StringComparer.Ordinal))
        {
            if (await StateOfAsync(instanceId, activityId, cancellationToken) is { } state)
            {
                foreach (var (partyTaskId, bounce) in state.Bounces)
                {
                    bounces[partyTaskId] = bounce;
                }
            }
        }
        return bounces;
    }

    public async Task<Guid?> AnswerByMessageIdAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Answers.AsNoTracking().Where(a => a.MessageId == messageId).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The answer, if the hearing took it (it is stored and not held).</summary>
    public async Task<AnswerRow?> CountedAnswerAsync(Guid answerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Answers.AsNoTracking().FirstOrDefaultAsync(a => a.Id == answerId && a.HeldReason == null, cancellationToken);
    }

    public async Task<bool> AnswerExistsAsync(Guid answerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Answers.AnyAsync(a => a.Id == answerId, cancellationToken);
    }

    public async Task<bool> IsFaultedAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var faulted = nameof(WorkflowStatus.Faulted);
        return await db.Instances.AnyAsync(i => i.Id == instanceId && i.Status == faulted, cancellationToken);
    }

    /// <summary>The hearings of an instance in which some party has not answered.</summary>
    public async Task<List<string>> HearingsWithOpenTasksAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PartyTasks.AsNoTracking().Where(t => t.InstanceId == instanceId && t.AnsweredAt == null)
            .Select(t => t.ActivityId).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>Links sent before links were signed: a random token whose SHA-256 is stored on the task.</summary>
    private async Task<PartyTaskRow?> FindByLegacyTokenAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.PartyTasks.AsNoTracking().FirstOrDefaultAsync(t => t.LegacyTokenHash == hash, cancellationToken);
        // The database found the row by an index on the hash; compare again in constant time all the same.
        return task?.LegacyTokenHash is { } stored && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(stored), Convert.FromHexString(hash)) ? task : null;
    }
}
