using Microsoft.Extensions.Options;
using Workflows.Definitions.Meetings;
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
        builder.Services.AddSingleton(CreateMeetingCalendars);
        return builder;
    }

    /// <summary>
    /// The bodies' meeting calendars: the shipped ones from the source documents, plus the operator's
    /// <c>ProcesFlow:Parties:MeetingsFile</c> (e.g. next year's KKR meetings). Every body must be a party.
    /// </summary>
    private static MeetingCalendars CreateMeetingCalendars(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PartiesOptions>>().Value;
        var path = options.ResolveMeetingsFile(services.GetRequiredService<IHostEnvironment>());
        var calendars = MeetingCalendars.LoadReference();
        if (path is not null)
        {
            using var stream = File.OpenRead(path);
            calendars = calendars.With(stream, path);
        }
        var directory = services.GetRequiredService<PartyDirectory>();
        var unknown = calendars.Bodies.Where(body => directory.Find(body) is null).Order(StringComparer.Ordinal).ToList();
        return unknown.Count == 0
            ? calendars
            : throw new InvalidOperationException($"{path ?? "meeting-calendars.json"}: meeting calendars for bodies that are no party: {string.Join(", ", unknown)}.");
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

    /// <summary>
    /// Optional path to more meetings, in the format of <c>Workflows.Definitions/Meetings/meeting-calendars.json</c>;
    /// they are added to the shipped calendars. Relative paths are taken from the content root.
    /// </summary>
    public string? MeetingsFile { get; set; }

    internal string? ResolveContactsFile(IHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(ContactsFile) ? null : Path.GetFullPath(ContactsFile, environment.ContentRootPath);

    internal string? ResolveMeetingsFile(IHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(MeetingsFile) ? null : Path.GetFullPath(MeetingsFile, environment.ContentRootPath);
}

/// <summary>Checks on start that the contacts file exists and lays over the reference data without a
/// single error, and lists every error (line and field) so the operator fixes them in one go.</summary>
internal sealed class PartiesOptionsValidator(IHostEnvironment environment) : IValidateOptions<PartiesOptions>
{
    public ValidateOptionsResult Validate(string? name, PartiesOptions options)
    {
        var failures = new List<string>();
        if (options.ResolveContactsFile(environment) is { } path)
        {
            if (!File.Exists(path))
            {
                failures.Add($"{PartiesOptions.SectionName}:{nameof(PartiesOptions.ContactsFile)}: the file '{path}' does not exist.");
            }
            else if (PartyDirectory.LoadReference().WithContactsFromFile(path) is { Succeeded: false } overlay)
            {
                failures.Add(Describe(path, overlay.Errors));
            }
        }
        if (options.ResolveMeetingsFile(environment) is { } meetings && ValidateMeetings(meetings) is { } problem)
        {
            failures.Add($"{PartiesOptions.SectionName}:{nameof(PartiesOptions.MeetingsFile)}: {problem}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? ValidateMeetings(string path)
    {
        if (!File.Exists(path))
        {
            return $"the file '{path}' does not exist.";
        }
        try
        {
            using var stream = File.OpenRead(path);
            var calendars = MeetingCalendars.LoadReference().With(stream, path);
            var unknown = calendars.Bodies.Where(body => PartyDirectory.LoadReference().Find(body) is null).Order(StringComparer.Ordinal).ToList();
            return unknown.Count == 0 ? null : $"'{path}' names bodies that are no party: {string.Join(", ", unknown)}.";
        }
        catch (InvalidDataException exception)
        {
            return exception.Message;
        }
    }

    internal static string Describe(string path, IReadOnlyList<ContactsError> errors) =>
        $"{PartiesOptions.SectionName}:{nameof(PartiesOptions.ContactsFile)}: '{path}' has {errors.Count} error(s): "
        + string.Join("; ", errors.Select(e => e.ToString()));
}
