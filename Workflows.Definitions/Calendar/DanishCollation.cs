using System.Globalization;

namespace Workflows.Definitions.Calendar;

/// <summary>
/// Danish alphabetical order: æ, ø and å come after z, and "aa" in names counts as å (Aabenraa and Aarhus sort
/// with Å, after Ærø), as Retskrivningsordbogen prescribes. Uses the da-DK collation of ICU.
/// </summary>
public static class DanishCollation
{
    public static IComparer<string> Comparer { get; } = StringComparer.Create(CultureInfo.GetCultureInfo("da-DK"), ignoreCase: false);
}
