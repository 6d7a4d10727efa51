namespace Workflows.Definitions.Runtime;

public enum WorkflowStatus
{
    /// <summary>Saved and about to run, or running. An instance found here after a crash is resumed.</summary>
    Running,

    /// <summary>Waiting on bookmarks (timers, signals).</summary>
    Suspended,

    Finished,

    Cancelled,

    /// <summary>An activity failed beyond its retries; an open incident says why. An operator can retry.</summary>
    Faulted,
}
