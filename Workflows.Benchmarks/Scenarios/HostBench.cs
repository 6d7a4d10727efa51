using System.Diagnostics;
using System.Globalization;
using System.Net;
using Workflows.Benchmarks.Support;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// Figures 1, 2, 4, 5, 7 and 9 on one host process and one SQLite file, as a user runs it: hearings of 29 parties are
/// started over the API until 10, 100 and 1,000 are active; at each level the fan-out rate, answers over HTTP from 16
/// clients and the dashboard's server time are measured; then the host's peak memory and the outbox's mail rate.
/// </summary>
public sealed class HostBench(RunOptions options, Results results, int smtpPort) : IAsyncDisposable
{
    private const string AdminEmail = "bench@procesflow.local";
    private const string AdminPassword = "bench-password-4711";
    private const int PartiesPerHearing = HearingTraffic.PartiesPerHearing;

    private Deployment? deployment;

    public string DatabasePath => deployment?.SqlitePath ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>Rows of one hearing right after its start, per table: what the raw insert writes again.</summary>
    public Dictionary<string, List<Dictionary<string, object?>>>? SampleRows { get; private set; }

    /// <summary>Hearings started in the largest fan-out batch, for the raw insert and Workflow Core to repeat.</summary>
    public int LargestBatch { get; private set; }

    public double FanoutRate { get; private set; }

