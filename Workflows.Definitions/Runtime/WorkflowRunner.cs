using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Meetings;
using Workflows.Definitions.Parties;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// Executes an instance's scheduled work in memory until it waits, finishes or faults. It does not load or
/// save: <see cref="WorkflowRuntime"/> does, under the instance's lock, so one writer runs an instance at a time.
/// </summary>
public sealed class WorkflowRunner(
    IClock clock, DeadlineCalculator calendar, PartyDirectory parties, RetryPolicy retryPolicy, MeetingCalendars? meetings = null)
{
    private readonly MeetingCalendars meetings = meetings ?? MeetingCalendars.LoadReference();

    /// <summary>A guard against a definition that loops without waiting (validation rejects those it can see).</summary>
    public const int MaxStepsPerRun = 10_000;

    /// <summary>The bookmark name the engine uses to wake an activity for its next attempt.</summary>
    internal const string RetryBookmark = "engine:retry";

    /// <summary>Schedules the resumption of <paramref name="bookmark"/>; run the instance afterwards.</summary>
    public void Resume(WorkflowInstance instance, Bookmark bookmark, JsonNode? payload)
    {
        var now = clock.GetCurrentInstant();
        instance.Bookmarks.Remove(bookmark);
        if (bookmark.Name == RetryBookmark)
        {
            var retry = RetryItemFrom(bookmark);
            instance.State.Queue.Add(retry);
            Journal(instance, now, JournalKind.InstanceRetried, bookmark.ActivityId, $"Nyt forsøg nr. {retry.Attempt + 1}");
        }
        else
        {
            instance.State.Queue.Add(new WorkItem(bookmark.ActivityId, null, new Resumption(bookmark.Name, payload?.DeepClone(), bookmark.IsTimer)));
        }
        instance.SetStatus(WorkflowStatus.Running, now);
    }

    /// <summary>Runs the queued work until the instance waits, ends or faults.</summary>
    public async Task RunAsync(WorkflowInstance instance, WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        var steps = 0;
        while (instance.State.Queue.Count > 0 && instance.Status == WorkflowStatus.Running)
        {
            if (++steps > MaxStepsPerRun)
            {
                var item = instance.State.Queue[0];
                Fault(instance, definition.Root.Find(item.ActivityId), item,
                    $"More than {MaxStepsPerRun} steps without waiting; the flow seems to loop forever.", clock.GetCurrentInstant());
                break;
            }
            var next = instance.State.Queue[0];
            instance.State.Queue.RemoveAt(0);
            await ExecuteAsync(instance, definition, next, cancellationToken);
        }
        Settle(instance, definition);
    }

    /// <summary>Cancels the instance: every wait and scheduled step is dropped.</summary>
    public void Cancel(WorkflowInstance instance, string actor, string? reason)
    {
        var now = clock.GetCurrentInstant();
        ClearAll(instance);
        instance.SetStatus(WorkflowStatus.Cancelled, now);
        instance.Record(new JournalEntry(instance.Id, now, JournalKind.InstanceCancelled, null,
            reason is null ? "Forløbet er annulleret." : $"Forløbet er annulleret: {reason}", null, actor));
    }

    /// <summary>Puts failed work back in the queue (an operator's retry of a faulted instance).</summary>
    public void Retry(WorkflowInstance instance, string actor)
    {
        var now = clock.GetCurrentInstant();
        foreach (var failed in instance.State.Failed)
        {
            instance.State.Queue.Add(failed with { Attempt = 0 });
        }
        instance.State.Failed.Clear();
        instance.SetStatus(WorkflowStatus.Running, now);
        instance.Record(new JournalEntry(instance.Id, now, JournalKind.InstanceRetried, null, "Forløbet forsøges igen.", null, actor));
    }

    private async Task ExecuteAsync(WorkflowInstance instance, WorkflowDefinition definition, WorkItem item, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var activity = definition.Root.Find(item.ActivityId);
        if (activity is null)
        {
            Fault(instance, null, item, $"The definition has no activity '{item.ActivityId}'.", now);
            return;
        }

        // Keep copies so a failed step leaves no trace in variables or the activity's own state.
        var variablesBefore = instance.State.Variables.DeepClone().AsObject();
        var activityState = instance.State.Activities.TryGetValue(activity.Id, out var existing) ? existing : [];
        var activityStateBefore = activityState.DeepClone().AsObject();
        var emails = new List<OutgoingEmail>();
        var journal = new List<JournalEntry>();
        var answers = new List<PartyAnswer>();
        var context = new ActivityContext(instance, activity.Id, activity.Type, now, calendar, parties, meetings, activityState, item.Arrival, item.Resumption,
            definition.Root.InboundCount(activity.Id), emails, journal, answers);

        ActivityResult result;
        try
        {
            result = await activity.Activity.ExecuteAsync(context, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Restore(instance.State.Variables, variablesBefore);
            if (existing is not null)
            {
                instance.State.Activities[activity.Id] = activityStateBefore;
            }
            // A failed resumption gives up the activity's waits; the retry (or an operator's) asks for them again.
            DropWaits(instance, activity, item);
            Fail(instance, activity, item, exception, now);
            return;
        }

        Journal(instance, now, item.Resumption is null ? JournalKind.ActivityStarted : JournalKind.ActivityResumed, activity.Id,
            item.Resumption is null ? $"{Label(activity)} startet" : $"{Label(activity)} genoptaget ({item.Resumption.BookmarkName})");
        foreach (var entry in journal)
        {
            instance.Record(entry);
        }
        foreach (var answer in answers)
        {
            instance.Record(answer);
        }
        foreach (var email in emails)
        {
            instance.Record(email);
            Journal(instance, now, JournalKind.MailQueued, activity.Id, $"E-mail i udbakken til {string.Join(", ", email.To)}: {email.Subject}");
        }
        if (activityState.Count > 0)
        {
            instance.State.Activities[activity.Id] = activityState;
        }
        else
        {
            instance.State.Activities.Remove(activity.Id);
        }

        switch (result)
        {
            case ActivityResult.Completed completed:
                Complete(instance, definition, activity, completed, now);
                break;
            case ActivityResult.Suspended suspended:
                Suspend(instance, activity, suspended, now);
                break;
            case ActivityResult.Pending:
                DropWaits(instance, activity, item);
                if (!instance.State.Pending.Contains(activity.Id))
                {
                    instance.State.Pending.Add(activity.Id);
                }
                break;
            case ActivityResult.FinishWorkflow:
                ClearAll(instance);
                instance.SetStatus(WorkflowStatus.Finished, now);
                Journal(instance, now, JournalKind.InstanceFinished, activity.Id, "Forløbet er afsluttet.");
                break;
        }
    }

    private static void Complete(WorkflowInstance instance, WorkflowDefinition definition, FlowActivity activity, ActivityResult.Completed completed, Instant now)
    {
        instance.Bookmarks.RemoveAll(b => b.ActivityId == activity.Id);
        instance.State.Pending.Remove(activity.Id);
        Journal(instance, now, JournalKind.ActivityCompleted, activity.Id,
            $"{Label(activity)} afsluttet{(completed.Outcomes.Count == 0 ? "" : $" ({string.Join(", ", completed.Outcomes)})")}");

        if (completed.CancelUpstreamBranches)
        {
            CancelBranches(instance, definition.Root.AncestorsOf(activity.Id), now);
        }
        foreach (var outcome in completed.Outcomes)
        {
            foreach (var connection in definition.Root.From(activity.Id, outcome))
            {
                instance.State.Queue.Add(new WorkItem(connection.Target.Activity, new Arrival(activity.Id, outcome)));
            }
        }
    }

    private void Suspend(WorkflowInstance instance, FlowActivity activity, ActivityResult.Suspended suspended, Instant now)
    {
        var requested = suspended.Bookmarks.DistinctBy(b => b.Name).ToList();
        // Keep a bookmark that is asked for again unchanged, so its id (and any job scheduled for it) stays valid.
        instance.Bookmarks.RemoveAll(b => b.ActivityId == activity.Id
            && !requested.Any(r => r.Name == b.Name && r.ResumeAt == b.ResumeAt));
        foreach (var request in requested)
        {
            if (!instance.Bookmarks.Any(b => b.ActivityId == activity.Id && b.Name == request.Name))
            {
                instance.Bookmarks.Add(new Bookmark(Guid.CreateVersion7(), instance.Id, activity.Id, request.Name, request.ResumeAt, request.Payload, now));
            }
        }
        Journal(instance, now, JournalKind.ActivityWaiting, activity.Id, $"{Label(activity)} venter på {Describe(requested)}");

        // A signal that arrived before anyone waited for it resumes the wait now.
        foreach (var request in requested.Where(r => r.ResumeAt is null))
        {
            var parked = instance.State.ParkedSignals.FirstOrDefault(p => p.Name == request.Name);
            if (parked is not null)
            {
                instance.State.ParkedSignals.Remove(parked);
                instance.State.Queue.Add(new WorkItem(activity.Id, null, new Resumption(parked.Name, parked.Payload, IsTimer: false)));
                Journal(instance, now, JournalKind.SignalReceived, activity.Id, $"Signalet '{parked.Name}' (modtaget tidligere) genoptager {Label(activity)}");
                break;
            }
        }
    }

    /// <summary>
    /// A resumed activity that does not wait again gives up its other waits. One that waits again keeps those it asks
    /// for anew (see <see cref="Suspend"/>), so a timer still wanted keeps its id and its one scheduled job.
    /// </summary>
    private static void DropWaits(WorkflowInstance instance, FlowActivity activity, WorkItem item)
    {
        if (item.Resumption is not null)
        {
            instance.Bookmarks.RemoveAll(b => b.ActivityId == activity.Id);
        }
    }

    private static void CancelBranches(WorkflowInstance instance, IReadOnlySet<string> activityIds, Instant now)
    {
        var cancelled = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var bookmark in instance.Bookmarks.Where(b => activityIds.Contains(b.ActivityId)).ToList())
        {
            instance.Bookmarks.Remove(bookmark);
            cancelled.Add(bookmark.ActivityId);
        }
        foreach (var item in instance.State.Queue.Where(i => activityIds.Contains(i.ActivityId)).ToList())
        {
            instance.State.Queue.Remove(item);
            cancelled.Add(item.ActivityId);
        }
        foreach (var pending in instance.State.Pending.Where(activityIds.Contains).ToList())
        {
            instance.State.Pending.Remove(pending);
            instance.State.Activities.Remove(pending);
            cancelled.Add(pending);
        }
        foreach (var activityId in cancelled)
        {
            Journal(instance, now, JournalKind.ActivityCancelled, activityId, "Grenen er annulleret, fordi en sammenføjning er nået.");
        }
    }

    private void Fail(WorkflowInstance instance, FlowActivity activity, WorkItem item, Exception exception, Instant now)
    {
        // A wrong property value fails the same way every time: no retry, straight to an incident.
        var deterministic = exception is ActivityPropertyException or Expressions.ExpressionException;
        var delay = deterministic ? null : retryPolicy.DelayAfter(item.Attempt);
        var message = exception switch
        {
            // A property error names the property by its JSON path in the definition.
            ActivityPropertyException property when !property.Path.StartsWith('$') => $"{activity.Path}.{property.Message}",
            ActivityPropertyException property => property.Message,
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };
        var retryAt = delay is { } d ? now + d : (Instant?)null;
        instance.Record(new Incident(Guid.CreateVersion7(), instance.Id, activity.Id, activity.Type, message, item.Attempt + 1, now, retryAt));
        Journal(instance, now, JournalKind.ActivityFailed, activity.Id, $"{Label(activity)} fejlede (forsøg {item.Attempt + 1}): {message}");

        if (retryAt is { } at)
        {
            instance.Bookmarks.RemoveAll(b => b.ActivityId == activity.Id && b.Name == RetryBookmark);
            instance.Bookmarks.Add(new Bookmark(Guid.CreateVersion7(), instance.Id, activity.Id, RetryBookmark, at, RetryPayload(item), now));
        }
        else
        {
            Fault(instance, activity, item, message, now, incidentRecorded: true);
        }
    }

    private static void Fault(WorkflowInstance instance, FlowActivity? activity, WorkItem item, string message, Instant now, bool incidentRecorded = false)
    {
        if (!incidentRecorded)
        {
            instance.Record(new Incident(Guid.CreateVersion7(), instance.Id, item.ActivityId, activity?.Type ?? "?", message, item.Attempt + 1, now, null));
        }
        instance.State.Failed.Add(item);
        instance.SetStatus(WorkflowStatus.Faulted, now);
        Journal(instance, now, JournalKind.InstanceFaulted, item.ActivityId, $"Forløbet er standset med en fejl: {message}");
    }

    private void Settle(WorkflowInstance instance, WorkflowDefinition definition)
    {
        if (instance.Status != WorkflowStatus.Running || instance.State.Queue.Count > 0)
        {
            return;
        }
        var now = clock.GetCurrentInstant();
        if (instance.Bookmarks.Count > 0)
        {
            instance.SetStatus(WorkflowStatus.Suspended, now);
            return;
        }
        if (instance.State.Pending.Count > 0)
        {
            // Nothing is left that could bring the missing branches: say so rather than wait forever.
            var join = instance.State.Pending[0];
            Fault(instance, definition.Root.Find(join), new WorkItem(join, null),
                $"'{join}' waits for branches that can no longer arrive (nothing else is running or waiting).", now);
            return;
        }
        instance.SetStatus(WorkflowStatus.Finished, now);
        Journal(instance, now, JournalKind.InstanceFinished, null, "Forløbet er afsluttet.");
    }

    private static void ClearAll(WorkflowInstance instance)
    {
        instance.Bookmarks.Clear();
        instance.State.Queue.Clear();
        instance.State.Pending.Clear();
    }

    private static void Restore(JsonObject target, JsonObject snapshot)
    {
        target.Clear();
        foreach (var (key, value) in snapshot.ToList())
        {
            snapshot.Remove(key);
            target[key] = value;
        }
    }

    private static JsonObject RetryPayload(WorkItem item) => new()
    {
        ["activityId"] = item.ActivityId,
        ["arrival"] = item.Arrival is null ? null : new JsonObject { ["from"] = item.Arrival.FromActivityId, ["port"] = item.Arrival.FromPort },
        ["resumption"] = item.Resumption is null ? null : new JsonObject
        {
            ["bookmark"] = item.Resumption.BookmarkName,
            ["payload"] = item.Resumption.Payload?.DeepClone(),
            ["isTimer"] = item.Resumption.IsTimer,
        },
        ["attempt"] = item.Attempt + 1,
    };

    private static WorkItem RetryItemFrom(Bookmark bookmark)
    {
        var payload = bookmark.Payload ?? [];
        var arrival = payload["arrival"] is JsonObject a ? new Arrival(a["from"]!.GetValue<string>(), a["port"]!.GetValue<string>()) : null;
        var resumption = payload["resumption"] is JsonObject r
            ? new Resumption(r["bookmark"]!.GetValue<string>(), r["payload"]?.DeepClone(), r["isTimer"]!.GetValue<bool>())
            : null;
        return new WorkItem(bookmark.ActivityId, arrival, resumption, payload["attempt"]?.GetValue<int>() ?? 1);
    }

    private static void Journal(WorkflowInstance instance, Instant now, JournalKind kind, string? activityId, string message) =>
        instance.Record(new JournalEntry(instance.Id, now, kind, activityId, message));

    private static string Label(FlowActivity activity) => activity.Name ?? $"{activity.Descriptor.DisplayName} ({activity.Id})";

    private string Describe(IReadOnlyList<BookmarkRequest> bookmarks) =>
        string.Join(", ", bookmarks.Select(b => b.ResumeAt is { } at
            ? $"{b.Name} {DanishText.DateTime(at.InZone(calendar.Zone).LocalDateTime)}"
            : $"signalet '{b.Name}'"));
}
