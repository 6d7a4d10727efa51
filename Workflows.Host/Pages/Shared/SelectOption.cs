namespace Workflows.Host.Pages.Shared;

/// <summary>One choice of a <see cref="SelectField"/>: the value the form sends and the text people read.</summary>
public sealed record SelectOption(string Value, string Label);
