using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Meetings;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Persistence.InMemory;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Rehearsal;

/// <summary>
/// Prøvekørsel: runs a draft from start to end on its own clock, in memory, with made-up answers, and tells what would
/// happen when: who gets which mail, who answers, what the journal says. Nothing is saved and nothing is sent: the
/// sandbox has its own stores and its own clock, and the real engine never sees it.
/// </summary>
/// <remarks>
/// In every round (a hearing or an approval), the first <see cref="RehearsalScript.OnTime"/> parties in the order they
/// were named answer halfway to their deadline, the next <see cref="RehearsalScript.Late"/> a day after it (an approval
/// round's parties approve); the rest never answer. Time then runs to each timer in turn until the flow ends, or waits
/// for something only a person can do (a decision, a task), or <see cref="MaxSpan"/> has passed.
/// </remarks>
public sealed class DraftRehearsal(ActivityRegistry registry, DeadlineCalculator calendar, PartyDirectory parties, MeetingCalendars meetings)
{
    /// <summary>How far a rehearsal runs at most on its clock.</summary>
    public static readonly Duration MaxSpan = Duration.FromDays(2 * 366);

    /// <summary>How many timers and answers a rehearsal takes at most: a flow that loops on timers stops here.</summary>
    public const int MaxSteps = 5_000;

    /// <summary>Runs <paramref name="document"/> (a definition, draft or not) with <paramref name="input"/> from <paramref name="start"/>.</summary>
    /// <exception cref="ValidationException">The definition or the input is not valid; the errors name their paths.</exception>
    public async Task<RehearsalResult> RunAsync(JsonNode document, JsonObject? input, Instant start, RehearsalScript script, CancellationToken cancellationToken)
    {
        var clock = new RehearsalClock(start);
        var definitions = new InMemoryWorkflowDefinitionStore();
        var instances = new InMemoryWorkflowInstanceStore();
        var parser = new DefinitionParser(registry);
        var stored = await new DefinitionManager(definitions, parser, clock).SaveAndPublishAsync(document, cancellationToken);
        var runtime = new WorkflowRuntime(definitions, instances, new DefinitionCatalog(definitions, parser),
            new WorkflowRunner(clock, calendar, parties, RetryPolicy.None, meetings), new InstanceLocks(), clock, parties, calendar);

        var id = (await runtime.StartAsync(stored.DefinitionId, input, "prøvekørsel", cancellationToken)).Id;
        var events = new List<RehearsalEvent>();
        var seen = (Mails: 0, Journal: 0);
        var planned = new List<(Instant At, PartyTask Task, string? Decision)>();
        var scripted = new HashSet<string>(StringComparer.Ordinal);
        var steps = 0;
        while (true)
        {
            seen = Collect(instances, events, seen);
            var instance = (await instances.FindAsync(id, cancellationToken))!;
            Plan(instance, script, scripted, planned);
            var nextTimer = await instances.FindNextTimerAsync(cancellationToken);
            var nextAnswer = planned.Count == 0 ? (Instant?)null : planned.Min(p => p.At);
            if (instance.IsEnded || instance.Status == WorkflowStatus.Faulted || (nextTimer ?? nextAnswer) is null || ++steps > MaxSteps)
            {
                return Result(instance, events, stopped: steps > MaxSteps);
            }
            var at = Instant.Min(nextTimer ?? Instant.MaxValue, nextAnswer ?? Instant.MaxValue);
            if (at > start + MaxSpan)
            {
                return Result(instance, events, stopped: true);
            }
            clock.MoveTo(at);
            if (nextAnswer == at)
            {
                var due = planned.Where(p => p.At == at).ToList();
                planned.RemoveAll(p => p.At == at);
                foreach (var (when, task, decision) in due)
                {
                    var answer = new PartyAnswer(Guid.CreateVersion7(), task.Id, when, "web", decision is null ? "(Prøvekørsel: et opdigtet høringssvar.)" : null,
                        false, decision, task.PartyName, null, []);
                    var stimulus = new AnswerReceived(answer, null) { Actor = "prøvekørsel" };
                    var taken = await runtime.SignalIfWaitingAsync(id, stimulus.SignalFor(task.ActivityId), stimulus.ToPayload(), stimulus.Actor, cancellationToken);
                    events.Add(new RehearsalEvent(when, RehearsalEventKind.Answer, task.ActivityId, task.PartyId, [], null, null,
                        $"{task.PartyName} svarer{(when > task.Deadline ? " for sent" : "")} (opdigtet)"
                        + (taken == SignalOutcome.Resumed ? "." : "; runden var lukket, så svaret ville blive gemt til behandling og ikke talt med.")));
                }
            }
            else
            {
                await runtime.FireDueTimersAsync(cancellationToken);
            }
        }
    }

