using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Interop.Elsa;
using Workflows.Definitions.Persistence;

namespace Workflows.Host.Api;

/// <summary>
/// Bringing flows from Elsa and taking them back: <c>POST /api/definitions/import/elsa</c> turns an Elsa 3 workflow
/// definition into a ProcesFlow draft plus a report; <c>GET /api/definitions/{id}/export/elsa</c> writes a definition
/// as Elsa 3 JSON.
/// </summary>
public static partial class ElsaApi
{
    /// <summary>An Elsa document larger than this is refused (413) before it is read; Elsa's JSON is wordier than ours.</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapElsaApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("definitions").WithTags("Elsa");
        group.MapPost("import/elsa", ImportAsync).WithName("ImportElsaDefinition")
            .Accepts<JsonObject>("application/json")
            .WithSummary("Imports an Elsa 3 workflow definition (JSON) as a draft, with a report of what became of every Elsa activity.")
            .WithDescription("The draft's id comes from the Elsa name unless ?definitionId= is given (then an existing definition gets a new draft version). "
                + "?dryRun=true returns the draft and report without saving. Parts ProcesFlow cannot do are kept as placeholders; such a draft is "
                + "saved but cannot be published until they are resolved (the report's 'unresolved' lists them by path in the draft).");
        group.MapGet("{definitionId}/export/elsa", ExportAsync).WithName("ExportElsaDefinition")
            .WithSummary("A definition version (default: the latest) as an Elsa 3 workflow definition; ProcesFlow-only activities become custom types named ProcesFlow.*.");
        return api;
    }

    public static async Task<Results<Created<ElsaImported>, Ok<ElsaImported>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        HttpRequest request, string? definitionId, bool? dryRun, ActivityRegistry registry, DateTimeZone zone,
        DefinitionManager manager, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxDocumentBytes)
        {
            return TooLarge();
        }
        if (definitionId is not null && !DefinitionIdPattern().IsMatch(definitionId))
        {
            return ApiResults.Invalid("definitionId", "must be 1–100 lower-case letters, digits and hyphens, starting with a letter or digit");
        }
        var text = await ApiResults.ReadBodyAsync(request, MaxDocumentBytes, cancellationToken);
        if (text is null)
        {
            return TooLarge();
        }
        if (!DefinitionParser.TryReadJson(text, out var document, out var error))
        {
            return ApiResults.Invalid([error!]);
        }
        var result = new ElsaImporter(registry, zone).Import(document, definitionId);
        if (!result.Succeeded)
        {
            return ApiResults.Invalid(result.Errors);
        }
        var draft = result.Draft!;
        var id = draft["definitionId"]!.GetValue<string>();
        if (dryRun == true)
        {
            return TypedResults.Ok(new ElsaImported(id, null, result.Report!.Publishable, result.Report, draft));
        }
        if (definitionId is null && await store.FindLatestAsync(id, cancellationToken) is not null)
        {
            return ApiResults.Conflict($"There is already a definition '{id}'. Give ?definitionId={id} to import this as a new draft version of it, or another id.");
        }
        try
        {
            var stored = await manager.SaveDraftAsync(draft, cancellationToken);
            return TypedResults.Created($"/api/definitions/{stored.DefinitionId}?version={stored.Version}",
                new ElsaImported(stored.DefinitionId, stored.Version, result.Report!.Publishable, result.Report, draft));
        }
        catch (ValidationException exception)
        {
            // The importer checks the draft with the same parser, so this is not expected; never a 500 if it happens.
            return ApiResults.Invalid(exception.Errors);
        }
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> ExportAsync(
        string definitionId, int? version, DateTimeZone zone, IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var stored = version is { } v
            ? await store.FindAsync(definitionId, v, cancellationToken)
            : await store.FindLatestAsync(definitionId, cancellationToken);
        if (stored is null)
        {
            return ApiResults.NotFound(version is null ? $"There is no definition '{definitionId}'." : $"Definition '{definitionId}' has no version {version}.");
        }
        var export = new ElsaExporter(zone).Export(JsonNode.Parse(stored.Json)!.AsObject(), stored.Version);
        return TypedResults.Ok(export.Document);
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem($"An Elsa document may be at most {MaxDocumentBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex DefinitionIdPattern();
}

/// <summary>The answer to an import: the draft (saved unless it was a dry run), whether it can be published, and the report.</summary>
public sealed record ElsaImported(string DefinitionId, int? Version, bool Publishable, ElsaImportReport Report, JsonObject Definition);
