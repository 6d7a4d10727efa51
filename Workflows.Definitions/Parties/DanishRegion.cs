using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Workflows.Definitions.Parties;

/// <summary>The five Danish regions. The slugs are part of the public contract
/// (<c>GET /api/parties?region=…</c>, definition inputs), so they are spelled out here
/// rather than derived from the member names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DanishRegion>))]
public enum DanishRegion
{
    [JsonStringEnumMemberName("hovedstaden")] Hovedstaden,
    [JsonStringEnumMemberName("sjaelland")] Sjaelland,
    [JsonStringEnumMemberName("midtjylland")] Midtjylland,
    [JsonStringEnumMemberName("syddanmark")] Syddanmark,
    [JsonStringEnumMemberName("nordjylland")] Nordjylland,
}

public static class DanishRegions
{
    private static readonly (DanishRegion Region, string Slug, string Name)[] Table =
    [
        (DanishRegion.Hovedstaden, "hovedstaden", "Region Hovedstaden"),
        (DanishRegion.Sjaelland, "sjaelland", "Region Sjælland"),
        (DanishRegion.Midtjylland, "midtjylland", "Region Midtjylland"),
        (DanishRegion.Syddanmark, "syddanmark", "Region Syddanmark"),
        (DanishRegion.Nordjylland, "nordjylland", "Region Nordjylland"),
    ];

    /// <summary>All region slugs, in the order the contract lists them.</summary>
    public static IReadOnlyList<string> Slugs { get; } = Array.AsReadOnly(Table.Select(r => r.Slug).ToArray());

    public static string Slug(DanishRegion region) => Table.First(r => r.Region == region).Slug;

    /// <summary>The Danish display name, e.g. "Region Sjælland".</summary>
    public static string Name(DanishRegion region) => Table.First(r => r.Region == region).Name;

    /// <summary>Exact, case-sensitive match on the slug: selectors are identifiers, and
    /// accepting variants here would make two spellings of one definition diverge silently.</summary>
    public static bool TryParse([NotNullWhen(true)] string? slug, out DanishRegion region)
    {
        foreach (var entry in Table)
        {
            if (string.Equals(entry.Slug, slug, StringComparison.Ordinal))
            {
                region = entry.Region;
                return true;
            }
        }

        region = default;
        return false;
    }
}