    public async Task RunAsync()
    {
        Progress.Phase("host: starting");
        deployment = await Deployment.StartSqliteAsync("host", port => Settings(options, port, smtpPort), options.KeepFiles);
        var host = deployment.First;
        using var traffic = new HearingTraffic(deployment, results);
        using var staff = await SignInAsync(host.BaseAddress);

        // Warm-up, not measured: the first requests pay for JIT compilation and the first connections.
        Progress.Phase("warm-up:");
        await FanoutAsync(traffic, 3);
        await traffic.AnswerAsync(20);
        await DashboardAsync(staff);
        SampleRows = null;

        var levelFanout = new List<(int Level, double Rate)>();
        var levelAnswers = new List<(int Level, double Rate, double P50, double P99)>();
        var levelDashboard = new List<(int Level, double P50, double P95)>();
        foreach (var level in options.Levels)
        {
            var batch = level - traffic.Started;
            Progress.Phase($"fan-out to {level} active hearings:");
            var last = level == options.Levels[^1];
            double rate;
            var cpu = host.CpuTime();
            await using (await Tracer.StartAsync(last ? options.TraceFolder : null, host.Id, "fanout"))
            {
                rate = await FanoutAsync(traffic, batch);
            }
            var fanoutCpuMs = (host.CpuTime() - cpu).TotalMilliseconds / batch;
            levelFanout.Add((level, rate));
            if (batch >= LargestBatch)
            {
                LargestBatch = batch;
                FanoutRate = rate;
            }

            Progress.Phase($"answers at {level} hearings:");
            (double Rate, double P50, double P99) answers;
            var answerCount = Math.Min(level * PartiesPerHearing / 3, options.AnswersPerLevel);
            cpu = host.CpuTime();
            await using (await Tracer.StartAsync(last ? options.TraceFolder : null, host.Id, "answers"))
            {
                answers = await traffic.AnswerAsync(answerCount);
            }
            var answerCpuMs = (host.CpuTime() - cpu).TotalMilliseconds / answerCount;
            if (last)
            {
                // Where the time goes: the host's own CPU per operation (the rest of the wall time is waiting: the
                // disk's fsync, the single SQLite writer, and the other processes on the machine).
                results.Set("fanout_host_cpu_ms_per_hearing", fanoutCpuMs);
                results.Set("answer_host_cpu_ms_per_answer", answerCpuMs);
            }
            levelAnswers.Add((level, answers.Rate, answers.P50, answers.P99));

            Progress.Phase($"dashboard at {level} hearings:");
            (double P50, double P95) dashboard;
            await using (await Tracer.StartAsync(last ? options.TraceFolder : null, host.Id, "dashboard"))
            {
                dashboard = await DashboardAsync(staff);
            }
            var (p50, p95) = dashboard;
            levelDashboard.Add((level, p50, p95));
        }

        var top = options.Levels[^1];
        var memory = host.PeakWorkingSetMb();
        var final = levelAnswers[^1];
        results.Set("fanout_party_tasks_per_s", FanoutRate);
        results.Set("answers_per_s", final.Rate);
        results.Set("answer_p50_ms", final.P50);
        results.Set("answer_p99_ms", final.P99);
        results.Set("dashboard_p50_ms", levelDashboard[^1].P50);
        results.Set("dashboard_p95_ms", levelDashboard[^1].P95);
        results.Set("peak_working_set_mb", memory);
        results.Set("active_hearings", top);
        foreach (var (level, rate) in levelFanout)
        {
            results.Set($"growth_fanout_party_tasks_per_s_at_{level}", rate);
        }
        foreach (var (level, rate, p50, p99) in levelAnswers)
        {
            results.Set($"growth_answers_per_s_at_{level}", rate);
            results.Set($"growth_answer_p50_ms_at_{level}", p50);
            results.Set($"growth_answer_p99_ms_at_{level}", p99);
        }
        foreach (var (level, p50, p95) in levelDashboard)
        {
            results.Set($"growth_dashboard_p95_ms_at_{level}", p95);
        }

        results.Row("1 Fan-out", $"party tasks/s ({LargestBatch} hearings x 29)", Results.F(FanoutRate), ">= 2,000", FanoutRate >= 2000);
        results.Row("1 Fan-out", "host CPU ms per hearing started", Results.F(results.Get("fanout_host_cpu_ms_per_hearing")));
        results.Row("2 Answers", $"answers/s, 16 clients, at {top} hearings", Results.F(final.Rate), ">= 500", final.Rate >= 500);
        results.Row("2 Answers", "p50 / p99 ms, request to committed", $"{Results.F(final.P50)} / {Results.F(final.P99)}", "<= 5 / <= 25", final.P50 <= 5 && final.P99 <= 25);
        results.Row("2 Answers", "host CPU ms per answer", Results.F(results.Get("answer_host_cpu_ms_per_answer")));
        results.Row("5 Dashboard", $"p50 / p95 ms, overview + overdue, {top} x 29", $"{Results.F(levelDashboard[^1].P50)} / {Results.F(levelDashboard[^1].P95)}", "p95 <= 150", levelDashboard[^1].P95 <= 150);
        results.Row("5 Dashboard", "overview p50 / p95 ms; overdue p50 / p95 ms",
            $"{Results.F(results.Get("dashboard_overview_p50_ms"))} / {Results.F(results.Get("dashboard_overview_p95_ms"))}; {Results.F(results.Get("dashboard_overdue_p50_ms"))} / {Results.F(results.Get("dashboard_overdue_p95_ms"))}");
        results.Row("7 Memory", $"host peak working set MB, {top} hearings", Results.F(memory), "<= 300", memory <= 300);
        results.Row("9 Growth", "fan-out tasks/s at " + string.Join(" / ", levelFanout.Select(l => l.Level)), string.Join(" / ", levelFanout.Select(l => Results.F(l.Rate, 0))), "flat");
        results.Row("9 Growth", "answers/s at " + string.Join(" / ", levelAnswers.Select(l => l.Level)), string.Join(" / ", levelAnswers.Select(l => Results.F(l.Rate, 0))), "flat");
        results.Row("9 Growth", "answer p99 ms at " + string.Join(" / ", levelAnswers.Select(l => l.Level)), string.Join(" / ", levelAnswers.Select(l => Results.F(l.P99, 0))), "flat");
        results.Row("9 Growth", "dashboard p95 ms at " + string.Join(" / ", levelDashboard.Select(l => l.Level)), string.Join(" / ", levelDashboard.Select(l => Results.F(l.P95, 0))), "sub-linear");

        if (options.Runs("mail"))
        {
            Progress.Phase("outbox mail rate:");
            await MailAsync(traffic, smtpPort);
        }
    }

