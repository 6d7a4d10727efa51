using NodaTime;
using Workflows.Definitions.Definitions;

namespace Workflows.Definitions.Persistence.InMemory;

/// <summary>Definitions in memory: the single draft a prøvekørsel runs, and the core's unit tests.</summary>
public sealed class InMemoryWorkflowDefinitionStore : IWorkflowDefinitionStore
{
    private readonly List<StoredDefinition> versions = [];

    public Task<StoredDefinition?> FindAsync(string definitionId, int version, CancellationToken cancellationToken) =>
        Task.FromResult(versions.FirstOrDefault(v => v.DefinitionId == definitionId && v.Version == version));

    public Task<StoredDefinition?> FindLatestAsync(string definitionId, CancellationToken cancellationToken) =>
        Task.FromResult(versions.Where(v => v.DefinitionId == definitionId).MaxBy(v => v.Version));

    public Task<StoredDefinition?> FindPublishedAsync(string definitionId, CancellationToken cancellationToken) =>
        Task.FromResult(versions.FirstOrDefault(v => v.DefinitionId == definitionId && v.IsPublished));

    public Task<IReadOnlyList<StoredDefinition>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredDefinition>>(versions.Where(v => v.DefinitionId == definitionId).OrderByDescending(v => v.Version).ToList());

    public Task<IReadOnlyList<StoredDefinition>> ListLatestAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredDefinition>>(versions.GroupBy(v => v.DefinitionId).Select(g => g.MaxBy(v => v.Version)!).ToList());

    public Task SaveAsync(StoredDefinition definition, CancellationToken cancellationToken)
    {
        versions.RemoveAll(v => v.DefinitionId == definition.DefinitionId && v.Version == definition.Version);
        versions.Add(definition);
        return Task.CompletedTask;
    }

    public Task PublishAsync(string definitionId, int version, Instant publishedAt, CancellationToken cancellationToken)
    {
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i].DefinitionId == definitionId)
            {
                var isTarget = versions[i].Version == version;
                versions[i] = versions[i] with { IsPublished = isTarget, PublishedAt = isTarget ? publishedAt : versions[i].PublishedAt };
            }
        }
        return Task.CompletedTask;
    }
}
