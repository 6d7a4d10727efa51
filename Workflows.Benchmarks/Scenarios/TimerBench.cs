using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using NodaTime;
using NodaTime.Text;
using Workflows.Benchmarks.Support;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// Figure 3 (and its part of figure 8): reminders as users get them, a wait until a Danish local time followed by a
/// mail, <c>count</c> of them all due within one minute, made through every node in turn. Lateness is the journal's
/// "timer fired" instant minus the due instant. Then the same again with every node killed after they were made and
/// started again just before they fall due.
/// </summary>
/// <remarks><c>postgreSqlNodes</c>: 0 for one host on a SQLite file (figure 3); otherwise that many hosts on one PostgreSQL database (figure 8).</remarks>
public sealed class TimerBench(RunOptions options, Results results, int smtpPort, int postgreSqlNodes = 0) : IAsyncDisposable
{
    private static readonly DateTimeZone Copenhagen = DateTimeZoneProviders.Tzdb["Europe/Copenhagen"];
    private static readonly LocalDateTimePattern Local = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");
    private Deployment? deployment;

    private string Key(string name) => postgreSqlNodes == 0 ? name : $"pg{postgreSqlNodes}_{name}";

    private string Figure => postgreSqlNodes == 0 ? "3 Timers" : $"8 PostgreSQL, {postgreSqlNodes} nodes";

    public async Task RunAsync()
    {
        var count = options.TimerCount;
        Progress.Phase($"timers: starting {(postgreSqlNodes == 0 ? "host" : $"PostgreSQL and {postgreSqlNodes} hosts")}");
        deployment = postgreSqlNodes == 0
            ? await Deployment.StartSqliteAsync("timers", Settings, options.KeepFiles)
            : await Deployment.StartPostgreSqlAsync("timers", postgreSqlNodes, Settings, options.KeepFiles);
        var apis = deployment.Nodes.Select(n => HearingTraffic.ApiClient(n.BaseAddress)).ToList();
        var api = apis[0];
        foreach (var id in new[] { "bench-reminder", "bench-reminder-restart", "bench-calibrate" })
        {
            await PublishAsync(api, id);
        }

        // How fast reminders can be made here (after a warm-up), so the minute they fall due in starts about when the
        // last is made. Should making them take longer, the first fall due while the last are still being made.
        await CreateAsync(apis, "bench-calibrate", 20, WallClock.Now + Duration.FromHours(6));
        var calibration = Stopwatch.StartNew();
        await CreateAsync(apis, "bench-calibrate", 100, WallClock.Now + Duration.FromHours(6));
        var perSecond = 100 / calibration.Elapsed.TotalSeconds;

        Progress.Phase($"timers: {count} reminders due within {options.TimerSpreadSeconds} s:");
        var minute = WallClock.Now + Duration.FromSeconds(count / perSecond * 1.1 + 5);
        var dues = await CreateAsync(apis, "bench-reminder", count, minute);
        (double P50, double P99, double Max, int Fired) warm;
        await using (await Tracer.StartAsync(options.TraceFolder, deployment.Nodes[0].Id, "timers"))
        {
            warm = await LatenessAsync("bench-reminder", dues);
        }

        Progress.Phase($"timers: {count} reminders, host restarted before they are due:");
        // Room for the restart: the first node starts alone (it may migrate), then the others, so two nodes take twice as long.
        var restartRoom = (options.Quick ? 15 : 20) * (postgreSqlNodes == 0 ? 1 : 2);
        var restartMinute = WallClock.Now + Duration.FromSeconds(count / perSecond * 1.1 + restartRoom);
        var restartDues = await CreateAsync(apis, "bench-reminder-restart", count, restartMinute);
        Progress.Report("restarting");
        var restartBegan = Stopwatch.StartNew();
        await deployment.RestartAsync();
        var restartSeconds = restartBegan.Elapsed.TotalSeconds;
        var backAt = WallClock.Now;
        (double P50, double P99, double Max, int Fired) restarted;
        await using (await Tracer.StartAsync(options.TraceFolder, deployment.Nodes[0].Id, "timers-restart"))
        {
            restarted = await LatenessAsync("bench-reminder-restart", restartDues);
        }
        foreach (var client in apis)
        {
            client.Dispose();
        }
        if (backAt < restartMinute)
        {
            results.Note($"{deployment.Description}: timer restart: the host was back {(restartMinute - backAt).TotalSeconds:N0} s before the first reminder was due.");
        }
        else
        {
            results.Note($"{deployment.Description}: timer restart: the host came back {(backAt - restartMinute).TotalSeconds:N0} s after the first reminder was due (lateness includes the restart).");
        }

        results.Set(Key("timer_lateness_p50_s"), warm.P50);
        results.Set(Key("timer_lateness_p99_s"), warm.P99);
        results.Set(Key("timer_lateness_max_s"), warm.Max);
        results.Set(Key("timer_restart_lateness_p50_s"), restarted.P50);
        results.Set(Key("timer_restart_lateness_p99_s"), restarted.P99);
        results.Set(Key("timer_restart_lateness_max_s"), restarted.Max);
        results.Set(Key("timer_restart_host_start_s"), restartSeconds);
        results.Set(Key("timer_count"), count);
        results.Row(Figure, $"{count} reminders due within {options.TimerSpreadSeconds} s: p50 / p99 / max s", $"{Results.F(warm.P50, 2)} / {Results.F(warm.P99, 2)} / {Results.F(warm.Max, 2)}", "p99 <= 2", warm.P99 <= 2);
        results.Row(Figure, "same, right after a restart: p50 / p99 / max s", $"{Results.F(restarted.P50, 2)} / {Results.F(restarted.P99, 2)} / {Results.F(restarted.Max, 2)}");
        if (warm.Fired < count || restarted.Fired < count)
        {
            results.Note($"{deployment.Description}: timers: {warm.Fired} and {restarted.Fired} of {count} fired within the wait.");
        }
    }

