
namespace Workflows.Host.Mail.Templates;

/// <summary>
/// The Danish mail templates shipped with ProcesFlow: the <c>*.liquid</c> files beside this one, embedded in the host.
/// A process owner overrides any of them by putting a file with the same name in <c>ProcesFlow:Mail:TemplatesFolder</c>.
/// </summary>
/// <remarks>
/// Each mail has <c>{name}.subject.liquid</c>, <c>{name}.text.liquid</c> and <c>{name}.html.liquid</c>; the HTML body
/// is placed in <c>layout.html.liquid</c> as <c>content</c>. In the HTML templates every value is HTML-encoded as it is
/// written out (do not add <c>| escape</c>). Missing values render as nothing. Plain text is tidied afterwards:
/// trailing spaces go and runs of blank lines become one.
/// </remarks>
internal static class BuiltInTemplates
{
    private const string ResourcePrefix = "Workflows.Host.Mail.Templates.";

    public static IReadOnlyDictionary<string, string> Files { get; } = Load();

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(BuiltInTemplates).Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".liquid", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            files[resource[ResourcePrefix.Length..]] = reader.ReadToEnd();
        }
        return files;
    }
}
