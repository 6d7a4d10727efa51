using System.Globalization;

namespace Workflows.Benchmarks;

/// <summary>What one run measures and how much: <c>--quick</c> (under 3 minutes) or the full run.</summary>
public sealed record RunOptions
{
    public bool Quick { get; init; }

    public string? JsonFile { get; init; }

    public bool KeepFiles { get; init; }

    /// <summary>Active hearings of 29 parties at which fan-out, answers and the dashboard are measured (figure 9).</summary>
    public int[] Levels { get; init; } = [10, 100, 1000];

    public int AnswersPerLevel { get; init; } = 2000;

    public int DashboardSamples { get; init; } = 40;

    public int TimerCount { get; init; } = 10_000;

    public int MailCount { get; init; } = 5000;

    public int SimulationRuns { get; init; } = 5;

    /// <summary>Only these figures (<c>--only host,timers,quartz,workflowcore,raw,simulation</c>); all when empty.</summary>
    public HashSet<string> Only { get; init; } = [];

    public bool Runs(string part) => Only.Count == 0 || Only.Contains(part);

    public static RunOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = quick
            ? new RunOptions { Quick = true, Levels = [10, 50, 200], AnswersPerLevel = 300, DashboardSamples = 15, TimerCount = 1000, MailCount = 1500, SimulationRuns = 3 }
            : new RunOptions();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--json" when i + 1 < args.Length => options with { JsonFile = args[++i] },
                "--keep" => options with { KeepFiles = true },
                "--timers" when i + 1 < args.Length => options with { TimerCount = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--levels" when i + 1 < args.Length => options with { Levels = args[++i].Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray() },
                "--only" when i + 1 < args.Length => options with { Only = args[++i].Split(',').ToHashSet() },
                _ => options,
            };
        }
        return options;
    }
}
