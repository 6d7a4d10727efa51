using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Persistence;

namespace Workflows.Host.Api;

/// <summary><c>/api/definitions</c>: drafts, publication and versions; plus the activity catalogue for the designer.</summary>
public static class DefinitionsApi
{
    /// <summary>A definition document larger than this is refused (413) before it is read.</summary>
    public const int MaxDocumentBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapDefinitionsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("definitions").WithTags("Definitions");
        group.MapPost("", SaveDraftAsync).WithName("SaveDefinitionDraft")
            .Accepts<JsonObject>("application/json")
            .WithSummary("Validates and saves a definition as a draft (a new version if the latest is published).");
        group.MapGet("", ListAsync).WithName("ListDefinitions");
        group.MapGet("{definitionId}", GetAsync).WithName("GetDefinition");
        group.MapGet("{definitionId}/versions", ListVersionsAsync).WithName("ListDefinitionVersions");
        group.MapPost("{definitionId}/publish", PublishAsync).WithName("PublishDefinition");
        api.MapGet("activities", ListActivities).WithTags("Definitions").WithName("ListActivityTypes");
        api.MapGet("schemas/definition", Schema).WithTags("Definitions").WithName("GetDefinitionSchema")
            .WithSummary("The JSON Schema (2020-12) of the definition format; the same as definitions-json/definition.schema.json.");
        return api;
    }

    public static async Task<Results<Created<DefinitionSaved>, ValidationProblem, ProblemHttpResult>> SaveDraftAsync(
        HttpRequest request, DefinitionManager manager, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxDocumentBytes)
        {
            return TypedResults.Problem($"A definition may be at most {MaxDocumentBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var text = await ReadBodyAsync(request, cancellationToken);
        if (text is null)
        {
            return TypedResults.Problem($"A definition may be at most {MaxDocumentBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        if (!DefinitionParser.TryReadJson(text, out var document, out var error))
        {
            return ApiResults.Invalid([error!]);
        }
        try
        {
            var stored = await manager.SaveDraftAsync(document, cancellationToken);
            return TypedResults.Created($"/api/definitions/{stored.DefinitionId}?version={stored.Version}", new DefinitionSaved(stored.DefinitionId, stored.Version));
        }
        catch (ValidationException exception)
        {
            return ApiResults.Invalid(exception.Errors);
        }
    }

    public static async Task<Ok<List<DefinitionSummary>>> ListAsync(IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var latest = await store.ListLatestAsync(cancellationToken);
        var summaries = new List<DefinitionSummary>();
        foreach (var definition in latest)
        {
            var published = definition.IsPublished ? definition : await store.FindPublishedAsync(definition.DefinitionId, cancellationToken);
            summaries.Add(new DefinitionSummary(definition.DefinitionId, definition.Name, definition.Description, definition.Version, published?.Version));
        }
        return TypedResults.Ok(summaries);
    }

    public static async Task<Results<Ok<DefinitionDocument>, ProblemHttpResult>> GetAsync(
        string definitionId, int? version, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var stored = version is { } v
            ? await store.FindAsync(definitionId, v, cancellationToken)
            : await store.FindLatestAsync(definitionId, cancellationToken);
        return stored is null
            ? ApiResults.NotFound(version is null ? $"There is no definition '{definitionId}'." : $"Definition '{definitionId}' has no version {version}.")
            : TypedResults.Ok(ToDocument(stored));
    }

    public static async Task<Results<Ok<List<DefinitionVersionSummary>>, ProblemHttpResult>> ListVersionsAsync(
        string definitionId, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var versions = await store.ListVersionsAsync(definitionId, cancellationToken);
        return versions.Count == 0
            ? ApiResults.NotFound($"There is no definition '{definitionId}'.")
            : TypedResults.Ok(versions.Select(v => new DefinitionVersionSummary(v.Version, v.Name, v.IsPublished, v.CreatedAt, v.PublishedAt)).ToList());
    }

    public static async Task<Results<Ok<DefinitionSaved>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        string definitionId, DefinitionManager manager, CancellationToken cancellationToken)
    {
        StoredDefinition? published;
        try
        {
            published = await manager.PublishAsync(definitionId, cancellationToken);
        }
        catch (ValidationException exception)
        {
            // The draft still has parts an import could not translate (UnresolvedParts).
            return ApiResults.Invalid(exception.Errors);
        }
        return published is null
            ? ApiResults.NotFound($"There is no definition '{definitionId}'.")
            : TypedResults.Ok(new DefinitionSaved(published.DefinitionId, published.Version));
    }

    public static Ok<List<ActivityTypeDescription>> ListActivities(ActivityRegistry registry) =>
        TypedResults.Ok(registry.All
            .Select(d => new ActivityTypeDescription(d.Type, d.DisplayName, d.Category, d.Description, d.CanWait,
                d.Properties.Select(p => new ActivityPropertyDescription(p.Name, p.Kind, p.Required, p.DisplayName, p.Values)).ToList()))
            .ToList());

    public static Ok<JsonObject> Schema(ActivityRegistry registry) => TypedResults.Ok(DefinitionSchema.Build(registry));

    private static DefinitionDocument ToDocument(StoredDefinition stored) =>
        new(stored.DefinitionId, stored.Version, stored.Name, stored.Description, stored.IsPublished, stored.CreatedAt, stored.PublishedAt,
            JsonNode.Parse(stored.Json)!.AsObject());

    /// <summary>Reads the body as UTF-8 text, or null if it is larger than <see cref="MaxDocumentBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

public sealed record DefinitionSaved(string DefinitionId, int Version);

public sealed record DefinitionSummary(string DefinitionId, string Name, string? Description, int LatestVersion, int? PublishedVersion);

public sealed record DefinitionVersionSummary(int Version, string Name, bool IsPublished, Instant CreatedAt, Instant? PublishedAt);

public sealed record DefinitionDocument(
    string DefinitionId, int Version, string Name, string? Description, bool IsPublished, Instant CreatedAt, Instant? PublishedAt, JsonObject Definition);

public sealed record ActivityTypeDescription(string Type, string DisplayName, string Category, string Description, bool CanWait, List<ActivityPropertyDescription> Properties);

public sealed record ActivityPropertyDescription(string Name, string Kind, bool Required, string DisplayName, IReadOnlyList<string>? Values);
