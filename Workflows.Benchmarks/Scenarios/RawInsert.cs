using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Workflows.Benchmarks.Support;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// The raw limit for the fan-out: the very rows one started hearing left in the engine's tables (instance, party tasks,
/// timers, journal, outbox), written again with new ids by plain prepared INSERTs, one transaction per hearing (the
/// engine's unit of durability), into an empty copy of the engine's schema (indexes included) in WAL mode.
/// </summary>
public static class RawInsert
{
    public static double PartyTasksPerSecond(string engineDatabase, Dictionary<string, List<Dictionary<string, object?>>> sample, int hearings, string folder)
    {
        var path = Path.Combine(folder, "raw.db");
        File.Delete(path);
        using var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        raw.Open();
        Exec(raw, "PRAGMA journal_mode=WAL;");
        using (var engine = Sql.Sqlite(engineDatabase))
        {
            var ddl = engine.Rows("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND type IN ('table', 'index') ORDER BY type DESC", r => r.GetString(0));
            foreach (var statement in ddl)
            {
                Exec(raw, statement);
            }
        }

        // Every id in the sample gets a new value per copy; references between the rows follow.
        var ids = sample.Values.SelectMany(rows => rows).SelectMany(row => new[] { row.GetValueOrDefault("Id"), row.GetValueOrDefault("InstanceId"), row.GetValueOrDefault("PartyTaskId") })
            .OfType<string>().Where(v => Guid.TryParse(v, out _)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var inserts = sample.Where(t => t.Value.Count > 0).Select(t =>
        {
            var columns = t.Value[0].Keys.ToList();
            var command = raw.CreateCommand();
            command.CommandText = $"INSERT INTO {t.Key} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
            for (var i = 0; i < columns.Count; i++)
            {
                command.Parameters.Add(new SqliteParameter($"@p{i}", null));
            }
            return (Rows: t.Value, Columns: columns, Command: command);
        }).ToList();
        var partyTasks = sample["party_tasks"].Count;

        var elapsed = Stopwatch.StartNew();
        for (var h = 0; h < hearings; h++)
        {
            var map = ids.ToDictionary(id => id, _ => Guid.NewGuid().ToString().ToUpperInvariant(), StringComparer.OrdinalIgnoreCase);
            using var transaction = raw.BeginTransaction();
            foreach (var (rows, columns, command) in inserts)
            {
                command.Transaction = transaction;
                foreach (var row in rows)
                {
                    for (var i = 0; i < columns.Count; i++)
                    {
                        var value = row[columns[i]];
                        if (columns[i] == "Id" && value is long)
                        {
                            value = null; // An integer key (the journal): SQLite numbers it.
                        }
                        else if (value is string text && map.TryGetValue(text, out var mapped))
                        {
                            value = mapped;
                        }
                        command.Parameters[i].Value = value ?? DBNull.Value;
                    }
                    command.ExecuteNonQuery();
                }
            }
            transaction.Commit();
            if (h % 50 == 0)
            {
                Progress.Report($"{h}/{hearings} hearings");
            }
        }
        var rate = hearings * partyTasks / elapsed.Elapsed.TotalSeconds;
        foreach (var insert in inserts)
        {
            insert.Command.Dispose();
        }
        return rate;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
