using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Workflows.Benchmarks;
using Workflows.Benchmarks.Scenarios;
using Workflows.Benchmarks.Support;

// dotnet run -c Release --project Workflows.Benchmarks -- [--quick] [--json FILE]
// dotnet run -c Release --project Workflows.Benchmarks -- --micro [BenchmarkDotNet arguments]
if (args.Length > 0 && args[0] == "--micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(RunOptions).Assembly).Run(args[1..]);
    return 0;
}

var options = RunOptions.Parse(args);
var results = new Results();
var total = Stopwatch.StartNew();
var folder = Directory.CreateTempSubdirectory("bench-run-").FullName;
Console.Error.WriteLine($"ProcesFlow benchmarks, {(options.Quick ? "quick" : "full")} run, {Environment.ProcessorCount} cores");
await using (var sink = await SmtpSink.StartAsync())
{
    int fanoutHearings = options.Levels[^1] - (options.Levels.Length > 1 ? options.Levels[^2] : 0);
    if (options.Runs("host"))
    {
        await using var bench = new HostBench(options, results, sink.Port);
        await bench.RunAsync();
        fanoutHearings = bench.LargestBatch;
        if (bench.SampleRows is { } sample && options.Runs("raw"))
        {
            Progress.Phase("raw batched SQLite insert of the same rows:");
            var raw = RawInsert.PartyTasksPerSecond(bench.DatabasePath, sample, bench.LargestBatch, folder);
            results.Set("raw_insert_party_tasks_per_s", raw);
            results.Set("fanout_vs_raw_ratio", bench.FanoutRate / raw);
            results.Row("1 Fan-out", "raw batched SQLite insert, same rows: tasks/s", Results.F(raw));
            results.Row("1 Fan-out", "ProcesFlow / raw insert", Results.F(bench.FanoutRate / raw, 3), ">= 0.3", bench.FanoutRate / raw >= 0.3);
        }
    }
    if (options.Runs("workflowcore"))
    {
        Progress.Phase($"Workflow Core fan-out, {fanoutHearings} x 29 (in memory):");
        var peer = await WorkflowCoreFanout.PartyTasksPerSecondAsync(fanoutHearings);
        results.Set("workflowcore_party_tasks_per_s", peer);
        var ours = results.Get("fanout_party_tasks_per_s");
        results.Set("fanout_vs_workflowcore_ratio", ours / peer);
        results.Row("1 Fan-out", "Workflow Core 3.22.0, in memory: tasks/s", Results.F(peer));
        results.Row("1 Fan-out", "ProcesFlow / Workflow Core", Results.F(ours / peer, 2), "> 1", ours / peer > 1);
    }
    if (options.Runs("timers"))
    {
        await using var timers = new TimerBench(options, results, sink.Port);
        await timers.RunAsync();
    }
    if (options.Runs("quartz"))
    {
        Progress.Phase($"Quartz: {options.TimerCount} triggers due within {options.TimerSpreadSeconds} s:");
        var quartz = await QuartzTimers.RunAsync(options.TimerCount, options.TimerSpreadSeconds, folder);
        results.Set("quartz_timer_lateness_p50_s", quartz.P50);
        results.Set("quartz_timer_lateness_p99_s", quartz.P99);
        results.Set("quartz_timer_lateness_max_s", quartz.Max);
        results.Row("3 Timers", $"Quartz 4.7.3, ADO store on SQLite, same timers: p50 / p99 / max s",
            $"{Results.F(quartz.P50, 2)} / {Results.F(quartz.P99, 2)} / {Results.F(quartz.Max, 2)}");
        var ours = results.Get("timer_lateness_p99_s");
        results.Row("3 Timers", "ProcesFlow p99 below Quartz p99", $"{Results.F(ours, 2)} vs {Results.F(quartz.P99, 2)}", "below", ours < quartz.P99);
        if (quartz.Fired < options.TimerCount)
        {
            results.Note($"Quartz: {quartz.Fired} of {options.TimerCount} triggers fired within the wait.");
        }
    }
    if (options.Runs("simulation"))
    {
        await using var simulation = new SimulationBench(options, results, sink.Port);
        await simulation.RunAsync();
    }
    if (options.Runs("postgres"))
    {
        await using (var postgres = new PostgresBench(options, results, sink.Port))
        {
            await postgres.RunAsync();
        }
        await using var timers = new TimerBench(options, results, sink.Port, PostgresBench.Nodes);
        await timers.RunAsync();
    }
}
Progress.Done();
results.Set("run_seconds", total.Elapsed.TotalSeconds);
results.Set("mode", options.Quick ? "quick" : "full");
results.Set("processor_count", Environment.ProcessorCount);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ProcesFlow benchmarks ({(options.Quick ? "quick" : "full")} run, {Environment.ProcessorCount} cores, {total.Elapsed.TotalSeconds:N0} s)"));
Console.WriteLine(results.Table());
if (options.JsonFile is { } file)
{
    await File.WriteAllTextAsync(file, results.Json());
    Console.WriteLine($"JSON: {Path.GetFullPath(file)}");
}
if (!options.KeepFiles)
{
    Directory.Delete(folder, recursive: true);
}
return 0;
