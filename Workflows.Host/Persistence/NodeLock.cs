using Microsoft.EntityFrameworkCore;
using Workflows.Host.Hosting;

namespace Workflows.Host.Persistence;

/// <summary>
/// One node at a time across the nodes of one PostgreSQL database: a session advisory lock, held by one open connection
/// until disposed. A killed node's lock goes with its connection, so nothing waits for a dead node. On SQLite (one
/// process per file) there is nothing to take; the caller's own in-process lock is the whole story.
/// </summary>
internal sealed class NodeLock : IAsyncDisposable
{
    /// <summary>Advancing the simulated clock (the bytes of "PFCLOCK1").</summary>
    public const long ClockAdvance = 5784384766430366513;

    /// <summary>Reading the IMAP answer inbox (the bytes of "PFINBOX1").</summary>
    public const long InboxPoll = 5784391371872753713;

    private readonly ProcesFlowDbContext? session;
    private readonly long key;

    private NodeLock(ProcesFlowDbContext? session, long key)
    {
        this.session = session;
        this.key = key;
    }

    /// <summary>Waits until no other node holds <paramref name="key"/>, then holds it.</summary>
    public static async Task<NodeLock> TakeAsync(
        IDbContextFactory<ProcesFlowDbContext> contexts, DatabaseProvider provider, long key, CancellationToken cancellationToken)
    {
        if (provider != DatabaseProvider.PostgreSql)
        {
            return new NodeLock(null, key);
        }
        var session = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            await session.Database.OpenConnectionAsync(cancellationToken);
            await session.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({key})", cancellationToken);
            return new NodeLock(session, key);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (session is null)
        {
            return;
        }
        try
        {
            // Before the connection goes back to the pool, where its session (and so the lock) would live on.
            await session.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({key})");
        }
        finally
        {
            await session.DisposeAsync();
        }
    }
}
