namespace Workflows.Definitions.Runtime;

/// <summary>
/// One in-process lock per instance, so stimuli for the same instance queue up instead of colliding, while
/// different instances run in parallel. Across processes the store's revision check keeps one writer.
/// </summary>
public sealed class InstanceLocks
{
    private readonly Dictionary<Guid, Entry> entries = [];

    public async Task<IDisposable> AcquireAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(instanceId, out entry!))
            {
                entry = new Entry();
                entries[instanceId] = entry;
            }
            entry.Users++;
        }
        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(instanceId, entry, held: false);
            throw;
        }
        return new Handle(this, instanceId, entry);
    }

    /// <summary>How many instances have a lock entry (for tests: entries must not leak).</summary>
    internal int Count
    {
        get
        {
            lock (entries)
            {
                return entries.Count;
            }
        }
    }

    private void Release(Guid instanceId, Entry entry, bool held)
    {
        if (held)
        {
            entry.Semaphore.Release();
        }
        lock (entries)
        {
            if (--entry.Users == 0)
            {
                entries.Remove(instanceId);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Handle(InstanceLocks owner, Guid instanceId, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Release(instanceId, entry, held: true);
            }
        }
    }
}
