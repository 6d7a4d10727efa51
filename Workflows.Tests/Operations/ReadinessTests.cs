using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Workflows.Tests.Support;

namespace Workflows.Tests.Operations;

/// <summary>
/// <c>/health</c> is liveness and answers 200 whatever is down; <c>/health/ready</c> names the database, Hangfire and
/// mail, answers 503 when the database or Hangfire is down, and stays 200 (degraded) when only mail is.
/// </summary>
public abstract class ReadinessTests(TestDatabase database) : IDisposable
{
    private readonly ProcesFlowApiFactory factory = new(database);

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task EverythingUp_ReadinessIs200_AndNamesEachPartHealthy_WithoutAKey()
    {
        var anonymous = factory.CreateClient();

        var (status, body) = await ReadyAsync(anonymous, until: b => b["status"]!.GetValue<string>() == "Healthy");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body["ready"]!.GetValue<bool>());
        Assert.Empty(body["down"]!.AsArray());
        Assert.Equal(["database", "hangfire", "mail"], body["checks"]!.AsObject().Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.All(body["checks"]!.AsObject(), c => Assert.Equal("Healthy", c.Value!["status"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task SmtpServerNotListening_ReadinessStays200_DegradedAndNamesMail()
    {
        factory.Settings["ProcesFlow:Mail:Smtp:Host"] = "127.0.0.1";
        factory.Settings["ProcesFlow:Mail:Smtp:Port"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (status, body) = await ReadyAsync(factory.CreateClient(), until: b => b["checks"]!["hangfire"]!["status"]!.GetValue<string>() == "Healthy");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", body["status"]!.GetValue<string>());
        Assert.True(body["ready"]!.GetValue<bool>());
        Assert.Equal(["mail"], body["down"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Fact]
    public async Task DatabaseGone_ReadinessIs503_AndNamesWhatIsDown_WhileLivenessStays200()
    {
        var anonymous = factory.CreateClient();
        await ReadyAsync(anonymous, until: b => b["status"]!.GetValue<string>() == "Healthy");

        await BreakDatabaseAsync();
        var (status, body) = await ReadyAsync(anonymous, until: b => !b["ready"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body["status"]!.GetValue<string>());
        // On PostgreSQL Hangfire keeps its jobs in the same database, so it is down with it.
        Assert.Equal(database == TestDatabase.PostgreSql ? ["database", "hangfire"] : ["database"], body["down"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal("The database does not answer.", body["checks"]!["database"]!["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    /// <summary>
    /// SQLite: the file is overwritten with something that is not a database. PostgreSQL: the database stops taking
    /// connections and the host's are ended, as when a server goes away.
    /// </summary>
    private async Task BreakDatabaseAsync()
    {
        var connectionString = TestDatabases.Settings(database, factory.Folder)["ConnectionStrings:Workflows"];
        if (database == TestDatabase.PostgreSql)
        {
            var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ToString());
            await admin.OpenAsync();
            await using var refuse = new NpgsqlCommand($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'", admin);
            await refuse.ExecuteNonQueryAsync();
            await using var pooled = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(pooled);
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var file = Path.Combine(factory.Folder, "procesflow.db");
        File.Delete(file + "-wal");
        File.Delete(file + "-shm");
        await File.WriteAllBytesAsync(file, Enumerable.Repeat((byte)'x', 8192).ToArray());
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> ReadyAsync(HttpClient client, Func<JsonObject, bool> until)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            if (until(body) || waited.Elapsed > TimeSpan.FromSeconds(20))
            {
                return (response.StatusCode, body);
            }
            await Task.Delay(100);
        }
    }
}

[Trait("Database", "Sqlite")]
public sealed class ReadinessTestsOnSqlite() : ReadinessTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class ReadinessTestsOnPostgreSql() : ReadinessTests(TestDatabase.PostgreSql);
