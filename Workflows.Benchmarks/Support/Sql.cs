using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NodaTime;
using Npgsql;

namespace Workflows.Benchmarks.Support;

/// <summary>
/// Plain SQL against a host's database while it runs: its SQLite file (WAL lets readers in beside its writer) or its
/// PostgreSQL database. The engine's columns are quoted (<c>"InstanceId"</c>), which both read the same way.
/// </summary>
public sealed class Sql : IDisposable
{
    private readonly DbConnection connection;

    private Sql(DbConnection connection)
    {
        this.connection = connection;
        connection.Open();
    }

    public bool IsPostgreSql => connection is NpgsqlConnection;

    public static Sql Sqlite(string path) =>
        new(new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 60, Pooling = false }.ToString()));

    public static Sql PostgreSql(string connectionString) =>
        new(new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 120 }.ToString()));

    public long Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    public List<T> Rows<T>(string sql, Func<DbDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>An instant column: EF stores instants as Unix ticks in SQLite and as <c>timestamptz</c> in PostgreSQL.</summary>
    public static Instant InstantAt(DbDataReader reader, int ordinal) =>
        reader is NpgsqlDataReader
            ? Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(ordinal))
            : Instant.FromUnixTimeTicks(reader.GetInt64(ordinal));

    /// <summary>A Guid column: text in SQLite, <c>uuid</c> in PostgreSQL.</summary>
    public static Guid GuidAt(DbDataReader reader, int ordinal) =>
        reader is NpgsqlDataReader ? reader.GetGuid(ordinal) : Guid.Parse(reader.GetString(ordinal));

    public void Dispose() => connection.Dispose();

    private DbCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 120;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
