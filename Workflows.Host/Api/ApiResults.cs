using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Definitions.Definitions;

namespace Workflows.Host.Api;

internal static class ApiResults
{
    /// <summary>400 problem details whose <c>errors</c> are keyed by JSON path, every error included.</summary>
    public static ValidationProblem Invalid(IEnumerable<ValidationError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: "The request has errors.");

    public static ValidationProblem Invalid(string path, string message) => Invalid([new ValidationError(path, message)]);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Not possible in the current state.");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");
}
