using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Persistence;

namespace Workflows.Definitions.Definitions;

/// <summary>
/// Drafts and publication. Saving while the latest version is published creates a new draft version; saving
/// while it is a draft replaces that draft. A published version is never changed, so running instances keep theirs.
/// </summary>
public sealed class DefinitionManager(IWorkflowDefinitionStore store, DefinitionParser parser, IClock clock) : IDisposable
{
    public void Dispose() => saving.Dispose();

    // Check-then-save of a revision must not interleave with another save in this process.
    private readonly SemaphoreSlim saving = new(1, 1);

    /// <summary>
    /// The revision of a stored version: changes whenever its content or version changes. A designer sends the
    /// revision it started from, so a second person's save of the same draft is a conflict, not an overwrite.
    /// </summary>
    public static string Revision(StoredDefinition stored) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{stored.Version}\n{stored.Json}"))))[..20];

    /// <summary>Validates and saves a draft; throws <see cref="ValidationException"/> with every error.</summary>
    public Task<StoredDefinition> SaveDraftAsync(JsonNode? document, CancellationToken cancellationToken) =>
        SaveDraftAsync(document, expectedRevision: null, cancellationToken);

    /// <summary>
    /// Validates and saves a draft if the latest version is still <paramref name="expectedRevision"/> (null: no
    /// check, as API clients that predate revisions expect); throws <see cref="DefinitionConflictException"/> if not.
    /// </summary>
    public async Task<StoredDefinition> SaveDraftAsync(JsonNode? document, string? expectedRevision, CancellationToken cancellationToken)
    {
        await saving.WaitAsync(cancellationToken);
        try
        {
            return await SaveCheckedAsync(document, expectedRevision, cancellationToken);
        }
        finally
        {
            saving.Release();
        }
    }

    private async Task<StoredDefinition> SaveCheckedAsync(JsonNode? document, string? expectedRevision, CancellationToken cancellationToken)
    {
        var result = parser.Parse(document);
        if (result.Definition is not { } definition)
        {
            throw new ValidationException(result.Errors);
        }
        var normalized = document!.DeepClone().AsObject();
        var latest = await store.FindLatestAsync(definition.DefinitionId, cancellationToken);
        if (expectedRevision is not null && expectedRevision != (latest is null ? "new" : Revision(latest)))
        {
            throw new DefinitionConflictException(latest);
        }
        var version = latest is null ? 1 : latest.IsPublished || latest.PublishedAt is not null ? latest.Version + 1 : latest.Version;
        normalized["version"] = version;
        var stored = new StoredDefinition(definition.DefinitionId, version, definition.Name, definition.Description, IsPublished: false,
            normalized.ToJsonString(), latest?.Version == version ? latest.CreatedAt : clock.GetCurrentInstant(), null);
        await store.SaveAsync(stored, cancellationToken);
        return stored;
    }

    /// <summary>
    /// Publishes the latest version (a no-op if it is already the published one); throws <see cref="ValidationException"/>
    /// when the draft still has <see cref="UnresolvedParts"/>.
    /// </summary>
    public async Task<StoredDefinition?> PublishAsync(string definitionId, CancellationToken cancellationToken)
    {
        var latest = await store.FindLatestAsync(definitionId, cancellationToken);
        if (latest is null)
        {
            return null;
        }
        if (!latest.IsPublished)
        {
            // A draft may carry what an import could not translate; it is published only once that is resolved.
            if (UnresolvedParts.Find(JsonNode.Parse(latest.Json)) is { Count: > 0 } unresolved)
            {
                throw new ValidationException(unresolved);
            }
            await store.PublishAsync(definitionId, latest.Version, clock.GetCurrentInstant(), cancellationToken);
        }
        return await store.FindAsync(definitionId, latest.Version, cancellationToken);
    }

    /// <summary>Saves and publishes in one go, unless the published version already has the same content.</summary>
    public async Task<StoredDefinition> SaveAndPublishAsync(JsonNode document, CancellationToken cancellationToken)
    {
        var result = parser.Parse(document);
        if (result.Definition is not { } definition)
        {
            throw new ValidationException(result.Errors);
        }
        var published = await store.FindPublishedAsync(definition.DefinitionId, cancellationToken);
        if (published is not null && SameContent(published.Json, document))
        {
            return published;
        }
        await SaveDraftAsync(document, cancellationToken);
        return (await PublishAsync(definition.DefinitionId, cancellationToken))!;
    }

    private static bool SameContent(string storedJson, JsonNode document)
    {
        var stored = JsonNode.Parse(storedJson)!.AsObject();
        var candidate = document.DeepClone().AsObject();
        stored.Remove("version");
        candidate.Remove("version");
        return JsonNode.DeepEquals(stored, candidate);
    }
}

/// <summary>The latest version is no longer the one the save was based on: someone else saved in between.</summary>
public sealed class DefinitionConflictException(StoredDefinition? latest)
    : Exception("The definition was changed by someone else since it was opened.")
{
    public StoredDefinition? Latest { get; } = latest;
}
