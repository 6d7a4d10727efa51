using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;

namespace Workflows.Benchmarks.Micro;

/// <summary>
/// BenchmarkDotNet where it fits: the pure parts that every answer and every start of a hearing pays for, in isolation
/// (<c>--micro</c>). The end-to-end figures come from the scenario runner.
/// </summary>
[MemoryDiagnoser]
public class EngineMicroBenchmarks
{
    private static readonly DeadlineCalculator Calculator = new(new WorkingDayCalendar(), DateTimeZoneProviders.Tzdb["Europe/Copenhagen"]);
    private static readonly Instant SentAt = Instant.FromUtc(2019, 10, 1, 7, 0);
    private string state = "";
    private DeadlineSpec spec = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The execution state of a started Standardhøring of 29 kommuner, as the instance store keeps it.
        state = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Micro", "hearing-state.json"));
        spec = DeadlineJson.Parse(JsonNode.Parse("""{ "workingDays": 20, "at": "12:00" }"""), new List<(string, string)>())!;
    }

    /// <summary>What loading and saving a hearing costs in JSON alone.</summary>
    [Benchmark]
    public string HearingStateRoundTrip() => ExecutionStateJson.Serialize(ExecutionStateJson.Deserialize(state));

    /// <summary>A Danish deadline: 20 working days after sending, at 12:00.</summary>
    [Benchmark]
    public Instant DeadlineOfTwentyWorkingDays() => Calculator.Resolve(spec, SentAt).Instant;
}
