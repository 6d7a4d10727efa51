using Microsoft.EntityFrameworkCore;
using Workflows.Host.Hosting;
using Workflows.Host.Persistence;

namespace Workflows.Host.Mail;

/// <summary>
/// Who may send an outbox row right now, across the nodes of one PostgreSQL database: a session advisory lock per row,
/// held by one connection for a whole batch. The claim on the row (<see cref="OutboxDispatcher"/>) alone is not enough
/// there: it runs out on the engine's clock, and a simulated clock can jump past it while a node is still sending, after
/// which a second node would claim and send the same rows. A lock cannot run out that way, and a killed node's locks go
/// with its connection. On SQLite (one process per file) the dispatcher's own semaphore is enough: every row is free.
/// </summary>
internal sealed class OutboxRowLocks : IAsyncDisposable
{
    private readonly ProcesFlowDbContext? session;

    private OutboxRowLocks(ProcesFlowDbContext? session) => this.session = session;

    public static async Task<OutboxRowLocks> OpenAsync(IDbContextFactory<ProcesFlowDbContext> contexts, DatabaseProvider provider, CancellationToken cancellationToken)
    {
        if (provider != DatabaseProvider.PostgreSql)
        {
            return new OutboxRowLocks(null);
        }
        var session = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            await session.Database.OpenConnectionAsync(cancellationToken);
            return new OutboxRowLocks(session);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when this node now holds <paramref name="rowId"/> until the batch ends; false when another node does.</summary>
    public async Task<bool> TryTakeAsync(Guid rowId, CancellationToken cancellationToken)
    {
        if (session is null)
        {
            return true;
        }
        var key = Key(rowId);
        return await session.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (session is null)
        {
            return;
        }
        try
        {
            // The connection goes back to the pool, where its session (and so its locks) would live on.
            await session.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock_all()");
        }
        finally
        {
            await session.DisposeAsync();
        }
    }

    /// <summary>The row's id folded to the lock's 64 bits; two rows sharing a key only wait for each other's batch.</summary>
    private static long Key(Guid rowId)
    {
        Span<byte> bytes = stackalloc byte[16];
        rowId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }
}
