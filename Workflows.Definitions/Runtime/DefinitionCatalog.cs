using System.Collections.Concurrent;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Persistence;

namespace Workflows.Definitions.Runtime;

/// <summary>Parsed and bound definition versions, cached: a published version never changes, so it is parsed once.</summary>
public sealed class DefinitionCatalog(IWorkflowDefinitionStore store, DefinitionParser parser)
{
    private readonly ConcurrentDictionary<(string Id, int Version), (string Json, WorkflowDefinition Definition)> cache = new();

    public async Task<WorkflowDefinition> GetAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        var stored = await store.FindAsync(definitionId, version, cancellationToken)
            ?? throw new InvalidOperationException($"Definition '{definitionId}' version {version} does not exist.");
        return Get(stored);
    }

    public WorkflowDefinition Get(StoredDefinition stored)
    {
        if (cache.TryGetValue((stored.DefinitionId, stored.Version), out var cached) && cached.Json == stored.Json)
        {
            return cached.Definition;
        }
        var result = parser.Parse(stored.Json);
        var definition = result.Definition
            ?? throw new ValidationException(result.Errors);
        cache[(stored.DefinitionId, stored.Version)] = (stored.Json, definition);
        return definition;
    }
}
