using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Designer;
using Workflows.Definitions.Persistence;
using Workflows.Host.Audit;

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
        group.MapPost("{definitionId}/publish", PublishAsync).WithName("PublishDefinition")
            .WithSummary("Publishes the latest version. With strict=true (as the designer publishes) it is refused (400) while the designer's checks find errors, e.g. an outcome port that leads nowhere.");
        group.MapPost("validate", ValidateAsync).WithName("ValidateDefinition")
            .Accepts<JsonObject>("application/json")
            .WithSummary("Checks a definition without saving: 400 with the same problem details as saving, or 200; both carry the designer's Danish problems and every activity's ports.");
        group.MapGet("{definitionId}/diff", DiffAsync).WithName("DiffDefinitionVersions")
            .WithSummary("The changes from version 'from' to version 'to', in plain Danish.");
        group.MapGet("{definitionId}/text", TextAsync).WithName("DescribeDefinition")
            .WithSummary("The flow described step by step in Danish (\"Læs som tekst\").");
        group.MapPost("{definitionId}/versions/{version:int}/restore", RestoreAsync).WithName("RestoreDefinitionVersion")
            .WithSummary("Saves an earlier version's content as the latest draft (a new version when the latest is published).");
        api.MapGet("activities", ListActivities).WithTags("Definitions").WithName("ListActivityTypes");
        api.MapGet("schemas/definition", Schema).WithTags("Definitions").WithName("GetDefinitionSchema")
            .WithSummary("The JSON Schema (2020-12) of the definition format; the same as definitions-json/definition.schema.json.");
        return api;
    }

    /// <remarks>
    /// With <c>If-Match: "revision"</c> (the <c>ETag</c> of the version the editor opened, or <c>"new"</c> for a
    /// definition that must not exist yet) the save is refused with 409 when someone else saved in between;
    /// without it, the draft is saved as before.
    /// </remarks>
    public static async Task<Results<Created<DefinitionSaved>, ValidationProblem, ProblemHttpResult>> SaveDraftAsync(
        HttpRequest request, DefinitionManager manager, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxDocumentBytes)
        {
            return TypedResults.Problem($"A definition may be at most {MaxDocumentBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var text = await ApiResults.ReadBodyAsync(request, MaxDocumentBytes, cancellationToken);
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
            var stored = await manager.SaveDraftAsync(document, ExpectedRevision(request), cancellationToken);
            SetRevision(request.HttpContext, stored);
            AuditTrail.Note(request.HttpContext, new AuditEntry("", $"definitionId={stored.DefinitionId}", After: $"version {stored.Version}"));
            return TypedResults.Created($"/api/definitions/{stored.DefinitionId}?version={stored.Version}", new DefinitionSaved(stored.DefinitionId, stored.Version));
        }
        catch (ValidationException exception)
        {
            return ApiResults.Invalid(exception.Errors);
        }
        catch (DefinitionConflictException exception)
        {
            return ApiResults.Conflict(exception.Latest is { } latest
                ? $"Version {latest.Version} of '{latest.DefinitionId}' was changed by someone else since it was opened (its revision is now {DefinitionManager.Revision(latest)})."
                : "The definition does not exist (any more).");
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

    /// <remarks>The latest version carries its revision as <c>ETag</c>, for <c>If-Match</c> on the next save.</remarks>
    public static async Task<Results<Ok<DefinitionDocument>, ProblemHttpResult>> GetAsync(
        string definitionId, int? version, IWorkflowDefinitionStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var stored = version is { } v
            ? await store.FindAsync(definitionId, v, cancellationToken)
            : await store.FindLatestAsync(definitionId, cancellationToken);
        if (stored is null)
        {
            return ApiResults.NotFound(version is null ? $"There is no definition '{definitionId}'." : $"Definition '{definitionId}' has no version {version}.");
        }
        if (version is null)
        {
            SetRevision(http, stored);
        }
        return TypedResults.Ok(ToDocument(stored));
    }

    public static async Task<Results<Ok<List<DefinitionVersionSummary>>, ProblemHttpResult>> ListVersionsAsync(
        string definitionId, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var versions = await store.ListVersionsAsync(definitionId, cancellationToken);
        return versions.Count == 0
            ? ApiResults.NotFound($"There is no definition '{definitionId}'.")
            : TypedResults.Ok(versions.Select(v => new DefinitionVersionSummary(v.Version, v.Name, v.IsPublished, v.CreatedAt, v.PublishedAt)).ToList());
    }

    /// <remarks>
    /// The engine runs a flow whose port leads nowhere (that branch just ends) or that has no Afslut, and API
    /// clients publish such flows, so only a strict publication (the designer's) applies the designer's checks. A draft
    /// with parts an Elsa import could not translate is refused either way.
    /// </remarks>
    public static async Task<Results<Ok<DefinitionSaved>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        string definitionId, bool? strict, DefinitionManager manager, IWorkflowDefinitionStore store, DefinitionParser parser, CancellationToken cancellationToken)
    {
        if (strict == true && await store.FindLatestAsync(definitionId, cancellationToken) is { IsPublished: false } draft)
        {
            var checks = new DesignChecks(parser).Check(JsonNode.Parse(draft.Json));
            if (!checks.CanPublish)
            {
                return TypedResults.ValidationProblem(
                    checks.Problems.Where(p => p.Severity == "error").GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                    title: "The definition cannot be published while it has errors.");
            }
        }
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

    public static Ok<List<ActivityTypeDescription>> ListActivities(ActivityRegistry registry, DefinitionParser parser) =>
        TypedResults.Ok(registry.All
            .Select(d => new ActivityTypeDescription(d.Type, d.DisplayName, d.Category, d.Description, d.CanWait,
                d.Properties.Select(p => new ActivityPropertyDescription(p.Name, p.Kind, p.Required, p.DisplayName, p.Values)).ToList())
            {
                Ports = parser.DefaultPorts(d.Type),
            })
            .ToList());

    public static async Task<Results<Ok<DesignCheckResponse>, ValidationProblem, ProblemHttpResult>> ValidateAsync(
        HttpRequest request, DefinitionParser parser, CancellationToken cancellationToken)
    {
        var text = await ApiResults.ReadBodyAsync(request, MaxDocumentBytes, cancellationToken);
        if (text is null)
        {
            return TypedResults.Problem($"A definition may be at most {MaxDocumentBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        if (!DefinitionParser.TryReadJson(text, out var document, out var error))
        {
            return ApiResults.Invalid([error!]);
        }
        var checks = new DesignChecks(parser).Check(document);
        var problems = checks.Problems.Select(p => new DesignProblemResponse(p.Path, p.ActivityId, p.Message, p.Severity)).ToList();
        if (checks.Errors.Count > 0)
        {
            // The same problem details as saving gives, plus what the designer draws.
            return TypedResults.ValidationProblem(
                checks.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "The request has errors.",
                extensions: new Dictionary<string, object?> { ["problems"] = problems, ["ports"] = checks.Ports, ["canPublish"] = false });
        }
        return TypedResults.Ok(new DesignCheckResponse(problems, checks.Ports, checks.CanPublish));
    }

    public static async Task<Results<Ok<DefinitionDiffResponse>, ProblemHttpResult>> DiffAsync(
        string definitionId, int from, int to, IWorkflowDefinitionStore store, ActivityRegistry registry, Workflows.Definitions.Parties.PartyDirectory parties,
        CancellationToken cancellationToken)
    {
        var older = await store.FindAsync(definitionId, from, cancellationToken);
        var newer = await store.FindAsync(definitionId, to, cancellationToken);
        if (older is null || newer is null)
        {
            return ApiResults.NotFound($"Definition '{definitionId}' has no version {(older is null ? from : to)}.");
        }
        var changes = new DefinitionDiff(registry, parties).Compare(JsonNode.Parse(older.Json)!.AsObject(), JsonNode.Parse(newer.Json)!.AsObject());
        return TypedResults.Ok(new DefinitionDiffResponse(from, to, changes.Select(c => new DefinitionChangeResponse(c.Kind, c.ActivityId, c.Text)).ToList()));
    }

    public static async Task<Results<Ok<DefinitionTextResponse>, ProblemHttpResult>> TextAsync(
        string definitionId, int? version, IWorkflowDefinitionStore store, ActivityRegistry registry, Workflows.Definitions.Parties.PartyDirectory parties,
        CancellationToken cancellationToken)
    {
        var stored = version is { } v
            ? await store.FindAsync(definitionId, v, cancellationToken)
            : await store.FindLatestAsync(definitionId, cancellationToken);
        if (stored is null)
        {
            return ApiResults.NotFound($"There is no definition '{definitionId}'{(version is null ? "" : $" version {version}")}.");
        }
        var lines = new FlowNarrator(registry, parties).Describe(JsonNode.Parse(stored.Json)!.AsObject());
        return TypedResults.Ok(new DefinitionTextResponse(stored.DefinitionId, stored.Version, lines));
    }

    public static async Task<Results<Created<DefinitionSaved>, ValidationProblem, ProblemHttpResult>> RestoreAsync(
        string definitionId, int version, HttpRequest request, IWorkflowDefinitionStore store, DefinitionManager manager, CancellationToken cancellationToken)
    {
        var earlier = await store.FindAsync(definitionId, version, cancellationToken);
        if (earlier is null)
        {
            return ApiResults.NotFound($"Definition '{definitionId}' has no version {version}.");
        }
        try
        {
            var stored = await manager.SaveDraftAsync(JsonNode.Parse(earlier.Json), ExpectedRevision(request), cancellationToken);
            SetRevision(request.HttpContext, stored);
            AuditTrail.Note(request.HttpContext, new AuditEntry("", $"definitionId={stored.DefinitionId}", After: $"version {stored.Version}"));
            return TypedResults.Created($"/api/definitions/{stored.DefinitionId}?version={stored.Version}", new DefinitionSaved(stored.DefinitionId, stored.Version));
        }
        catch (ValidationException exception)
        {
            return ApiResults.Invalid(exception.Errors);
        }
        catch (DefinitionConflictException)
        {
            return ApiResults.Conflict($"The definition '{definitionId}' was changed by someone else since it was opened.");
        }
    }

    private static string? ExpectedRevision(HttpRequest request) =>
        request.Headers.IfMatch.ToString() is { Length: > 0 } tag ? tag.Trim().Trim('"') : null;

    private static void SetRevision(HttpContext http, StoredDefinition stored) =>
        http.Response.Headers.ETag = $"\"{DefinitionManager.Revision(stored)}\"";

    public static Ok<JsonObject> Schema(ActivityRegistry registry) => TypedResults.Ok(DefinitionSchema.Build(registry));

    private static DefinitionDocument ToDocument(StoredDefinition stored) =>
        new(stored.DefinitionId, stored.Version, stored.Name, stored.Description, stored.IsPublished, stored.CreatedAt, stored.PublishedAt,
            JsonNode.Parse(stored.Json)!.AsObject());
}

public sealed record DefinitionSaved(string DefinitionId, int Version);

public sealed record DefinitionSummary(string DefinitionId, string Name, string? Description, int LatestVersion, int? PublishedVersion);

public sealed record DefinitionVersionSummary(int Version, string Name, bool IsPublished, Instant CreatedAt, Instant? PublishedAt);

public sealed record DefinitionDocument(
    string DefinitionId, int Version, string Name, string? Description, bool IsPublished, Instant CreatedAt, Instant? PublishedAt, JsonObject Definition);

public sealed record ActivityTypeDescription(string Type, string DisplayName, string Category, string Description, bool CanWait, List<ActivityPropertyDescription> Properties)
{
    /// <summary>The outcome ports of a new node of this type (some types' ports depend on their properties).</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];
}

public sealed record DesignProblemResponse(string Path, string? ActivityId, string Message, string Severity);

public sealed record DesignCheckResponse(List<DesignProblemResponse> Problems, IReadOnlyDictionary<string, IReadOnlyList<string>> Ports, bool CanPublish);

public sealed record DefinitionChangeResponse(string Kind, string? ActivityId, string Text);

public sealed record DefinitionDiffResponse(int From, int To, List<DefinitionChangeResponse> Changes);

public sealed record DefinitionTextResponse(string DefinitionId, int Version, IReadOnlyList<string> Lines);

public sealed record ActivityPropertyDescription(string Name, string Kind, bool Required, string DisplayName, IReadOnlyList<string>? Values);
