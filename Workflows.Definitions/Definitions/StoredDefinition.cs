using NodaTime;

namespace Workflows.Definitions.Definitions;

/// <summary>One version of a definition as stored: its JSON document and its publication state.</summary>
public sealed record StoredDefinition(
    string DefinitionId,
    int Version,
    string Name,
    string? Description,
    bool IsPublished,
    string Json,
    Instant CreatedAt,
    Instant? PublishedAt);
