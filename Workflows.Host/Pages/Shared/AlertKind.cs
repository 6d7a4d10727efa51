namespace Workflows.Host.Pages.Shared;

/// <summary>The four alerts of Det Fælles Designsystem (the CSS class is <c>alert-</c> and the name in lower case).</summary>
public enum AlertKind
{
    Info,
    Success,
    Warning,
    Error,
}
