using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Workflows.Host.Persistence;

/// <summary>
/// SQLite has one writer at a time. When two connections of this process both want to write, the loser gets "busy",
/// and Microsoft.Data.Sqlite retries it after sleeping 150 ms: under 16 concurrent answers that sleep, not the work,
/// set the latency (the benchmark's profile: <c>Thread.Sleep</c> under <c>BeginTransaction</c> in the instance store's
/// save). So the instance store's saves queue here instead, in order and without blocking a thread; on PostgreSQL the
/// gate is open.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Waits for the turn to write through <paramref name="db"/>; null (nothing to release) when it is not SQLite.</summary>
    public async ValueTask<IDisposable?> EnterAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return null;
        }
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    public void Dispose() => gate.Dispose();

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

/// <summary>
/// Lets SQLite itself wait for the write lock (<c>busy_timeout</c>, backing off from 1 ms), so a writer outside the
/// gate (the outbox, the answer rows) meets a short wait rather than Microsoft.Data.Sqlite's 150 ms retry sleep.
/// </summary>
internal sealed class SqliteBusyTimeout(int milliseconds) : DbConnectionInterceptor
{
    private readonly string pragma = $"PRAGMA busy_timeout = {milliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
