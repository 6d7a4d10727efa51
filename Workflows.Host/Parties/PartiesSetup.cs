using Microsoft.Extensions.Options;
using Workflows.Definitions.Parties;

namespace Workflows.Host.Parties;

public static class PartiesSetup
{
    /// <summary>Registers the party directory: the shipped reference data, overlaid with the operator's
    /// contacts file when <c>ProcesFlow:Parties:ContactsFile</c> is set. A bad file stops the host at
    /// start-up, because mailing a hearing to a half-loaded address list is worse than not starting.</summary>
    public static IHostApplicationBuilder AddPartyDirectory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PartiesOptions>()
            .BindConfiguration(PartiesOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PartiesOptions>, PartiesOptionsValidator>();
        builder.Services.AddSingleton(CreateDirectory);
        return builder;
    }

    private static PartyDirectory CreateDirectory(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PartiesOptions>>().Value;
        var environment = services.GetRequiredService<IHostEnvironment>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PartiesSetup).FullName!);
        var reference = PartyDirectory.LoadReference();

        var path = options.ResolveContactsFile(environment);
        var directory = reference;
        if (path is not null)
        {
            var overlay = reference.WithContactsFromFile(path);
            if (!overlay.Succeeded)
            {
                // Options validation has already read the file; it changed underneath us.
                throw new InvalidOperationException(PartiesOptionsValidator.Describe(path, overlay.Errors));
            }

            directory = overlay.Directory;
        }

        var placeholders = directory.All.Count(p => p.Contacts.All(ContactAddress.IsPlaceholder));
        if (placeholders > 0)
        {
            logger.LogWarning(
                "{Count} of {Total} parties have only placeholder addresses on the reserved .example domain; set {Key} to load real ones.",
                placeholders,
                directory.All.Count,
                $"{PartiesOptions.SectionName}:{nameof(PartiesOptions.ContactsFile)}");
        }

        return directory;
    }
}

/// <summary>Configuration of the party directory (section <c>ProcesFlow:Parties</c>).</summary>
public sealed class PartiesOptions
{
    public const string SectionName = "ProcesFlow:Parties";

    /// <summary>Optional path to the operator's contacts file (<c>.json</c> or <c>.csv</c>, see
    /// <c>Workflows.Definitions/Parties/README.md</c>); relative paths are taken from the content root.
    /// Unset: every party keeps its placeholder address, so nothing real is ever mailed.</summary>
    public string? ContactsFile { get; set; }

    internal string? ResolveContactsFile(IHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(ContactsFile) ? null : Path.GetFullPath(ContactsFile, environment.ContentRootPath);
}

/// <summary>Checks on start that the contacts file exists and lays over the reference data without a
/// single error, and lists every error (line and field) so the operator fixes them in one go.</summary>
internal sealed class PartiesOptionsValidator(IHostEnvironment environment) : IValidateOptions<PartiesOptions>
{
    public ValidateOptionsResult Validate(string? name, PartiesOptions options)
    {
        var path = options.ResolveContactsFile(environment);
        if (path is null)
        {
            return ValidateOptionsResult.Success;
        }

        if (!File.Exists(path))
        {
            return ValidateOptionsResult.Fail($"{PartiesOptions.SectionName}:{nameof(PartiesOptions.ContactsFile)}: the file '{path}' does not exist.");
        }

        var overlay = PartyDirectory.LoadReference().WithContactsFromFile(path);
        return overlay.Succeeded ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(Describe(path, overlay.Errors));
    }

    internal static string Describe(string path, IReadOnlyList<ContactsError> errors) =>
        $"{PartiesOptions.SectionName}:{nameof(PartiesOptions.ContactsFile)}: '{path}' has {errors.Count} error(s): "
        + string.Join("; ", errors.Select(e => e.ToString()));
}
