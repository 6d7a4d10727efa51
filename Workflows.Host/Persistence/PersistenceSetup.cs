using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Workflows.Definitions.Persistence;
using Workflows.Host.Hosting;
using Workflows.Host.Persistence.Stores;

namespace Workflows.Host.Persistence;

public static class PersistenceSetup
{
    /// <summary>The embedded default: a SQLite file under <c>data/</c> beside the content root.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/procesflow.db";

    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IDbContextFactory<ProcesFlowDbContext>, ProcesFlowDbContextFactory>();
        builder.Services.AddSingleton<IWorkflowDefinitionStore, EfWorkflowDefinitionStore>();
        builder.Services.AddSingleton<SqliteGroupCommit>();
        builder.Services.AddSingleton<IWorkflowInstanceStore, EfWorkflowInstanceStore>();
        builder.Services.AddSingleton<DatabaseInitializer>();
        return builder;
    }
}

/// <summary>
/// Creates the provider's own context subclass (each has its own migrations) from configuration. Contexts come from a
/// pool: one answer opens several (reading the task, the instance and the definition, saving, auditing), and each new
/// context paid for EF's internal services, loggers and (on SQLite) a connection with its functions registered, which
/// the answers benchmark's profile showed as lock contention and garbage. A context keeps no state of its own between
/// uses (the team filter reads the current request's).
/// </summary>
internal sealed class ProcesFlowDbContextFactory(IConfiguration configuration, IOptions<DatabaseOptions> options, IHostEnvironment environment)
    : IDbContextFactory<ProcesFlowDbContext>
{
    private readonly Func<ProcesFlowDbContext> create = Build(configuration, options.Value, environment);

    public ProcesFlowDbContext CreateDbContext() => create();

    private static Func<ProcesFlowDbContext> Build(IConfiguration configuration, DatabaseOptions options, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString("Workflows");
        switch (options.Provider)
        {
            case DatabaseProvider.PostgreSql:
                {
                    if (string.IsNullOrWhiteSpace(connectionString))
                    {
                        throw new OptionsValidationException("ConnectionStrings:Workflows", typeof(DatabaseOptions),
                            ["ConnectionStrings:Workflows is required when ProcesFlow:Database:Provider is PostgreSql."]);
                    }
                    var postgres = new DbContextOptionsBuilder<PostgreSqlProcesFlowDbContext>()
                        .UseNpgsql(connectionString, o => o.UseNodaTime())
                        .Options;
                    var pool = new PooledDbContextFactory<PostgreSqlProcesFlowDbContext>(postgres);
                    return pool.CreateDbContext;
                }
            default:
                {
                    var sqlite = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connectionString) ? PersistenceSetup.DefaultSqliteConnectionString : connectionString);
                    if (!Path.IsPathRooted(sqlite.DataSource) && sqlite.DataSource != ":memory:")
                    {
                        sqlite.DataSource = Path.Combine(environment.ContentRootPath, sqlite.DataSource);
                    }
                    if (Path.GetDirectoryName(sqlite.DataSource) is { Length: > 0 } folder)
                    {
                        Directory.CreateDirectory(folder);
                    }
                    // Wait for SQLite's single writer rather than fail with "database is locked".
                    sqlite.DefaultTimeout = 30;
                    var sqliteOptions = new DbContextOptionsBuilder<SqliteProcesFlowDbContext>()
                        .UseSqlite(sqlite.ToString())
                        .AddInterceptors(new SqliteBusyTimeout((int)TimeSpan.FromSeconds(sqlite.DefaultTimeout).TotalMilliseconds))
                        .Options;
                    var pool = new PooledDbContextFactory<SqliteProcesFlowDbContext>(sqliteOptions);
                    return pool.CreateDbContext;
                }
        }
    }
}

/// <summary>Brings the schema up to date at start-up (and switches SQLite to WAL so readers never block the writer).</summary>
public sealed class DatabaseInitializer(IDbContextFactory<ProcesFlowDbContext> contexts, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, pending);
            await db.Database.MigrateAsync(cancellationToken);
        }
    }
}
