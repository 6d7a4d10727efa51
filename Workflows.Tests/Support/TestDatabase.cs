using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Workflows.Host.Persistence;

namespace Workflows.Tests.Support;

/// <summary>
/// The database a test class runs on. Every test class that uses the database is abstract and takes one of these; it
/// has two sealed subclasses, <c>…OnSqlite</c> and <c>…OnPostgreSql</c>, so the same tests run on both providers and
/// <c>./scripts/test.sh</c> counts them by that suffix.
/// </summary>
public enum TestDatabase
{
    /// <summary>A SQLite file in the test's temporary folder (the embedded default).</summary>
    Sqlite,

    /// <summary>A database of its own on the test run's one PostgreSQL server (<see cref="SharedPostgres"/>).</summary>
    PostgreSql,
}

public static class TestDatabases
{
    /// <summary>
    /// The configuration that puts a host whose files live in <paramref name="folder"/> on <paramref name="database"/>.
    /// For PostgreSQL the database is named after the folder, so a second host on the same folder (a restart) finds
    /// the same database; it is created when missing.
    /// </summary>
    public static Dictionary<string, string> Settings(TestDatabase database, string folder) => database switch
    {
        TestDatabase.PostgreSql => new()
        {
            ["ProcesFlow:Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Workflows"] = SharedPostgres.ConnectionString(SharedPostgres.EnsureDatabase(DatabaseName(folder))),
        },
        _ => new()
        {
            ["ProcesFlow:Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Workflows"] = $"Data Source={Path.Combine(folder, "procesflow.db")}",
        },
    };

    /// <summary><see cref="Settings(TestDatabase, string)"/> and <paramref name="more"/>, for a host process.</summary>
    public static Dictionary<string, string> Settings(TestDatabase database, string folder, Dictionary<string, string> more)
    {
        var settings = Settings(database, folder);
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>
    /// The connection string of an empty database for a host whose files live in <paramref name="folder"/>, without
    /// the schema (for PostgreSQL a database created without the template), so a test can bring it to an older
    /// migration before the host starts on it.
    /// </summary>
    public static string Empty(TestDatabase database, string folder) => database switch
    {
        TestDatabase.PostgreSql => SharedPostgres.ConnectionString(SharedPostgres.CreateEmptyDatabase(DatabaseName(folder))),
        _ => $"Data Source={Path.Combine(folder, "procesflow.db")}",
    };

    /// <summary>Removes what <see cref="Settings(TestDatabase, string)"/> created outside the folder (the PostgreSQL database).</summary>
    public static void Drop(TestDatabase database, string folder)
    {
        if (database == TestDatabase.PostgreSql)
        {
            SharedPostgres.DropDatabase(DatabaseName(folder));
        }
    }

    /// <summary>A valid, short PostgreSQL identifier derived from the folder's full path.</summary>
    private static string DatabaseName(string folder)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder).TrimEnd('/')));
        return "pf_" + Convert.ToHexString(hash, 0, 12).ToLower(CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// One private PostgreSQL server for the whole test run, started on first use (so a run that needs no PostgreSQL
/// starts none) and stopped when the test process exits. Each host gets a database of its own on it, copied from a
/// template that already holds the schema (the engine's migrations and Hangfire's tables): a copy costs milliseconds,
/// migrating every database anew seconds, a fresh server more.
/// </summary>
public static class SharedPostgres
{
    private const string Template = "pf_template";

    private static readonly Lazy<PostgresServer> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ConnectionString(string database) =>
        // Pooling stays on: hosts come and go by the hundred, and each would otherwise open a connection per query.
        $"Host=127.0.0.1;Port={Server.Value.Port};Username=postgres;Database={database};Maximum Pool Size=20;Include Error Detail=true";

    /// <summary>Creates <paramref name="database"/> from the template unless it exists; returns its name.</summary>
    public static string EnsureDatabase(string database)
    {
        using var connection = new NpgsqlConnection(Server.Value.ConnectionString());
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (exists.ExecuteScalar() is null)
        {
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\" TEMPLATE {Template}", connection);
            create.ExecuteNonQuery();
        }
        return database;
    }

    /// <summary>Creates <paramref name="database"/> with no schema at all; returns its name.</summary>
    public static string CreateEmptyDatabase(string database)
    {
        using var connection = new NpgsqlConnection(Server.Value.ConnectionString());
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        create.ExecuteNonQuery();
        return database;
    }

    /// <summary>Drops <paramref name="database"/>, closing whatever connections a stopped host's pool still holds.</summary>
    public static void DropDatabase(string database)
    {
        if (!Server.IsValueCreated)
        {
            return;
        }
        using (var pooled = new NpgsqlConnection(ConnectionString(database)))
        {
            NpgsqlConnection.ClearPool(pooled);
        }
        using var connection = new NpgsqlConnection(Server.Value.ConnectionString());
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    private static PostgresServer Start()
    {
        var server = PostgresServer.StartAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        PrepareTemplate(server);
        return server;
    }

    /// <summary>The schema every test database starts from, made the way a host makes it on an empty database.</summary>
    private static void PrepareTemplate(PostgresServer server)
    {
        using (var connection = new NpgsqlConnection(server.ConnectionString()))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {Template}", connection);
            create.ExecuteNonQuery();
        }
        // No pooling: a template must have no open connection when it is copied.
        var template = server.ConnectionString(Template);
        var options = new DbContextOptionsBuilder<PostgreSqlProcesFlowDbContext>().UseNpgsql(template, o => o.UseNodaTime()).Options;
        using (var db = new PostgreSqlProcesFlowDbContext(options))
        {
            db.Database.Migrate();
        }
        var hangfire = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
        _ = new PostgreSqlStorage(new NpgsqlConnectionFactory(template, hangfire), hangfire);
    }
}
