using System.Globalization;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace Workflows.Benchmarks.Support;

/// <summary>Plain SQL against a host's SQLite file (read while the host runs: WAL lets readers in beside its writer).</summary>
public sealed class Sql(string path) : IDisposable
{
    private readonly SqliteConnection connection = Open(path);

    public string ConnectionString => $"Data Source={path}";

    public long Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    public List<T> Rows<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
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

    /// <summary>EF stores instants as Unix ticks in SQLite.</summary>
    public static Instant InstantOf(long ticks) => Instant.FromUnixTimeTicks(ticks);

    public void Dispose() => connection.Dispose();

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 120;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 60, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
