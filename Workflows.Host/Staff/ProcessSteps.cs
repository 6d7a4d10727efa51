using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Activities.Decisions;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Runtime;
using Workflows.Host.Pages;
using Workflows.Host.Persistence;

namespace Workflows.Host.Staff;

/// <summary>A step a running process waits at, as the hearing page shows it.</summary>
public abstract record WaitingStep(string ActivityId)
{
    /// <summary>An item on a body's agenda: staff record the body's decision (one of <paramref name="Outcomes"/>).</summary>
    public sealed record Decision(string ActivityId, AgendaItem Item, IReadOnlyList<string> Outcomes) : WaitingStep(ActivityId)
    {
        /// <summary>An item for discussion only (drøftelse), not for approval.</summary>
        public bool IsDiscussion => !Outcomes.Contains("approved");
    }

    /// <summary>Work people do: staff mark it done.</summary>
    public sealed record Task(string ActivityId, OpenTask Open) : WaitingStep(ActivityId);

    /// <summary>A hearing or an approval round waiting for its parties (the matrix shows who).</summary>
    public sealed record Round(string ActivityId, HearingState State) : WaitingStep(ActivityId);

    /// <summary>A wait for a date (Afvent dato/frist).</summary>
    public sealed record Timer(string ActivityId, string Name, Instant Until) : WaitingStep(ActivityId);

    /// <summary>Anything else that waits for a signal from outside.</summary>
    public sealed record Other(string ActivityId, string Name) : WaitingStep(ActivityId);
}

/// <summary>Reads what a process waits for: its open bookmarks, with each waiting activity's typed state.</summary>
internal static class ProcessSteps
{
    public static async Task<IReadOnlyList<WaitingStep>> WaitingAsync(
        IDbContextFactory<ProcesFlowDbContext> contexts, DefinitionCatalog catalog, Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId)
            .Select(i => new { i.DefinitionId, i.DefinitionVersion, i.State, i.Status }).FirstOrDefaultAsync(cancellationToken);
        if (instance is null || instance.Status is not (nameof(WorkflowStatus.Running) or nameof(WorkflowStatus.Suspended)))
        {
            return [];
        }
        var bookmarks = await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == instanceId).OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
        if (bookmarks.Count == 0)
        {
            return [];
        }
        var state = ExecutionStateJson.Deserialize(instance.State);
        var flow = (await catalog.GetAsync(instance.DefinitionId, instance.DefinitionVersion, cancellationToken)).Root;
        var steps = new List<WaitingStep>();
        foreach (var waits in bookmarks.GroupBy(b => b.ActivityId))
        {
            var activityId = waits.Key;
            var activityState = state.Activities.GetValueOrDefault(activityId);
            var activity = flow.Find(activityId);
            var name = activity?.Name ?? activity?.Descriptor.DisplayName ?? activityId;
            if (waits.FirstOrDefault(b => b.Name == $"{activityId}:{Decision.SignalKind}") is { } decision && AgendaItem.Read(activityState) is { } item)
            {
                var outcomes = (JsonNode.Parse(decision.Payload ?? "{}")?["outcomes"] as JsonArray ?? []).Select(o => o!.GetValue<string>()).ToList();
                steps.Add(new WaitingStep.Decision(activityId, item, outcomes));
            }
            else if (waits.Any(b => b.Name == $"{activityId}:{UserTask.SignalKind}") && OpenTask.Read(activityState) is { } task)
            {
                steps.Add(new WaitingStep.Task(activityId, task));
            }
            else if (activity?.Type is "Hearing" or "Approval" && HearingState.Read(activityState) is { } round)
            {
                steps.Add(new WaitingStep.Round(activityId, round));
            }
            else if (waits.All(b => b.ResumeAt is not null))
            {
                steps.Add(new WaitingStep.Timer(activityId, name, waits.Min(b => b.ResumeAt!.Value)));
            }
            else
            {
                steps.Add(new WaitingStep.Other(activityId, name));
            }
        }
        return steps;
    }
}

/// <summary>How the hearing page says what a process waits for, in Danish.</summary>
internal static class StepText
{
    /// <summary>
    /// "Afventer KKR Midtjyllands beslutning på mødet fredag den 8. november 2019 kl. 10.00"; a body whose name is a
    /// phrase ("Den administrative styregruppe for erhvervsfremme i Midtjylland") takes no genitive:
    /// "Afventer drøftelse i den administrative styregruppe … på mødet …".
    /// </summary>
    public static string Awaiting(WaitingStep.Decision step, DateTimeZone zone)
    {
        var noun = step.IsDiscussion ? "drøftelse" : "beslutning";
        var body = step.Item.Body;
        var whose = IsProperName(body) ? $"{Genitive(body)} {noun}" : $"{noun} i {(body.StartsWith("Den ", StringComparison.Ordinal) ? "den " + body[4..] : body)}";
        return $"Afventer {whose} på mødet {PageText.Text(step.Item.Meeting, zone)}";
    }

    /// <summary>The outcomes staff can record, in Danish.</summary>
    public static string Outcome(string outcome) => outcome switch
    {
        "approved" => "Godkendt",
        "rejected" => "Ikke godkendt (afvist)",
        "postponed" => "Udsat til et senere møde",
        "discussed" => "Drøftet",
        _ => outcome,
    };

    /// <summary>A name of capitalised words only ("KKR Midtjylland", "Region Hovedstaden"), which Danish puts in the genitive.</summary>
    private static bool IsProperName(string name) =>
        !name.Contains('(', StringComparison.Ordinal) && name.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(w => char.IsUpper(w[0]) || char.IsDigit(w[0]));

    /// <summary>"KKR Midtjyllands", "Region Hovedstadens"; a name ending in s, x or z takes an apostrophe.</summary>
    private static string Genitive(string name) => name[^1] is 's' or 'x' or 'z' ? name + "'" : name + "s";
}
