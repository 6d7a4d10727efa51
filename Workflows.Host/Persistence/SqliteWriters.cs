using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Workflows.Host.Persistence;

/// <summary>
/// The instance store's writes on SQLite, committed in groups. SQLite has one writer at a time, and a durable commit
/// waits for the disk (an fsync: 2 to 6 ms on the development machine), so one commit per save capped every writer at a
/// few hundred saves a second, whatever the CPU could do. Saves queue here; whoever gets the turn writes every save
/// queued by then in one transaction, each in its own savepoint (a save that fails, such as a concurrency conflict, is
/// rolled back alone and fails only its caller), and commits once. A save's caller is answered only after that commit.
/// Waiting for the turn also keeps writers off Microsoft.Data.Sqlite's 150 ms busy-retry sleep (the first profile of
/// answers had <c>Thread.Sleep</c> under the save's <c>BeginTransaction</c>). On PostgreSQL saves do not come here.
/// </summary>
public sealed class SqliteGroupCommit(IDbContextFactory<ProcesFlowDbContext> contexts) : IDisposable
{
    /// <summary>The most saves in one commit: enough to take a burst whole, small enough that one group's wait stays short.</summary>
    private const int MaxGroup = 64;

    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly List<QueuedWrite> queue = [];

    /// <summary>
    /// Runs <paramref name="write"/> inside a group's transaction and returns its result once the group has committed.
    /// <paramref name="write"/> must not begin or commit a transaction itself.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<ProcesFlowDbContext, Task<T>> write, CancellationToken cancellationToken)
    {
        var queued = new QueuedWrite<T>(write);
        lock (queue)
        {
            queue.Add(queued);
        }
        try
        {
            await turn.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (queue)
            {
                if (queue.Remove(queued))
                {
                    throw;
                }
            }
            // Another caller's group has taken this write already: its outcome stands.
            return await queued.Result;
        }
        try
        {
            while (!queued.Result.IsCompleted)
            {
                List<QueuedWrite> group;
                lock (queue)
                {
                    group = queue.Take(MaxGroup).ToList();
                    queue.RemoveRange(0, group.Count);
                }
                await WriteGroupAsync(group);
            }
        }
        finally
        {
            turn.Release();
        }
        return await queued.Result;
    }

    public void Dispose() => turn.Dispose();

    /// <summary>
    /// One transaction for the whole group, written without the callers' cancellation: one caller giving up must not
    /// undo the others' saves.
    /// </summary>
    private async Task WriteGroupAsync(List<QueuedWrite> group)
    {
        var written = new List<QueuedWrite>(group.Count);
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            // Each write has its own savepoint already; EF's automatic one per SaveChanges would only add statements.
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var write in group)
            {
                await transaction.CreateSavepointAsync("write");
                try
                {
                    await write.RunAsync(db);
                    await transaction.ReleaseSavepointAsync("write");
                    written.Add(write);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    await transaction.RollbackToSavepointAsync("write");
                    await transaction.ReleaseSavepointAsync("write");
                    write.Fail(exception);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
            await transaction.CommitAsync();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The commit (or the transaction itself) failed: nothing of the group is stored.
            foreach (var write in group.Where(w => !w.IsFailed))
            {
                write.Fail(exception);
            }
            return;
        }
        foreach (var write in written)
        {
            write.Complete();
        }
    }

    private abstract class QueuedWrite
    {
        public abstract bool IsFailed { get; }

        public abstract Task RunAsync(ProcesFlowDbContext db);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class QueuedWrite<T>(Func<ProcesFlowDbContext, Task<T>> write) : QueuedWrite
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? value;

        public Task<T> Result => completion.Task;

        public override bool IsFailed => completion.Task.IsFaulted;

        public override async Task RunAsync(ProcesFlowDbContext db) => value = await write(db);

        public override void Complete() => completion.TrySetResult(value!);

        public override void Fail(Exception exception) => completion.TrySetException(exception);
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
