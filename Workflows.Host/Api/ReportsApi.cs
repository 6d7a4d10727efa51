using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Host.Reports;

namespace Workflows.Host.Api;

/// <summary>
/// The documents of a hearing: the høringsnotat (DOCX, DESIGN §5) and the party matrix (CSV or XLSX). For API
/// clients and signed-in staff, like every other <c>/api</c> route.
/// </summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder api)
    {
        var instance = api.MapGroup("instances/{instanceId:guid}").WithTags("Reports");
        instance.MapGet("memo", MemoAsync).WithName("GetHearingMemo")
            .WithSummary("The høringsnotat of the instance's hearing as a Word document (DOCX).")
            .WithDescription("Optional `activityId` names the hearing when the instance has several; the newest is used otherwise.")
            .Produces<Stream>(StatusCodes.Status200OK, contentType: HearingMemoDocument.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        instance.MapGet("matrix", MatrixAsync).WithName("GetPartyMatrix")
            .WithSummary("The party matrix of the instance's hearing: `format=csv` (Danish Excel: UTF-8 with BOM, semicolons) or `format=xlsx`.")
            .Produces<Stream>(StatusCodes.Status200OK, contentType: PartyMatrixExport.XlsxContentType, additionalContentTypes: [PartyMatrixExport.CsvContentType])
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> MemoAsync(
        Guid instanceId, string? activityId, [AsParameters] ReportSources sources, CancellationToken cancellationToken)
    {
        return await sources.ReadAsync(instanceId, activityId, cancellationToken) switch
        {
            HearingReportResult.Found { Report: var report } =>
                TypedResults.File(HearingMemoDocument.Create(report), HearingMemoDocument.ContentType, HearingMemoDocument.FileName(report)),
            var other => Problem(instanceId, activityId, other),
        };
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult, ValidationProblem>> MatrixAsync(
        Guid instanceId, string? format, string? activityId, [AsParameters] ReportSources sources, CancellationToken cancellationToken)
    {
        var kind = format?.Trim().ToUpperInvariant();
        if (kind is not ("CSV" or "XLSX"))
        {
            return ApiResults.Invalid("format", format is null ? "is required: csv or xlsx" : $"'{format}' is not a known format; use csv or xlsx");
        }
        return await sources.ReadAsync(instanceId, activityId, cancellationToken) switch
        {
            HearingReportResult.Found { Report: var report } => kind == "CSV"
                ? TypedResults.File(PartyMatrixExport.Csv(report), PartyMatrixExport.CsvContentType, PartyMatrixExport.FileName(report, "csv"))
                : TypedResults.File(PartyMatrixExport.Xlsx(report), PartyMatrixExport.XlsxContentType, PartyMatrixExport.FileName(report, "xlsx")),
            var other => Problem(instanceId, activityId, other),
        };
    }

    private static ProblemHttpResult Problem(Guid instanceId, string? activityId, HearingReportResult result) => result switch
    {
        HearingReportResult.NoInstance => ApiResults.NotFound($"There is no workflow instance {instanceId}."),
        _ when activityId is not null => ApiResults.NotFound($"Instance {instanceId} has no hearing '{activityId}' that has sent to any party."),
        _ => ApiResults.Conflict($"Instance {instanceId} has no hearing: nothing has been sent to any party, so there is no høringsnotat or party matrix."),
    };
}
