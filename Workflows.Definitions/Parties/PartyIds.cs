using System.Globalization;
using System.Text;

namespace Workflows.Definitions.Parties;

public static class PartyIds
{
    /// <summary>Turns a Danish name into an id slug: lower case, æ→ae, ø→oe, å→aa, other accents
    /// dropped, every run of other characters a single hyphen ("Høje-Taastrup" → "hoeje-taastrup").
    /// The Danish letters are spelled out because Unicode decomposition would turn ø into o.</summary>
    public static string Slugify(string name)
    {
        var lower = name.ToLower(CultureInfo.InvariantCulture)
            .Replace("æ", "ae", StringComparison.Ordinal)
            .Replace("ø", "oe", StringComparison.Ordinal)
            .Replace("å", "aa", StringComparison.Ordinal)
            .Normalize(NormalizationForm.FormD);

        var slug = new StringBuilder(lower.Length);
        var pendingHyphen = false;
        foreach (var c in lower)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingHyphen && slug.Length > 0)
                {
                    slug.Append('-');
                }

                pendingHyphen = false;
                slug.Append(c);
            }
            else
            {
                pendingHyphen = true;
            }
        }

        return slug.ToString();
    }

    /// <summary>True when <paramref name="id"/> is already in slug form.</summary>
    public static bool IsValid(string id) => id.Length > 0 && string.Equals(Slugify(id), id, StringComparison.Ordinal);
}
