using System.Globalization;

namespace Workflows.Benchmarks;

/// <summary>What one run measures and how much: <c>--quick</c> (under 3 minutes) or the full run.</summary>
public sealed record RunOptions
{
    public bool Quick { get; init; }

    public string? JsonFile { get; init; }

    public bool KeepFiles { get; init; }

    /// <summary>With <c>--trace DIR</c>: dotnet-trace samples the host during the last level's fan-out, answers and dashboard, and while the reminders fire.</summary>
    public string? TraceFolder { get; init; }

    /// <summary>Active hearings of 29 parties at which fan-out, answers and the dashboard are measured (figure 9).</summary>
    public int[] Levels { get; init; } = [10, 100, 1000];

    public int AnswersPerLevel { get; init; } = 2000;

    public int DashboardSamples { get; init; } = 40;

    public int TimerCount { get; init; } = 10_000;

    /// <summary>The reminders fall due over this many seconds of one minute (reminder i at second i mod this).</summary>
    public int TimerSpreadSeconds { get; init; } = 60;

    public int MailCount { get; init; } = 5000;

    public int SimulationRuns { get; init; } = 5;

    /// <summary>Figure 8: hearings started over the two PostgreSQL nodes (then answered as in figure 2).</summary>
    public int PostgreSqlHearings { get; init; } = 500;

    /// <summary><c>--host-setting KEY=VALUE</c> (repeatable): extra configuration or environment for the host processes.</summary>
    public Dictionary<string, string> HostSettings { get; init; } = [];

    /// <summary>Only these figures (<c>--only host,mail,raw,workflowcore,timers,quartz,simulation,postgres</c>; mail and raw need host); all when empty.</summary>
    public HashSet<string> Only { get; init; } = [];

    public bool Runs(string part) => Only.Count == 0 || Only.Contains(part);

    public static RunOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = quick
            ? new RunOptions
            {
                Quick = true, Levels = [10, 40, 100], AnswersPerLevel = 150, DashboardSamples = 10, TimerCount = 300, TimerSpreadSeconds = 10,
                MailCount = 500, SimulationRuns = 2, PostgreSqlHearings = 40,
            }
            : new RunOptions();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--json" when i + 1 < args.Length => options with { JsonFile = args[++i] },
                "--keep" => options with { KeepFiles = true },
                "--trace" when i + 1 < args.Length => options with { TraceFolder = Path.GetFullPath(args[++i]) },
                "--timers" when i + 1 < args.Length => options with { TimerCount = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--levels" when i + 1 < args.Length => options with { Levels = args[++i].Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray() },
                "--host-setting" when i + 1 < args.Length => options with { HostSettings = WithSetting(options.HostSettings, args[++i]) },
                "--only" when i + 1 < args.Length => options with { Only = args[++i].Split(',').ToHashSet() },
                _ => options,
            };
        }
        return options;
    }

    private static Dictionary<string, string> WithSetting(Dictionary<string, string> settings, string keyValue)
    {
        var parts = keyValue.Split('=', 2);
        if (parts.Length != 2)
        {
            throw new ArgumentException($"--host-setting takes KEY=VALUE, not '{keyValue}'.");
        }
        return new Dictionary<string, string>(settings) { [parts[0]] = parts[1] };
    }
}
