using System.Collections.Concurrent;
using System.Collections.Specialized;
using Microsoft.Data.Sqlite;
using NodaTime;
using Quartz;
using Workflows.Benchmarks.Support;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// The peer for the timers: Quartz.NET with its persistent ADO.NET job store on a SQLite file (Microsoft.Data.Sqlite,
/// provider <c>SQLite-Microsoft</c>), one-shot triggers all due within the same minute; each job
/// records how late it started.
/// </summary>
public static class QuartzTimers
{
    private static readonly ConcurrentBag<double> Lateness = [];

    public static async Task<(double P50, double P99, double Max, int Fired)> RunAsync(int count, int spreadSeconds, string folder)
    {
        Lateness.Clear();
        var path = Path.Combine(folder, "quartz.db");
        File.Delete(path);
        var connectionString = $"Data Source={path}";
        CreateSchema(connectionString);
        var properties = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = "bench",
            ["quartz.scheduler.instanceId"] = "bench-1",
            ["quartz.threadPool.maxConcurrency"] = "10",
            ["quartz.jobStore.type"] = "Quartz.Impl.AdoJobStore.JobStoreTX, Quartz",
            ["quartz.jobStore.driverDelegateType"] = "Quartz.Impl.AdoJobStore.SQLiteDelegate, Quartz",
            ["quartz.jobStore.tablePrefix"] = "QRTZ_",
            ["quartz.jobStore.dataSource"] = "default",
            ["quartz.dataSource.default.provider"] = "SQLite-Microsoft",
            ["quartz.dataSource.default.connectionString"] = connectionString,
            ["quartz.serializer.type"] = "stj",
            // Quartz 4.7 carries its own schema script per database and runs it on an empty store.
            ["quartz.jobStore.schemaProvisioning"] = "CreateIfMissing",
        };
        await using var factory = QuartzSchedulerBuilder.Create().UseProperties(properties).Build();
        var scheduler = await factory.GetScheduler();
        try
        {
            // Due in the minute that starts once all are stored: trigger i at second i mod the spread, as the engine's reminders.
            var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
            var scheduleStart = WallClock.Now;
            var storeEstimate = Duration.FromSeconds(Math.Max(5, count / 400.0));
            var minute = scheduleStart + storeEstimate + Duration.FromSeconds(5);
            for (var i = 0; i < count; i++)
            {
                var due = minute + Duration.FromSeconds(i % spreadSeconds);
                var job = JobBuilder.Create<LatenessJob>().WithIdentity($"reminder-{i}", "bench").Build();
                var trigger = TriggerBuilder.Create().WithIdentity($"reminder-{i}", "bench").StartAt(due.ToDateTimeOffset()).Build();
                jobs[job] = [trigger];
            }
            Progress.Report($"storing {count} triggers");
            await scheduler.ScheduleJobs(jobs);
            var stored = WallClock.Now;
            if (stored > minute)
            {
                Progress.Report($"storing took {(stored - scheduleStart).TotalSeconds:N0} s; the first were due before the scheduler started");
            }
            await scheduler.Start();
            var deadline = minute + Duration.FromMinutes(count >= 5000 ? 10 : 4);
            while (Lateness.Count < count && WallClock.Now < deadline)
            {
                Progress.Report($"{Lateness.Count}/{count} fired");
                await Task.Delay(500);
            }
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: false);
            SqliteConnection.ClearAllPools();
        }
        var values = Lateness.ToArray();
        return (Stats.Percentile(values, 50), Stats.Percentile(values, 99), values.Length == 0 ? double.NaN : values.Max(), values.Length);
    }

    /// <summary>Records how many seconds after its scheduled time the job started.</summary>
    [DisallowConcurrentExecution]
    public sealed class LatenessJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var scheduled = Instant.FromDateTimeOffset(context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
            Lateness.Add(Math.Max(0, (WallClock.Now - scheduled).TotalSeconds));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>WAL on the empty file, as the engine's own database has it; Quartz creates its tables in it.</summary>
    private static void CreateSchema(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL";
        command.ExecuteNonQuery();
    }
}
