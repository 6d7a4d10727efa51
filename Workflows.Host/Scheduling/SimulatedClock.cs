using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Persistence;
using Workflows.Definitions.Runtime;
using Workflows.Host.Hosting;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Scheduling;

/// <summary>
/// A clock that only moves when told to (<c>POST /api/clock/advance</c>), for previews, demos and tests. Its
/// instant is stored in the database: <c>ProcesFlow:Clock:Start</c> applies to a fresh database only, and a
/// restart continues from the last simulated instant. Several nodes on one PostgreSQL database share it: each follows
/// the stored instant (<see cref="StoredClockFollower"/>), and advances take turns across nodes (<see cref="SimulatedTime"/>).
/// </summary>
public sealed class SimulatedClock : IClock
{
    private readonly Lock gate = new();
    private Instant now;

    public Instant GetCurrentInstant()
    {
        lock (gate)
        {
            return now;
        }
    }

    internal void Set(Instant instant)
    {
        lock (gate)
        {
            now = instant;
        }
    }

    /// <summary>Moves to an instant another node stored, never back: this node may have moved on further itself.</summary>
    internal void Follow(Instant stored)
    {
        lock (gate)
        {
            if (stored > now)
            {
                now = stored;
            }
        }
    }
}

/// <summary>Moves the simulated clock, firing every timer that falls due on the way, in due order.</summary>
/// <remarks>
/// One advance at a time: in this process by a semaphore, across the nodes of one PostgreSQL database by a session
/// advisory lock held for the whole advance (<see cref="NodeLock"/>). The node that gets the lock first reads the stored instant, so an advance
/// on another node that finished a moment ago is never undone. Timers an advance fires may meanwhile be fired by
/// another node's sweep: each fires once all the same (the instance's revision decides; see
/// <see cref="WorkflowRuntime.FireTimerAsync"/>).
/// </remarks>
public sealed class SimulatedTime(
    SimulatedClock clock,
    IWorkflowInstanceStore instances,
    WorkflowRuntime runtime,
    IDbContextFactory<ProcesFlowDbContext> contexts,
    IOptions<DatabaseOptions> database,
    IBackgroundJobClient jobs) : IDisposable
{
    /// <summary>A guard against an activity that keeps asking for a timer that is already due.</summary>
    private const int MaxTimerRounds = 100_000;

    private readonly SemaphoreSlim oneAdvanceAtATime = new(1, 1);

    public Instant Now => clock.GetCurrentInstant();

    /// <summary>Loads the stored instant, or stores <paramref name="start"/> on a fresh database.</summary>
    public async Task InitializeAsync(Instant start, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Clock.FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            db.Clock.Add(new ClockRow { Id = 1, Now = start });
            await db.SaveChangesAsync(cancellationToken);
            clock.Set(start);
        }
        else
        {
            clock.Set(row.Now);
        }
    }

    /// <summary>
    /// Advances to <paramref name="target"/>. Returns only when every timer due by then has fired (and so every
    /// mail it caused is in the outbox). The clock never goes back.
    /// </summary>
    public async Task<Instant> AdvanceToAsync(Instant target, CancellationToken cancellationToken)
    {
        await oneAdvanceAtATime.WaitAsync(cancellationToken);
        try
        {
            // Across nodes: the stored instant is read once the turn is taken, so a finished advance elsewhere is never undone.
            await using var turn = await NodeLock.TakeAsync(contexts, database.Value.Provider, NodeLock.ClockAdvance, cancellationToken);
            if (database.Value.Provider == DatabaseProvider.PostgreSql)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                clock.Follow(await db.Clock.AsNoTracking().Where(c => c.Id == 1).Select(c => c.Now).SingleAsync(cancellationToken));
            }
            if (target < clock.GetCurrentInstant())
            {
                throw new ArgumentOutOfRangeException(nameof(target),
                    $"The simulated clock is at {InstantPattern.ExtendedIso.Format(clock.GetCurrentInstant())} and cannot go back to {InstantPattern.ExtendedIso.Format(target)}.");
            }
            for (var round = 0; round < MaxTimerRounds; round++)
            {
                var next = await instances.FindNextTimerAsync(cancellationToken);
                if (next is not { } due || due > target)
                {
                    await MoveToAsync(target, cancellationToken);
                    // Mail whose next attempt (or a dead node's claim) fell due on the way goes now, not at the next
                    // minute's outbox run: on the simulated clock nothing else schedules retries.
                    jobs.Enqueue<MailJobs>(j => j.SendAsync(CancellationToken.None));
                    return target;
                }
                if (due > clock.GetCurrentInstant())
                {
                    await MoveToAsync(due, cancellationToken);
                }
                await runtime.FireDueTimersAsync(cancellationToken);
            }
            throw new InvalidOperationException($"More than {MaxTimerRounds} rounds of timers before {InstantPattern.ExtendedIso.Format(target)}; a timer keeps falling due.");
        }
        finally
        {
            oneAdvanceAtATime.Release();
        }
    }

    public void Dispose() => oneAdvanceAtATime.Dispose();

    private async Task MoveToAsync(Instant instant, CancellationToken cancellationToken)
    {
        clock.Set(instant);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Clock.Where(c => c.Id == 1).ExecuteUpdateAsync(set => set.SetProperty(c => c.Now, instant), cancellationToken);
    }
}

/// <summary>
/// Keeps this node's simulated clock on the instant stored in the database, which any node may move (PostgreSQL with
/// several nodes; it does nothing otherwise). Polling a one-row table five times a second was chosen over LISTEN/NOTIFY:
/// it needs no dedicated connection, and it recovers by itself when the database restarts, where a notification sent
/// while this node was disconnected would be lost. Another node's advance is seen here within
/// <see cref="Interval"/>; the advancing node's own clock, and every timer it fires, move at once.
/// </summary>
public sealed class StoredClockFollower(
    SimulatedClock clock,
    IDbContextFactory<ProcesFlowDbContext> contexts,
    IOptions<ClockOptions> clockOptions,
    IOptions<DatabaseOptions> database,
    ILogger<StoredClockFollower> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (clockOptions.Value.Mode != ClockMode.Simulated || database.Value.Provider != DatabaseProvider.PostgreSql)
        {
            // The real clock needs no following, and a SQLite file has one process.
            return;
        }
        using var ticks = new PeriodicTimer(Interval);
        while (await ticks.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                if (await db.Clock.AsNoTracking().Where(c => c.Id == 1).Select(c => (Instant?)c.Now).SingleOrDefaultAsync(stoppingToken) is { } stored)
                {
                    clock.Follow(stored);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database is away for a moment (readiness reports that); the clock stays where it was until it is back.
                logger.LogDebug(exception, "Could not read the stored simulated clock");
            }
        }
    }
}
