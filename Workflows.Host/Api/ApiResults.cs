using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Definitions.Definitions;

namespace Workflows.Host.Api;

internal static class ApiResults
{
    /// <summary>The request body as UTF-8 text, or null if it is larger than <paramref name="maxBytes"/> (read no further).</summary>
    public static async Task<string?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>400 problem details whose <c>errors</c> are keyed by JSON path, every error included.</summary>
    public static ValidationProblem Invalid(IEnumerable<ValidationError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: "The request has errors.");

    public static ValidationProblem Invalid(string path, string message) => Invalid([new ValidationError(path, message)]);

    /// <summary>The errors of a deadline given in a request body under <c>$.deadline</c>, or null when it is valid.</summary>
    public static ValidationProblem? InvalidDeadline(System.Text.Json.Nodes.JsonObject? deadline)
    {
        if (deadline is null)
        {
            return Invalid("$.deadline", "is required, e.g. { \"date\": \"2019-11-07\", \"at\": \"12:00\" }");
        }
        var errors = new List<(string Path, string Message)>();
        Workflows.Definitions.Calendar.DeadlineJson.Parse(deadline, errors);
        return errors.Count == 0
            ? null
            : Invalid(errors.Select(e => new ValidationError(e.Path.Length == 0 ? "$.deadline" : $"$.deadline.{e.Path}", e.Message)));
    }

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Not possible in the current state.");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");
}
