using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Host.Hosting;
using Workflows.Host.Mail;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Persistence;

namespace Workflows.Host.Scheduling;

/// <summary>
/// Hangfire runs the engine's timers and the mail jobs. The engine database is the source of truth: Hangfire's
/// embedded in-memory storage loses its jobs on restart, so at start-up every pending timer is scheduled again
/// from the database, and a sweep every minute catches anything missed. With PostgreSQL, Hangfire keeps its
/// jobs in the same database and spreads them across nodes.
/// </summary>
public static class SchedulingSetup
{
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.SectionName)
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.InterruptedAfter > TimeSpan.Zero && o.WorkerCount > 0,
                "ProcesFlow:Scheduling: PollInterval, InterruptedAfter and WorkerCount must be positive.")
            .ValidateOnStart();
        // The storage is this host's own singleton, never Hangfire's process-wide JobStorage.Current, so two hosts
        // in one process (the tests) cannot take each other's jobs.
        builder.Services.AddSingleton<JobStorage>(services =>
        {
            if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider != DatabaseProvider.PostgreSql)
            {
                return new InMemoryStorage();
            }
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("Workflows");
            var scheduling = services.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            var options = new PostgreSqlStorageOptions
            {
                PrepareSchemaIfNecessary = true,
                // Its default of 15 s would make every enqueued job (a mail, a timer that fell due) up to 15 s late;
                // LISTEN/NOTIFY wakes a worker at once, and the poll interval bounds what a lost notification costs.
                QueuePollInterval = scheduling.PollInterval,
                EnableLongPolling = true,
                // A node killed in the middle of a job: by default its job stays invisible for 30 minutes and its locks
                // are held for 10. A running job renews its claim, so a short timeout only frees what a dead node held.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = scheduling.InterruptedAfter,
                DistributedLockTimeout = scheduling.InterruptedAfter,
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(WithoutWaitingForFlush(connectionString), options), options);
        });
        // Likewise the job activator: Hangfire's default is the process-wide JobActivator.Current, which the last
        // host to start would own, and jobs would run on another host's services.
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(services.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddHangfireServer((services, server) =>
        {
            var options = services.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            server.SchedulePollingInterval = options.PollInterval;
            // Known to the readiness check, which looks for this very server among those the storage lists.
            server.ServerName = services.GetRequiredService<Operations.NodeIdentity>().Name;
            server.WorkerCount = options.WorkerCount;
        });
        builder.Services.AddSingleton<TimerWakeUps>();
        builder.Services.AddSingleton<IInstanceSaveObserver, JobScheduler>();
        builder.Services.AddTransient<EngineJobs>();
        builder.Services.AddTransient<MailJobs>();
        return builder;
    }

    /// <summary>
    /// Hangfire's own connections commit without waiting for the write-ahead log to reach the disk. A timer job commits
    /// at each of its steps (scheduled, enqueued, fetched, processing, succeeded), and every flush made the timer
    /// later. What such a commit can lose is only what the last moments before a crash of the database server wrote,
    /// and Hangfire holds no truth: a lost timer job is fired by the sweep from the engine's bookmarks, a lost mail job
    /// by the next minute's run, and a job that runs twice does no harm. The engine's own connections keep durable commits.
    /// </summary>
    private static string? WithoutWaitingForFlush(string? connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        return builder.ConnectionString;
    }

    /// <summary>Recurring jobs, the start-up refill of timers from the database, and the dashboard at <c>/hangfire</c>.</summary>
    public static async Task UseSchedulingAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<EngineJobs>(EngineJobs.SweepJobId, j => j.SweepAsync(CancellationToken.None), Cron.Minutely);
        recurring.AddOrUpdate<MailJobs>(MailJobs.RecurringJobId, j => j.SendAsync(CancellationToken.None), Cron.Minutely);
        recurring.AddOrUpdate<InboxJobs>(InboxJobs.RecurringJobId, j => j.PollAsync(CancellationToken.None),
            app.Services.GetRequiredService<IOptions<MailOptions>>().Value.Imap.PollSchedule);

        var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();
        if (app.Services.GetRequiredService<IOptions<ClockOptions>>().Value.Mode == ClockMode.System)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync(cancellationToken);
            var now = app.Services.GetRequiredService<IClock>().GetCurrentInstant();
            var pending = await db.Bookmarks.AsNoTracking()
                .Where(b => b.ResumeAt != null && b.ResumeAt > now)
                .Select(b => b.ResumeAt!.Value)
                .Distinct()
                .ToListAsync(cancellationToken);
            var wakeUps = app.Services.GetRequiredService<TimerWakeUps>();
            foreach (var due in pending)
            {
                wakeUps.Schedule(due);
            }
        }
        // Whatever fell due or was interrupted while no process ran.
        jobs.Enqueue<EngineJobs>(j => j.SweepAsync(CancellationToken.None));
        jobs.Enqueue<MailJobs>(j => j.SendAsync(CancellationToken.None));

        // For signed-in administrators: the endpoint requires the policy, and Hangfire's own filter checks the role again.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new SignedInAdministrator()] })
            .RequireAuthorization(Security.SecuritySetup.StaffAdminPolicy);
    }
}

/// <summary>Hangfire's dashboard filter: the request has passed the administrators' policy; its user is an administrator.</summary>
internal sealed class SignedInAdministrator : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context is AspNetCoreDashboardContext aspNetCore && aspNetCore.HttpContext.User.IsInRole(Security.StaffRoles.Administrator);
}

/// <summary>
/// Hangfire's log provider is process-wide; when the host that set it has stopped (tests run several hosts in
/// one process), its logger factory is disposed. Asking for a logger then gives a silent one instead of failing.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : Hangfire.Logging.ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return new Silent();
        }
    }

    private sealed class Silent : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
