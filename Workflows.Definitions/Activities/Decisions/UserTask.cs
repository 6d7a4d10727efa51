using System.Text.Json.Nodes;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities.Decisions;

/// <summary>
/// Opgave: work people do between the automatic steps (udarbejdelse af udkast, indarbejdelse af høringssvar,
/// afsendelse af KKR's fælles høringssvar). It waits until someone marks it done
/// (<c>POST /api/instances/{id}/tasks/{activityId}/complete</c>); a deadline, if given, is journaled as passed so the
/// dashboard can show it, but the flow does not move on without the work.
/// </summary>
/// <remarks>Signal: <c>{activityId}:complete</c> <c>{ "note"?, "actor"? }</c>.</remarks>
public sealed class UserTask(UserTask.Settings settings) : IActivity
{
    public const string SignalKind = "complete";

    private const string DeadlineTimer = "deadline";

    public static ActivityDescriptor Descriptor { get; } = new(
        "UserTask", "Opgave", "Godkendelse",
        "En opgave, som en person skal løse (fx indarbejdelse af høringssvar), med ansvarlig og eventuel frist; forløbet fortsætter, når den er markeret som løst.",
        [
            new("title", "text", true, "Opgave"),
            new("assignee", "text", false, "Ansvarlig"),
            new("deadline", "deadline", false, "Frist"),
            new("instructions", "text", false, "Vejledning"),
        ],
        CanWait: true,
        reader => new ActivityBinding(
            new UserTask(new Settings(reader.Text("title"), reader.Text("assignee"), reader.Get("deadline", Waiting.WaitUntil.DeadlineKind, null), reader.Text("instructions"))),
            [ActivityResult.DonePort]));

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Execute(context));

    private ActivityResult Execute(ActivityContext context)
    {
        var signal = BookmarkRequest.Signal($"{context.ActivityId}:{SignalKind}");
        if (context.Resumption is not { } resumption)
        {
            var title = context.Render(settings.Title, "title").Trim();
            if (title.Length == 0)
            {
                throw new ActivityPropertyException("title", "is empty");
            }
            var assignee = context.Render(settings.Assignee, "assignee").Trim();
            context.State["title"] = title;
            if (assignee.Length > 0)
            {
                // Kept for the hearing page, which shows who the task waits for (read through OpenTask).
                context.State["assignee"] = assignee;
            }
            var instructions = context.Render(settings.Instructions, "instructions").Trim();
            if (instructions.Length > 0)
            {
                context.State["instructions"] = instructions;
            }
            var line = $"Opgave: {title}{(assignee.Length > 0 ? $" (ansvarlig: {assignee})" : "")}";
            if (settings.Deadline.Evaluate(context) is { } spec)
            {
                var deadline = context.Calendar.WithoutHearingMinimum().Resolve(spec, context.Now);
                context.State["deadline"] = InstantPattern.ExtendedIso.Format(deadline.Instant);
                context.Journal($"{line}, frist {deadline.Text}.");
                foreach (var warning in deadline.Warnings)
                {
                    context.Journal($"Advarsel: {warning}");
                }
                if (deadline.Instant > context.Now)
                {
                    return new ActivityResult.Suspended([signal, BookmarkRequest.Timer(DeadlineTimer, deadline.Instant)]);
                }
            }
            else
            {
                context.Journal($"{line}.");
            }
            return new ActivityResult.Suspended([signal]);
        }
        var taskTitle = context.State["title"]!.GetValue<string>();
        if (resumption.IsTimer)
        {
            var deadline = Deadline.FromInstant(InstantPattern.ExtendedIso.Parse(context.State["deadline"]!.GetValue<string>()).Value, context.Zone);
            context.Journal($"Advarsel: opgaven '{taskTitle}' er ikke løst inden fristen {deadline.Text}.");
            return new ActivityResult.Suspended([signal]);
        }
        var payload = resumption.Payload;
        var actor = resumption.Text("actor");
        var note = resumption.Text("note") ?? "";
        context.Journal($"Opgaven '{taskTitle}' er løst.{(note.Length > 0 ? $" Bemærkning: {note}" : "")}", payload?.DeepClone() as JsonObject, actor);
        return ActivityResult.Done;
    }


    public sealed record Settings(LiquidText Title, LiquidText Assignee, Property<DeadlineSpec?> Deadline, LiquidText Instructions);
}
