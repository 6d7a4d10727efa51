using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Workflows.Benchmarks.Support;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// Figure 6: a host on the simulated clock; a Standardhøring of 29 kommuner with a six-week deadline and two reminders
/// is started, and <c>POST /api/clock/advance</c> moves six weeks on, returning when every timer on the way has fired
/// and every mail is queued. The time of that request, several times over (a new hearing each time).
/// </summary>
public sealed class SimulationBench(RunOptions options, Results results, int smtpPort) : IAsyncDisposable
{
    private Deployment? deployment;

    public async Task RunAsync()
    {
        Progress.Phase("simulation: starting host");
        deployment = await Deployment.StartSqliteAsync("simulation", port => new Dictionary<string, string>
        {
            ["ProcesFlow:ApiKeys:0"] = HearingTraffic.ApiKey,
            ["ProcesFlow:PublicBaseUrl"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
            ["ProcesFlow:DefinitionsFolder"] = Path.Combine(AppContext.BaseDirectory, "definitions-json"),
            ["ProcesFlow:Clock:Mode"] = "Simulated",
            ["ProcesFlow:Clock:Start"] = "2019-10-01T09:00",
            ["ProcesFlow:Mail:Smtp:Host"] = "127.0.0.1",
            ["ProcesFlow:Mail:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["ProcesFlow:Mail:Smtp:Security"] = "None",
            ["Logging:LogLevel:Default"] = "Warning",
        }, options.KeepFiles);
        using var api = HearingTraffic.ApiClient(deployment.First.BaseAddress);

        var times = new List<double>();
        for (var i = 0; i < options.SimulationRuns + 1; i++)
        {
            Progress.Phase($"simulation: six weeks, run {i + 1}/{options.SimulationRuns + 1}");
            using var startedResponse = await api.PostAsJsonAsync("/api/instances", new
            {
                definitionId = "standard-hearing",
                input = new
                {
                    title = $"Simuleret høring {i}",
                    parties = "hovedstaden",
                    deadline = new { weeks = 6, at = "12:00" },
                    reminders = new[] { new { workingDaysBefore = 5, at = "09:00" }, new { workingDaysBefore = 1, at = "09:00" } },
                },
            });
            startedResponse.EnsureSuccessStatusCode();
            var watch = Stopwatch.StartNew();
            using var advanced = await api.PostAsJsonAsync("/api/clock/advance", new { by = "P43D" });
            var ms = watch.Elapsed.TotalMilliseconds;
            advanced.EnsureSuccessStatusCode();
            if (i > 0)
            {
                times.Add(ms); // The first is a warm-up.
            }
        }
        var median = Stats.Percentile(times, 50);
        results.Set("simulation_ms", median);
        results.Set("simulation_max_ms", times.Max());
        results.Row("6 Simulation", "6-week hearing, 29 parties, 2 reminders: ms (median)", Results.F(median), "<= 200", median <= 200);
    }

    public ValueTask DisposeAsync() => deployment?.DisposeAsync() ?? ValueTask.CompletedTask;
}
