using NodaTime;

namespace Workflows.Benchmarks.Support;

/// <summary>The harness's one reference to the real clock (instants to compare with what the host stored).</summary>
public static class WallClock
{
#pragma warning disable RS0030 // The benchmark harness is its own composition root: the one place it names the real clock.
    public static IClock Clock { get; } = SystemClock.Instance;
#pragma warning restore RS0030

    public static Instant Now => Clock.GetCurrentInstant();
}
