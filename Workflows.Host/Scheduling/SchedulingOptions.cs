namespace Workflows.Host.Scheduling;

/// <summary><c>ProcesFlow:Scheduling</c>.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "ProcesFlow:Scheduling";

    /// <summary>How often Hangfire looks for scheduled jobs that are due; a timer fires at most about this late.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An instance left <c>Running</c> for this long was interrupted (its process died) and is resumed.</summary>
    public TimeSpan InterruptedAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Hangfire workers in this process.</summary>
    public int WorkerCount { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);
}
