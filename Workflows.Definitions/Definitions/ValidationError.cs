namespace Workflows.Definitions.Definitions;

/// <summary>One problem in a definition or an input document, at a JSON path such as <c>$.root.activities[3].duration</c>.</summary>
public sealed record ValidationError(string Path, string Message);

/// <summary>Thrown where a caller needs an exception; carries every error, not just the first.</summary>
public sealed class ValidationException(IReadOnlyList<ValidationError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Message}")))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}
