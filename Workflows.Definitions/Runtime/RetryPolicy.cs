using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// How often a failing activity is tried again before its instance is marked <see cref="WorkflowStatus.Faulted"/>.
/// Only unexpected failures are retried: a wrong property value fails the same way every time, so it faults at once.
/// </summary>
public sealed record RetryPolicy(IReadOnlyList<Duration> Delays)
{
    public static RetryPolicy Default { get; } = new([Duration.FromSeconds(10), Duration.FromMinutes(1), Duration.FromMinutes(10)]);

    public static RetryPolicy None { get; } = new([]);

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, or null when retries are used up.</summary>
    public Duration? DelayAfter(int attempt) => attempt < Delays.Count ? Delays[attempt] : null;
}
