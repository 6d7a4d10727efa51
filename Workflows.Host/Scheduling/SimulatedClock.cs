using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Persistence;
using Workflows.Definitions.Runtime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Scheduling;

/// <summary>
/// A clock that only moves when told to (<c>POST /api/clock/advance</c>), for previews, demos and tests. Its
/// instant is stored in the database: <c>ProcesFlow:Clock:Start</c> applies to a fresh database only, and a
/// restart continues from the last simulated instant.
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
}

/// <summary>Moves the simulated clock, firing every timer that falls due on the way, in due order.</summary>
public sealed class SimulatedTime(
    SimulatedClock clock,
    IWorkflowInstanceStore instances,
    WorkflowRuntime runtime,
    IDbContextFactory<ProcesFlowDbContext> contexts) : IDisposable
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
