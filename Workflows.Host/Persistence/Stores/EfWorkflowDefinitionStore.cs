using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Persistence.Stores;

internal sealed class EfWorkflowDefinitionStore(IDbContextFactory<ProcesFlowDbContext> contexts) : IWorkflowDefinitionStore
{
    public async Task<StoredDefinition?> FindAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == version, cancellationToken);
        return row is null ? null : ToStored(row);
    }

    public async Task<StoredDefinition?> FindLatestAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToStored(row);
    }

    public async Task<StoredDefinition?> FindPublishedAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.IsPublished, cancellationToken);
        return row is null ? null : ToStored(row);
    }

    public async Task<IReadOnlyList<StoredDefinition>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version).ToListAsync(cancellationToken);
        return rows.Select(ToStored).ToList();
    }

    public async Task<IReadOnlyList<StoredDefinition>> ListLatestAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Definitions.AsNoTracking()
            .Where(d => d.Version == db.Definitions.Where(o => o.DefinitionId == d.DefinitionId).Max(o => o.Version))
            .OrderBy(d => d.DefinitionId)
            .ToListAsync(cancellationToken);
        return rows.Select(ToStored).ToList();
    }

    public async Task SaveAsync(StoredDefinition definition, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Definitions.FirstOrDefaultAsync(d => d.DefinitionId == definition.DefinitionId && d.Version == definition.Version, cancellationToken);
        if (row is null)
        {
            db.Definitions.Add(new DefinitionRow
            {
                DefinitionId = definition.DefinitionId,
                Version = definition.Version,
                Name = definition.Name,
                Description = definition.Description,
                IsPublished = definition.IsPublished,
                Json = definition.Json,
                CreatedAt = definition.CreatedAt,
                PublishedAt = definition.PublishedAt,
            });
        }
        else
        {
            if (row.PublishedAt is not null)
            {
                throw new InvalidOperationException($"Version {row.Version} of '{row.DefinitionId}' has been published and cannot change.");
            }
            row.Name = definition.Name;
            row.Description = definition.Description;
            row.Json = definition.Json;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task PublishAsync(string definitionId, int version, Instant publishedAt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Definitions.Where(d => d.DefinitionId == definitionId && d.Version != version && d.IsPublished)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.IsPublished, false), cancellationToken);
        await db.Definitions.Where(d => d.DefinitionId == definitionId && d.Version == version)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.IsPublished, true).SetProperty(d => d.PublishedAt, publishedAt), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static StoredDefinition ToStored(DefinitionRow row) =>
        new(row.DefinitionId, row.Version, row.Name, row.Description, row.IsPublished, row.Json, row.CreatedAt, row.PublishedAt);
}
