using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Persistence;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// The engine's front door: start instances, deliver signals, fire timers, cancel and retry. Every change
/// to an instance goes through <see cref="ChangeAsync{T}"/>: take the instance's lock, load, apply, save with
/// a revision check, and on a conflict with another node, reload and apply again.
/// </summary>
public sealed class WorkflowRuntime(
    IWorkflowDefinitionStore definitions,
    IWorkflowInstanceStore instances,
    DefinitionCatalog catalog,
    WorkflowRunner runner,
    InstanceLocks locks,
    IClock clock,
    PartyDirectory parties,
    DeadlineCalculator calendar)
{
    private const int MaxConflictRetries = 10;

    /// <summary>Due timers read at a time (earliest first) when firing all that are due.</summary>
    private const int DueTimerBatch = 200;

    /// <summary>
    /// Starts the published version of a definition. The instance is saved before its first step runs, so a
    /// crash during that step leaves an instance that recovery resumes, never a lost one.
    /// </summary>
    public async Task<WorkflowInstance> StartAsync(string definitionId, JsonObject? input, string actor, CancellationToken cancellationToken)
    {
        var stored = await definitions.FindPublishedAsync(definitionId, cancellationToken)
            ?? throw new WorkflowNotFoundException($"There is no published definition '{definitionId}'.");
        var definition = catalog.Get(stored);
        var now = clock.GetCurrentInstant();
        var errors = new List<ValidationError>();
        var prepared = definition.PrepareInput(input, new InputContext(parties, calendar, now), errors);
        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }

        var state = new ExecutionState { Variables = definition.InitialVariables() };
        state.Queue.Add(new WorkItem(definition.Root.Start.Id, null));
        var instance = new WorkflowInstance(
            Guid.CreateVersion7(), stored.DefinitionId, stored.Version,
            TextInput(prepared, "title") ?? definition.Name, TextInput(prepared, "caseNumber"), prepared, state, now);
        instance.Record(new JournalEntry(instance.Id, now, JournalKind.InstanceStarted, null,
            $"Forløbet '{instance.Name}' er startet ({definition.Name}, version {stored.Version}).", null, actor));
        await instances.SaveAsync(instance, cancellationToken);

        await RunAsync(instance.Id, cancellationToken);
        return await instances.FindAsync(instance.Id, cancellationToken) ?? instance;
    }

    /// <summary>
    /// Delivers a named signal. Every wait for that name resumes; if nothing waits yet, the signal is parked
    /// on the instance and consumed by the first wait for it.
    /// </summary>
    public Task<SignalOutcome> SignalAsync(Guid instanceId, string signal, JsonNode? payload, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, async (instance, definition) =>
        {
            var now = clock.GetCurrentInstant();
            if (instance.IsEnded)
            {
                return SignalOutcome.InstanceEnded;
            }
            var waiting = instance.Bookmarks.Where(b => !b.IsTimer && b.Name == signal).ToList();
            var data = JournalEntry.DataOf(payload);
            if (waiting.Count == 0 || instance.Status == WorkflowStatus.Faulted)
            {
                instance.State.ParkedSignals.Add(new ParkedSignal(signal, payload?.DeepClone(), NodaTime.Text.InstantPattern.ExtendedIso.Format(now)));
                instance.Record(new JournalEntry(instance.Id, now, JournalKind.SignalParked, null,
                    $"Signalet '{signal}' er modtaget og gemt, til forløbet venter på det.", data, actor));
                instance.Touch(now);
                return SignalOutcome.Parked;
            }
            await ResumeAsync(instance, definition, waiting, signal, payload, actor, cancellationToken);
            return SignalOutcome.Resumed;
        }, cancellationToken);

    /// <summary>
    /// Delivers a signal only if something waits for it now; otherwise nothing changes and
    /// <see cref="SignalOutcome.Parked"/> is returned without parking (for commands that must not linger).
    /// </summary>
    public Task<SignalOutcome> SignalIfWaitingAsync(Guid instanceId, string signal, JsonNode? payload, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, async (instance, definition) =>
        {
            if (instance.IsEnded)
            {
                return SignalOutcome.InstanceEnded;
            }
            var waiting = instance.Bookmarks.Where(b => !b.IsTimer && b.Name == signal).ToList();
            if (waiting.Count == 0 || instance.Status == WorkflowStatus.Faulted)
            {
                return SignalOutcome.Parked;
            }
            await ResumeAsync(instance, definition, waiting, signal, payload, actor, cancellationToken);
            return SignalOutcome.Resumed;
        }, cancellationToken);

    /// <summary>Fires one timer if it is still pending and due; a second call for the same timer does nothing.</summary>
    public Task<bool> FireTimerAsync(Guid instanceId, Guid bookmarkId, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, async (instance, definition) =>
        {
            var now = clock.GetCurrentInstant();
            var bookmark = instance.Bookmarks.FirstOrDefault(b => b.Id == bookmarkId);
            if (bookmark?.ResumeAt is not { } due || due > now || instance.IsEnded || instance.Status == WorkflowStatus.Faulted)
            {
                return false;
            }
            // The due time beside the firing time: the audit trail shows how late a timer fired, and the host measures it.
            instance.Record(new JournalEntry(instance.Id, now, JournalKind.TimerFired, bookmark.ActivityId,
                $"Tidspunktet for '{bookmark.Name}' er nået.", new JsonObject { ["dueAt"] = InstantPattern.ExtendedIso.Format(due) }.ToJsonString()));
            runner.Resume(instance, bookmark, null);
            await runner.RunAsync(instance, definition, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Fires every timer due now, earliest first, one after the other, and returns how many fired.</summary>
    public Task<int> FireDueTimersAsync(CancellationToken cancellationToken) => FireDueTimersAsync(1, cancellationToken);

    /// <summary>
    /// Fires every timer due now and returns how many fired: up to <paramref name="parallelism"/> instances at once,
    /// each instance's own timers one after the other in due order. With parallelism above one, timers of different
    /// instances may fire out of due order; the simulated clock and a rehearsal, which replay time, fire one at a time.
    /// </summary>
    public async Task<int> FireDueTimersAsync(int parallelism, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var fired = 0;
        while (true)
        {
            var due = await instances.FindDueTimersAsync(clock.GetCurrentInstant(), DueTimerBatch, cancellationToken);
            var firedInBatch = 0;
            // One at a time: strictly in due order across instances. In parallel: each instance's timers in one task.
            var work = parallelism == 1 ? due.Select(t => new[] { t }) : due.GroupBy(t => t.InstanceId).Select(g => g.ToArray());
            await Parallel.ForEachAsync(
                work,
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (timers, token) =>
                {
                    foreach (var timer in timers)
                    {
                        if (await FireTimerAsync(timer.InstanceId, timer.BookmarkId, token))
                        {
                            Interlocked.Increment(ref firedInBatch);
                        }
                    }
                });
            fired += firedInBatch;
            // A batch in which nothing fired holds only timers another node took: stop instead of spinning.
            if (due.Count < DueTimerBatch || firedInBatch == 0)
            {
                return fired;
            }
        }
    }

    /// <summary>Runs instances a crashed process left in <see cref="WorkflowStatus.Running"/>.</summary>
    public async Task<int> RecoverInterruptedAsync(Duration olderThan, CancellationToken cancellationToken)
    {
        var interrupted = await instances.FindInterruptedAsync(clock.GetCurrentInstant() - olderThan, cancellationToken);
        foreach (var instanceId in interrupted)
        {
            await ChangeAsync(instanceId, async (instance, definition) =>
            {
                if (instance.Status != WorkflowStatus.Running)
                {
                    return false;
                }
                instance.Record(new JournalEntry(instance.Id, clock.GetCurrentInstant(), JournalKind.InstanceRecovered, null,
                    "Forløbet fortsætter efter en afbrydelse."));
                await runner.RunAsync(instance, definition, cancellationToken);
                return true;
            }, cancellationToken);
        }
        return interrupted.Count;
    }

    public Task<bool> CancelAsync(Guid instanceId, string actor, string? reason, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, (instance, _) =>
        {
            if (instance.IsEnded)
            {
                return Task.FromResult(false);
            }
            runner.Cancel(instance, actor, reason);
            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>Tries a faulted instance's failed work again.</summary>
    public Task<bool> RetryAsync(Guid instanceId, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, async (instance, definition) =>
        {
            if (instance.Status != WorkflowStatus.Faulted)
            {
                return false;
            }
            runner.Retry(instance, actor);
            await runner.RunAsync(instance, definition, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Resumes every wait for <paramref name="signal"/>, journalled with who sent it, and runs on.</summary>
    private async Task ResumeAsync(
        WorkflowInstance instance, WorkflowDefinition definition, IReadOnlyList<Bookmark> waiting, string signal, JsonNode? payload, string actor,
        CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        foreach (var bookmark in waiting)
        {
            instance.Record(new JournalEntry(instance.Id, now, JournalKind.SignalReceived, bookmark.ActivityId,
                $"Signalet '{signal}' er modtaget.", JournalEntry.DataOf(payload), actor));
            runner.Resume(instance, bookmark, payload);
        }
        await runner.RunAsync(instance, definition, cancellationToken);
    }

    private Task<bool> RunAsync(Guid instanceId, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, async (instance, definition) =>
        {
            await runner.RunAsync(instance, definition, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Load, apply and save one instance as its only writer; retried on a concurrency conflict.</summary>
    private async Task<T> ChangeAsync<T>(Guid instanceId, Func<WorkflowInstance, WorkflowDefinition, Task<T>> change, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(instanceId, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var instance = await instances.FindAsync(instanceId, cancellationToken)
                ?? throw new WorkflowNotFoundException($"There is no workflow instance {instanceId}.");
            var definition = await catalog.GetAsync(instance.DefinitionId, instance.DefinitionVersion, cancellationToken);
            var result = await change(instance, definition);
            try
            {
                await instances.SaveAsync(instance, cancellationToken);
                return result;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                // Another node saved first; our change is applied again to its state.
            }
        }
    }

    private static string? TextInput(JsonObject input, string name) =>
        input[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}

public enum SignalOutcome
{
    /// <summary>One or more waits resumed.</summary>
    Resumed,

    /// <summary>Nothing waited for the signal yet; it is kept on the instance.</summary>
    Parked,

    /// <summary>The instance has finished or was cancelled; the signal is not kept.</summary>
    InstanceEnded,
}

/// <summary>A definition or instance that does not exist.</summary>
public sealed class WorkflowNotFoundException(string message) : Exception(message);
