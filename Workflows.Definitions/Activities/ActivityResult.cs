using System.Text.Json.Nodes;
using NodaTime;

namespace Workflows.Definitions.Activities;

/// <summary>What an activity asks the engine to do next. Completion is always explicit.</summary>
public abstract record ActivityResult
{
    private ActivityResult()
    {
    }

    /// <summary>The default outcome port of most activities.</summary>
    public const string DonePort = "Done";

    public static ActivityResult Done { get; } = new Completed([DonePort]);

    public static ActivityResult Outcome(string port) => new Completed([port]);

    public static ActivityResult WaitUntil(Instant resumeAt, string name = "timer") => new Suspended([BookmarkRequest.Timer(name, resumeAt)]);

    public static ActivityResult WaitForSignal(string signal) => new Suspended([BookmarkRequest.Signal(signal)]);

    /// <summary>
    /// The activity is done; the flow continues on every port in <paramref name="Outcomes"/> (several for a fork).
    /// With <paramref name="CancelUpstreamBranches"/> the engine cancels the work still pending in the
    /// branches that lead to this activity (a join that fired on WaitAny or a quorum).
    /// </summary>
    public sealed record Completed(IReadOnlyList<string> Outcomes, bool CancelUpstreamBranches = false) : ActivityResult;

    /// <summary>The activity waits for any of <paramref name="Bookmarks"/> (timers and signals).</summary>
    public sealed record Suspended(IReadOnlyList<BookmarkRequest> Bookmarks) : ActivityResult;

    /// <summary>The activity has recorded the arrival and waits for more branches (a join); it holds no bookmark.</summary>
    public sealed record Pending : ActivityResult;

    /// <summary>The whole instance ends now: every other branch and wait is cancelled.</summary>
    public sealed record FinishWorkflow : ActivityResult;

    public static ActivityResult WaitingForBranches { get; } = new Pending();

    public static ActivityResult Finish { get; } = new FinishWorkflow();
}

/// <summary>
/// A wait an activity asks for. A timer has <paramref name="ResumeAt"/>; a signal is resumed by a stimulus
/// with the same <paramref name="Name"/>. Names are unique per activity.
/// </summary>
public sealed record BookmarkRequest(string Name, Instant? ResumeAt, JsonObject? Payload = null)
{
    public static BookmarkRequest Timer(string name, Instant resumeAt, JsonObject? payload = null) => new(name, resumeAt, payload);

    public static BookmarkRequest Signal(string name, JsonObject? payload = null) => new(name, null, payload);
}
