using Workflows.Benchmarks.Support;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// Figure 8, fan-out and answers: two host processes on one PostgreSQL database (durable commits, Hangfire on
/// PostgreSQL), the same traffic as figures 1 and 2 spread evenly over both nodes. The timers of figure 8 are
/// <see cref="TimerBench"/> on the same kind of deployment.
/// </summary>
public sealed class PostgresBench(RunOptions options, Results results, int smtpPort) : IAsyncDisposable
{
    public const int Nodes = 2;
    private const string Figure = "8 PostgreSQL, 2 nodes";

    private Deployment? deployment;

    public async Task RunAsync()
    {
        Progress.Phase($"PostgreSQL: starting the server and {Nodes} hosts");
        deployment = await Deployment.StartPostgreSqlAsync("postgres", Nodes, port => HostBench.Settings(options, port, smtpPort), options.KeepFiles);
        using var traffic = new HearingTraffic(deployment, results);

        Progress.Phase("PostgreSQL warm-up:");
        await traffic.StartHearingsAsync(3 * Nodes);
        await traffic.AnswerAsync(20);

        var hearings = options.PostgreSqlHearings;
        Progress.Phase($"PostgreSQL fan-out, {hearings} hearings over {Nodes} nodes:");
        var cpu = deployment.CpuTime();
        var fanout = await traffic.StartHearingsAsync(hearings);
        var fanoutCpuMs = (deployment.CpuTime() - cpu).TotalMilliseconds / hearings;

        var answerCount = Math.Min(hearings * HearingTraffic.PartiesPerHearing / 3, options.AnswersPerLevel);
        Progress.Phase($"PostgreSQL answers, {answerCount} over {Nodes} nodes:");
        cpu = deployment.CpuTime();
        var (rate, p50, p99) = await traffic.AnswerAsync(answerCount);
        var answerCpuMs = (deployment.CpuTime() - cpu).TotalMilliseconds / answerCount;

        results.Set("pg2_fanout_party_tasks_per_s", fanout);
        results.Set("pg2_fanout_host_cpu_ms_per_hearing", fanoutCpuMs);
        results.Set("pg2_answers_per_s", rate);
        results.Set("pg2_answer_p50_ms", p50);
        results.Set("pg2_answer_p99_ms", p99);
        results.Set("pg2_answer_host_cpu_ms_per_answer", answerCpuMs);
        results.Row(Figure, $"fan-out party tasks/s ({hearings} hearings x 29)", Results.F(fanout), ">= 2,000", fanout >= 2000);
        results.Row(Figure, "hosts' CPU ms per hearing started (both nodes)", Results.F(fanoutCpuMs));
        results.Row(Figure, "answers/s, 16 clients", Results.F(rate), ">= 500", rate >= 500);
        results.Row(Figure, "answer p50 / p99 ms, request to committed", $"{Results.F(p50)} / {Results.F(p99)}", "<= 5 / <= 25", p50 <= 5 && p99 <= 25);
        results.Row(Figure, "hosts' CPU ms per answer (both nodes)", Results.F(answerCpuMs));
    }

    public ValueTask DisposeAsync() => deployment?.DisposeAsync() ?? ValueTask.CompletedTask;
}