    /// <summary>The host's configuration for figures 1, 2, 4, 5, 7, 8 and 9; the deployment adds the database.</summary>
    internal static Dictionary<string, string> Settings(RunOptions options, int port, int smtpPort) => new Dictionary<string, string>()
    {
        ["ProcesFlow:ApiKeys:0"] = HearingTraffic.ApiKey,
        ["ProcesFlow:PublicBaseUrl"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
        ["ProcesFlow:DefinitionsFolder"] = Path.Combine(AppContext.BaseDirectory, "definitions-json"),
        ["ProcesFlow:Mail:Smtp:Host"] = "127.0.0.1",
        ["ProcesFlow:Mail:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["ProcesFlow:Mail:Smtp:Security"] = "None",
        // 16 clients on one loopback address: the per-address limit for answer pages would refuse them after 60.
        ["ProcesFlow:Answers:RequestsPerMinute"] = "10000000",
        ["ProcesFlow:Admin:Email"] = AdminEmail,
        ["ProcesFlow:Admin:Password"] = AdminPassword,
        ["Logging:LogLevel:Default"] = "Warning",
    }.Concat(options.HostSettings).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>Starts <paramref name="count"/> hearings; party tasks per second. The first batch leaves the raw insert its sample.</summary>
    private async Task<double> FanoutAsync(HearingTraffic traffic, int count)
    {
        var rate = await traffic.StartHearingsAsync(count);
        SampleRows ??= SampleOneHearing();
        return rate;
    }

    private async Task<(double P50, double P95)> DashboardAsync(HttpClient staff)
    {
        var samples = new List<double>();
        foreach (var path in new[] { "/", "/overskredet" })
        {
            var view = new List<double>();
            for (var i = 0; i < options.DashboardSamples + 2; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await staff.GetAsync(new Uri(path, UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
                }
                if (i >= 2)
                {
                    samples.Add(watch.Elapsed.TotalMilliseconds);
                    view.Add(watch.Elapsed.TotalMilliseconds);
                }
                Progress.Report($"{path} {i + 1}/{options.DashboardSamples + 2}");
            }
            var name = path == "/" ? "overview" : "overdue";
            results.Set($"dashboard_{name}_p50_ms", Stats.Percentile(view, 50));
            results.Set($"dashboard_{name}_p95_ms", Stats.Percentile(view, 95));
        }
        return (Stats.Percentile(samples, 50), Stats.Percentile(samples, 95));
    }

    /// <summary>
    /// The outbox's rate, as the host sends its backlog (the invitations and receipts of the levels before) over SMTP:
    /// mails marked sent in a window of some seconds. Should the backlog run dry first, already sent rows are made due
    /// again and one new hearing wakes the mail job. Beside it, raw MailKit loops send the same messages over one
    /// connection to the same server.
    /// </summary>
    private async Task MailAsync(HearingTraffic traffic, int smtpPort)
    {
        using var sql = Sql.Sqlite(DatabasePath);
        const string SentCount = "SELECT COUNT(*) FROM outbox WHERE Status = 'Sent'";
        const string PendingCount = "SELECT COUNT(*) FROM outbox WHERE Status = 'Pending'";
        var window = TimeSpan.FromSeconds(options.Quick ? 10 : 30);
        double outboxRate;
        long measured;
        if (sql.Scalar(PendingCount) > 0)
        {
            var sentBefore = sql.Scalar(SentCount);
            var elapsed = Stopwatch.StartNew();
            while (elapsed.Elapsed < window)
            {
                await Task.Delay(500);
                Progress.Report($"{sql.Scalar(SentCount) - sentBefore} sent in {elapsed.Elapsed.TotalSeconds:N0} s, {sql.Scalar(PendingCount)} pending");
            }
            measured = sql.Scalar(SentCount) - sentBefore;
            outboxRate = measured / elapsed.Elapsed.TotalSeconds;
            var left = sql.Scalar(PendingCount);
            results.Note(left > 0
                ? $"Mail: the outbox sent {measured} of its backlog in {window.TotalSeconds:N0} s; {left} were still pending (the rate is sustained)."
                : $"Mail: the backlog ran dry within the {window.TotalSeconds:N0} s window, so the outbox rate is a lower bound.");
        }
        else
        {
            var resetAt = WallClock.Now.ToUnixTimeTicks();
            var reset = sql.Execute(
                "UPDATE outbox SET Status = 'Pending', SentAt = NULL, Mime = NULL, Attempts = 0, NextAttemptAt = 0 WHERE Id IN (SELECT Id FROM outbox WHERE Status = 'Sent' ORDER BY QueuedAt LIMIT @n)",
                ("@n", options.MailCount));
            await traffic.StartHearingsAsync(1);
            var elapsed = Stopwatch.StartNew();
            while ((measured = sql.Scalar("SELECT COUNT(*) FROM outbox WHERE QueuedAt < @t AND SentAt >= @t", ("@t", resetAt))) < reset && elapsed.Elapsed < TimeSpan.FromMinutes(10))
            {
                Progress.Report($"{measured}/{reset} mails sent, {measured / elapsed.Elapsed.TotalSeconds:N0}/s");
                await Task.Delay(200);
            }
            var (first, last) = sql.Rows("SELECT MIN(SentAt), MAX(SentAt) FROM outbox WHERE QueuedAt < @t AND SentAt >= @t", r => (r.GetInt64(0), r.GetInt64(1)), ("@t", resetAt)).Single();
            outboxRate = (measured - 1) / TimeSpan.FromTicks(last - first).TotalSeconds;
            results.Note($"Mail: {reset} sent rows were made due again and sent again.");
        }

        var messages = sql.Rows("SELECT Mime FROM outbox WHERE Status = 'Sent' AND Mime IS NOT NULL ORDER BY SentAt DESC LIMIT @n", r => (byte[])r.GetValue(0), ("@n", options.MailCount));
        Progress.Phase("raw MailKit loop, default socket:");
        var rawDefault = await RawMail.SendAsync(smtpPort, messages.Take(options.Quick ? 100 : 300).ToList(), noDelay: false);
        Progress.Phase("raw MailKit loop, NoDelay socket:");
        var raw = await RawMail.SendAsync(smtpPort, messages, noDelay: true);
        results.Set("mail_outbox_per_s", outboxRate);
        results.Set("mail_raw_mailkit_per_s", raw);
        results.Set("mail_raw_mailkit_default_socket_per_s", rawDefault);
        results.Set("mail_vs_raw_ratio", outboxRate / raw);
        results.Set("mail_vs_raw_default_socket_ratio", outboxRate / rawDefault);
        results.Row("4 Mail", $"outbox mails/s ({measured} mails, SMTP on loopback)", Results.F(outboxRate));
        results.Row("4 Mail", "raw MailKit loop, one connection, NoDelay: mails/s", Results.F(raw));
        results.Row("4 Mail", "raw MailKit loop, one connection, default socket: mails/s", Results.F(rawDefault));
        results.Row("4 Mail", "outbox / raw MailKit (NoDelay)", Results.F(outboxRate / raw, 2), ">= 0.8", outboxRate / raw >= 0.8);
        results.Row("4 Mail", "outbox / raw MailKit (default socket)", Results.F(outboxRate / rawDefault, 2), ">= 0.8", outboxRate / rawDefault >= 0.8);
    }

    /// <summary>The rows one started hearing left in each table (the newest instance), for the raw insert.</summary>
    private Dictionary<string, List<Dictionary<string, object?>>> SampleOneHearing()
    {
        using var sql = Sql.Sqlite(DatabasePath);
        var id = sql.Rows("SELECT Id FROM instances ORDER BY CreatedAt DESC LIMIT 1", r => r.GetString(0)).Single();
        var sample = new Dictionary<string, List<Dictionary<string, object?>>>();
        sample["instances"] = sql.Rows("SELECT * FROM instances WHERE Id = @id", Read, ("@id", id));
        foreach (var table in new[] { "party_tasks", "bookmarks", "journal", "outbox", "incidents" })
        {
            sample[table] = sql.Rows($"SELECT * FROM {table} WHERE InstanceId = @id", Read, ("@id", id));
        }
        foreach (var row in sample["outbox"])
        {
            // As the engine wrote them: not yet composed or sent.
            row["Status"] = "Pending";
            row["Mime"] = null;
            row["SentAt"] = null;
            row["Attempts"] = 0L;
        }
        return sample;

        static Dictionary<string, object?> Read(System.Data.Common.DbDataReader reader)
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            return row;
        }
    }

    private static async Task<HttpClient> SignInAsync(Uri baseAddress)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = baseAddress };
        var page = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HearingTraffic.FormToken().Match(page).Groups[1].Value,
            ["email"] = AdminEmail,
            ["password"] = AdminPassword,
            ["returnUrl"] = "/",
        });
        using var response = await client.PostAsync(new Uri("/login", UriKind.Relative), form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in answered {(int)response.StatusCode}.");
        }
        return client;
    }

    public ValueTask DisposeAsync() => deployment?.DisposeAsync() ?? ValueTask.CompletedTask;
}
