using System.Text.Json.Nodes;
using NodaTime.Text;
using Workflows.Definitions.Runtime;
using Workflows.Host.Scheduling;

namespace Workflows.Host.Operations;

/// <summary>
/// Counts from what a save committed, so a metric means "happened and is stored": an instance started, a timer fired
/// (with its lateness from the journal's due time), answers stored.
/// </summary>
internal sealed class InstanceMetrics(ProcesFlowMetrics metrics) : IInstanceSaveObserver
{
    public void Saved(WorkflowInstance instance, InstanceSaved saved)
    {
        foreach (var line in saved.Journal)
        {
            switch (line.Kind)
            {
                case JournalKind.InstanceStarted:
                    metrics.InstanceStarted(instance.DefinitionId);
                    break;
                case JournalKind.TimerFired when DueAt(line) is { } due:
                    metrics.TimerFired(line.At - due);
                    break;
            }
        }
        metrics.AnswersReceived(saved.Answers.Count);
    }

    private static NodaTime.Instant? DueAt(JournalEntry line) =>
        line.Data is { } data && JsonNode.Parse(data)?["dueAt"]?.GetValue<string>() is { } text && InstantPattern.ExtendedIso.Parse(text) is { Success: true } parsed
            ? parsed.Value
            : null;
}