    private Dictionary<string, string> Settings(int port) => new Dictionary<string, string>()
    {
        ["ProcesFlow:ApiKeys:0"] = HearingTraffic.ApiKey,
        ["ProcesFlow:PublicBaseUrl"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
        ["ProcesFlow:DefinitionsFolder"] = Path.Combine(Path.GetTempPath(), "procesflow-bench-no-definitions"),
        ["ProcesFlow:Mail:Smtp:Host"] = "127.0.0.1",
        ["ProcesFlow:Mail:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["ProcesFlow:Mail:Smtp:Security"] = "None",
        ["Logging:LogLevel:Default"] = "Warning",
    }.Concat(options.HostSettings).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private static async Task PublishAsync(HttpClient api, string definitionId)
    {
        var definition = $$"""
            { "definitionId": "{{definitionId}}", "name": "Påmindelse",
              "inputs": [ { "name": "due", "type": "deadline", "required": true } ],
              "root": {
                "activities": [
                  { "id": "start", "type": "Start" },
                  { "id": "wait", "type": "WaitUntil", "deadline": { "expression": "input.due" } },
                  { "id": "remind", "type": "SendEmail", "to": [ "hoering@kommune.example" ], "subject": "Påmindelse om høringssvar", "body": "Husk at sende jeres høringssvar." },
                  { "id": "done", "type": "Finish" }
                ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait" } },
                  { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "remind" } },
                  { "source": { "activity": "remind", "port": "Done" }, "target": { "activity": "done" } }
                ]
              } }
            """;
        using var saved = await api.PostAsync("/api/definitions", new StringContent(definition, Encoding.UTF8, "application/json"));
        using var published = await api.PostAsync($"/api/definitions/{definitionId}/publish", null);
        if (!published.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Publishing {definitionId}: {(int)saved.StatusCode} {await saved.Content.ReadAsStringAsync()} / {(int)published.StatusCode} {await published.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Starts <paramref name="count"/> reminders due in the minute from <paramref name="minute"/>: reminder i at second
    /// i mod the spread (a Danish local time to the second), from 4 clients. Returns each instance's due instant.
    /// </summary>
    private async Task<ConcurrentDictionary<Guid, Instant>> CreateAsync(List<HttpClient> apis, string definitionId, int count, Instant minute)
    {
        var dues = new ConcurrentDictionary<Guid, Instant>();
        var next = 0;
        var made = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async client =>
        {
            var api = apis[client % apis.Count];
            int i;
            while ((i = Interlocked.Increment(ref next)) <= count)
            {
                var due = minute + Duration.FromSeconds(i % options.TimerSpreadSeconds);
                var local = Local.Format(due.InZone(Copenhagen).LocalDateTime);
                using var response = await api.PostAsJsonAsync("/api/instances", new { definitionId, input = new { due = new { date = local[..10], at = local[11..] } } });
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"Starting a reminder answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                var started = await response.Content.ReadFromJsonAsync<Started>();
                dues[started!.InstanceId] = due;
                var n = Interlocked.Increment(ref made);
                if (n % 100 == 0)
                {
                    Progress.Report($"{n}/{count} made, due in {(minute - WallClock.Now).TotalSeconds:N0} s");
                }
            }
        }));
        return dues;
    }

    private sealed record Started(Guid InstanceId);

    /// <summary>Waits until every reminder of <paramref name="definitionId"/> has fired (or a time-out); lateness in seconds.</summary>
    private async Task<(double P50, double P99, double Max, int Fired)> LatenessAsync(string definitionId, ConcurrentDictionary<Guid, Instant> dues)
    {
        var count = dues.Count;
        var due = dues.Values.Max();
        using var sql = deployment!.OpenSql();
        const string Fired = "SELECT {0} FROM journal j JOIN instances i ON i.\"Id\" = j.\"InstanceId\" WHERE j.\"Kind\" = 'TimerFired' AND i.\"DefinitionId\" = @d";
        var giveUp = due + Duration.FromMinutes(count >= 5000 ? 10 : 4);
        long fired;
        while ((fired = sql.Scalar(string.Format(CultureInfo.InvariantCulture, Fired, "COUNT(*)"), ("@d", definitionId))) < count && WallClock.Now < giveUp)
        {
            var toGo = (due - WallClock.Now).TotalSeconds;
            Progress.Report(toGo > 0 ? $"due in {toGo:N0} s" : $"{fired}/{count} fired");
            await Task.Delay(250);
        }
        var lateness = sql.Rows(string.Format(CultureInfo.InvariantCulture, Fired, "j.\"InstanceId\", j.\"At\""), r => (Sql.InstantAt(r, 1) - dues[Sql.GuidAt(r, 0)]).TotalSeconds, ("@d", definitionId));
        return (Stats.Percentile(lateness, 50), Stats.Percentile(lateness, 99), lateness.Count == 0 ? double.NaN : lateness.Max(), lateness.Count);
    }

    public ValueTask DisposeAsync() => deployment?.DisposeAsync() ?? ValueTask.CompletedTask;
}
