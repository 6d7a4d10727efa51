using System.Diagnostics.Metrics;

namespace Workflows.Host.Operations;

/// <summary>
/// The engine's own metrics, on the <see cref="MeterName"/> meter: what an operator watches to see that hearings
/// start, timers fire on time, mail goes out and answers come in. Exported through OpenTelemetry (see
/// <see cref="OperationsSetup"/>); the meter comes from the host's <see cref="IMeterFactory"/>, so two hosts in one
/// process (the tests) each count their own.
/// </summary>
public sealed class ProcesFlowMetrics
{
    public const string MeterName = "ProcesFlow";

    private readonly Counter<long> instancesStarted;
    private readonly Counter<long> timersFired;
    private readonly Histogram<double> timerLateness;
    private readonly Counter<long> mailsSent;
    private readonly Counter<long> mailsFailed;
    private readonly Counter<long> answersReceived;
    private readonly Counter<long> concurrencyConflicts;

    public ProcesFlowMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        instancesStarted = meter.CreateCounter<long>("procesflow.instances.started", "{instance}", "Workflow instances started.");
        timersFired = meter.CreateCounter<long>("procesflow.timers.fired", "{timer}", "Timers (deadlines, reminders, delays) fired.");
        timerLateness = meter.CreateHistogram<double>("procesflow.timers.lateness", "s", "How long after its due time a timer fired.");
        mailsSent = meter.CreateCounter<long>("procesflow.mails.sent", "{mail}", "Mails delivered to the SMTP server or the pickup directory.");
        mailsFailed = meter.CreateCounter<long>("procesflow.mails.failed", "{attempt}", "Failed attempts to send a mail (each is retried or given up).");
        answersReceived = meter.CreateCounter<long>("procesflow.answers.received", "{answer}", "Answers from parties stored on their hearing.");
        concurrencyConflicts = meter.CreateCounter<long>("procesflow.instances.conflicts", "{conflict}",
            "Saves of an instance refused because another writer saved it first (each is reloaded and applied again).");
    }

    public void InstanceStarted(string definitionId) =>
        instancesStarted.Add(1, new KeyValuePair<string, object?>("procesflow.definition", definitionId));

    public void TimerFired(NodaTime.Duration lateness)
    {
        timersFired.Add(1);
        timerLateness.Record(Math.Max(0, lateness.TotalSeconds));
    }

    public void MailsSent(int count)
    {
        if (count > 0)
        {
            mailsSent.Add(count);
        }
    }

    public void MailsFailed(int count)
    {
        if (count > 0)
        {
            mailsFailed.Add(count);
        }
    }

    public void AnswersReceived(int count)
    {
        if (count > 0)
        {
            answersReceived.Add(count);
        }
    }

    public void ConcurrencyConflict() => concurrencyConflicts.Add(1);
}
