using Workflows.Definitions.Definitions;

namespace Workflows.Definitions.Persistence;

/// <summary>Versioned definitions: every version is kept, so a running instance always finds the one it started on.</summary>
public interface IWorkflowDefinitionStore
{
    Task<StoredDefinition?> FindAsync(string definitionId, int version, CancellationToken cancellationToken);

    /// <summary>The newest version, draft or published.</summary>
    Task<StoredDefinition?> FindLatestAsync(string definitionId, CancellationToken cancellationToken);

    /// <summary>The version new instances start on.</summary>
    Task<StoredDefinition?> FindPublishedAsync(string definitionId, CancellationToken cancellationToken);

    /// <summary>All versions of one definition, newest first.</summary>
    Task<IReadOnlyList<StoredDefinition>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken);

    /// <summary>The latest version of every definition.</summary>
    Task<IReadOnlyList<StoredDefinition>> ListLatestAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a new version or replaces an existing draft (the same id and version).</summary>
    Task SaveAsync(StoredDefinition definition, CancellationToken cancellationToken);

    /// <summary>Marks <paramref name="version"/> as the published one and every other version as not published, atomically.</summary>
    Task PublishAsync(string definitionId, int version, NodaTime.Instant publishedAt, CancellationToken cancellationToken);
}