    /// <summary>The made-up answers of each round that has been sent since the last look.</summary>
    private static void Plan(WorkflowInstance instance, RehearsalScript script, HashSet<string> scripted, List<(Instant, PartyTask, string?)> planned)
    {
        foreach (var round in instance.PartyTasks.GroupBy(t => t.ActivityId).Where(g => !scripted.Contains(g.Key)).ToList())
        {
            scripted.Add(round.Key);
            var state = HearingState.Read(instance.State.Activities.GetValueOrDefault(round.Key));
            var order = state?.Parties ?? [];
            var tasks = round.OrderBy(t => order.IndexOf(t.Id)).ToList();
            var decision = state?.AsksForDecision == true ? "approved" : null;
            foreach (var task in tasks.Take(script.OnTime))
            {
                planned.Add((task.CreatedAt + (task.Deadline - task.CreatedAt) / 2, task, decision));
            }
            foreach (var task in tasks.Skip(script.OnTime).Take(script.Late))
            {
                planned.Add((task.Deadline + Duration.FromDays(1), task, decision));
            }
        }
    }

    /// <summary>What the sandbox recorded since the last look: the mails queued and the journal's own lines.</summary>
    private static (int Mails, int Journal) Collect(InMemoryWorkflowInstanceStore instances, List<RehearsalEvent> events, (int Mails, int Journal) seen)
    {
        foreach (var mail in instances.Outbox.Skip(seen.Mails))
        {
            events.Add(new RehearsalEvent(mail.QueuedAt, RehearsalEventKind.Mail, mail.ActivityId, mail.Model?["partyId"]?.GetValue<string>(), mail.To, mail.Template, mail.Model, mail.Subject));
        }
        foreach (var line in instances.Journal.Skip(seen.Journal).Where(j => j.Kind is JournalKind.ActivityNote or JournalKind.ActivityCompleted or JournalKind.InstanceFinished or JournalKind.InstanceFaulted))
        {
            events.Add(new RehearsalEvent(line.At, RehearsalEventKind.Journal, line.ActivityId, null, [], null, null, line.Message));
        }
        return (instances.Outbox.Count, instances.Journal.Count);
    }

    private static RehearsalResult Result(WorkflowInstance instance, List<RehearsalEvent> events, bool stopped) => new(
        instance.Status.ToString(),
        stopped,
        instance.Bookmarks.Where(b => !b.IsTimer).Select(b => b.ActivityId).Distinct().ToList(),
        events.OrderBy(e => e.At).ThenBy(e => e.Kind).ToList());

    /// <summary>The sandbox's clock: it moves only when the rehearsal moves it.</summary>
    private sealed class RehearsalClock(Instant start) : IClock
    {
        private Instant now = start;

        public Instant GetCurrentInstant() => now;

        public void MoveTo(Instant at) => now = Instant.Max(now, at);
    }
}

/// <summary>How the made-up parties behave in every round: how many answer on time, how many late.</summary>
public sealed record RehearsalScript(int OnTime, int Late);

public enum RehearsalEventKind
{
    Answer,
    Mail,
    Journal,
}

/// <summary>
/// One thing that would happen. For a mail: its recipients, template and model (the host renders its words); for the
/// others, <see cref="Text"/> says it in Danish.
/// </summary>
public sealed record RehearsalEvent(
    Instant At, RehearsalEventKind Kind, string? ActivityId, string? PartyId, IReadOnlyList<string> To, string? Template, JsonObject? Model, string? Text);

/// <summary>How the rehearsal ended: the instance's status, whether it was stopped (too long, too many steps), and what it still waits for.</summary>
public sealed record RehearsalResult(string Status, bool Stopped, IReadOnlyList<string> WaitingFor, IReadOnlyList<RehearsalEvent> Events);
