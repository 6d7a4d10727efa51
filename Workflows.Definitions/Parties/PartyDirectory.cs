using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflows.Definitions.Parties;

/// <summary>
/// Every body ProcesFlow can address — the 98 kommuner, the regions, the KKR and the other bodies
/// from the source documents — plus named groups of them, and the resolution of selectors
/// ("midtjylland", "kkr-alle", "aarhus", or an array of these) into parties.
/// </summary>
/// <remarks>Immutable and therefore safe to share between threads; <see cref="WithContacts"/> returns a new directory.</remarks>
public sealed class PartyDirectory
{
    private const string ReferenceResourceName = "Workflows.Definitions.Parties.danish-parties.json";

    private static readonly Lazy<PartyDirectory> Reference = new(LoadReferenceFromResource);

    private readonly FrozenDictionary<string, Party> partiesById;
    private readonly FrozenDictionary<string, PartyGroup> groupsById;
    private readonly FrozenDictionary<DanishRegion, IReadOnlyList<Party>> kommunerByRegion;

    private PartyDirectory(IReadOnlyList<Party> parties, IReadOnlyList<PartyGroup> groups)
    {
        All = parties;
        Groups = groups;
        partiesById = parties.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        groupsById = groups.ToFrozenDictionary(g => g.Id, StringComparer.Ordinal);
        kommunerByRegion = Enum.GetValues<DanishRegion>().ToFrozenDictionary(
            r => r,
            r => (IReadOnlyList<Party>)parties.Where(p => p.Kind == PartyKind.Kommune && p.Region == r).ToArray());
    }

    /// <summary>Every party, in reference-data order (kommuner by region and code first).</summary>
    public IReadOnlyList<Party> All { get; }

    public IReadOnlyList<PartyGroup> Groups { get; }

    /// <summary>The shipped reference data (embedded resource), with placeholder contact addresses.</summary>
    public static PartyDirectory LoadReference() => Reference.Value;

    /// <summary>Builds a directory, checking what the rest of the engine relies on: ids are unique slugs
    /// that do not collide with region slugs or group ids, every party has a valid address, and every
    /// group member resolves. Throws <see cref="InvalidDataException"/> listing every problem.</summary>
    public static PartyDirectory Create(IEnumerable<Party> parties, IEnumerable<PartyGroupDefinition> groups)
    {
        var partyList = parties.ToArray();
        var groupList = groups.ToArray();
        var problems = new List<string>();
        var seen = new HashSet<string>(DanishRegions.Slugs, StringComparer.Ordinal);

        foreach (var party in partyList)
        {
            if (!PartyIds.IsValid(party.Id))
            {
                problems.Add($"party id '{party.Id}' is not a lower-case ASCII slug");
            }

            if (!seen.Add(party.Id))
            {
                problems.Add($"party id '{party.Id}' is used twice or collides with a region slug");
            }

            if (party.Contacts.Count == 0)
            {
                problems.Add($"party '{party.Id}' has no contact address");
            }

            problems.AddRange(party.Contacts.Where(a => !ContactAddress.IsValid(a))
                .Select(a => $"party '{party.Id}' has an invalid contact address '{a}'"));
        }

        foreach (var group in groupList)
        {
            if (!PartyIds.IsValid(group.Id))
            {
                problems.Add($"group id '{group.Id}' is not a lower-case ASCII slug");
            }

            if (!seen.Add(group.Id))
            {
                problems.Add($"group id '{group.Id}' is used twice or collides with a party id or region slug");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException("Invalid party directory: " + string.Join("; ", problems));
        }

        var byId = partyList.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var definitions = groupList.ToDictionary(g => g.Id, StringComparer.Ordinal);
        var expanded = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

        IReadOnlyList<string> Expand(PartyGroupDefinition definition, Stack<string> path)
        {
            if (expanded.TryGetValue(definition.Id, out var done))
            {
                return done;
            }

            if (path.Contains(definition.Id))
            {
                problems.Add($"group '{definition.Id}' contains itself (via {string.Join(" → ", path.Reverse())})");
                return [];
            }

            path.Push(definition.Id);
            var members = new List<string>();
            foreach (var member in definition.Members)
            {
                if (DanishRegions.TryParse(member, out var region))
                {
                    members.AddRange(partyList.Where(p => p.Kind == PartyKind.Kommune && p.Region == region).Select(p => p.Id));
                }
                else if (definitions.TryGetValue(member, out var inner))
                {
                    members.AddRange(Expand(inner, path));
                }
                else if (byId.ContainsKey(member))
                {
                    members.Add(member);
                }
                else
                {
                    problems.Add($"group '{definition.Id}' names unknown member '{member}'");
                }
            }

            var except = new HashSet<string>(definition.Except ?? [], StringComparer.Ordinal);
            problems.AddRange(except.Where(e => !byId.ContainsKey(e))
                .Select(e => $"group '{definition.Id}' excludes unknown party '{e}'"));
            path.Pop();

            var result = members.Distinct(StringComparer.Ordinal).Where(m => !except.Contains(m)).ToArray();
            expanded[definition.Id] = result;
            return result;
        }

        var materialized = groupList
            .Select(g => new PartyGroup(g.Id, g.Name, Expand(g, new Stack<string>())))
            .ToArray();
        problems.AddRange(materialized.Where(g => g.MemberIds.Count == 0).Select(g => $"group '{g.Id}' has no members"));

        if (problems.Count > 0)
        {
            throw new InvalidDataException("Invalid party directory: " + string.Join("; ", problems.Distinct()));
        }

        return new PartyDirectory(partyList, materialized);
    }

    public Party? Find(string id) => partiesById.GetValueOrDefault(id);

    public PartyGroup? FindGroup(string id) => groupsById.GetValueOrDefault(id);

    /// <summary>The kommuner of a region (29 / 17 / 19 / 22 / 11), in code order. Only kommuner:
    /// "send to midtjylland" means its byråd, not its hospitals or committees.</summary>
    public IReadOnlyList<Party> InRegion(DanishRegion region) => kommunerByRegion[region];

    /// <inheritdoc cref="InRegion(DanishRegion)"/>
    /// <exception cref="ArgumentException">The slug is not one of <see cref="DanishRegions.Slugs"/>.</exception>
    public IReadOnlyList<Party> InRegion(string regionSlug) =>
        DanishRegions.TryParse(regionSlug, out var region)
            ? InRegion(region)
            : throw new ArgumentException($"Unknown region '{regionSlug}'. Valid regions: {string.Join(", ", DanishRegions.Slugs)}.", nameof(regionSlug));

    /// <summary>The groups a party is a member of, in group order.</summary>
    public IReadOnlyList<PartyGroup> GroupsContaining(string partyId) =>
        Groups.Where(g => g.MemberIds.Contains(partyId, StringComparer.Ordinal)).ToArray();

    /// <summary>Resolves one selector: a region slug (its kommuner), a group id, or a party id.</summary>
    public PartyResolution Resolve(string selector) => ResolveAll([(selector, null)]);

    /// <summary>Resolves several selectors; duplicates are removed and the order of first appearance kept.</summary>
    public PartyResolution Resolve(IEnumerable<string> selectors) =>
        ResolveAll(selectors.Select((s, i) => (s, (int?)i)));

    /// <summary>Resolves a selector as written in a definition or a start request: a string or an
    /// array of strings. Anything else is reported as an error, never thrown.</summary>
    public PartyResolution Resolve(JsonElement selector)
    {
        switch (selector.ValueKind)
        {
            case JsonValueKind.String:
                return Resolve(selector.GetString()!);
            case JsonValueKind.Array:
                var items = new List<(string, int?)>();
                var errors = new List<PartySelectorError>();
                var index = 0;
                foreach (var item in selector.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        items.Add((item.GetString()!, index));
                    }
                    else
                    {
                        errors.Add(new PartySelectorError(item.GetRawText(), index, $"Element {index} must be a string (a region, group or party id).", null));
                    }

                    index++;
                }

                var resolved = ResolveAll(items);
                return resolved with { Errors = [.. errors, .. resolved.Errors] };
            default:
                return new PartyResolution([], [new PartySelectorError(
                    selector.ValueKind == JsonValueKind.Undefined ? "" : selector.GetRawText(),
                    null,
                    "Parties must be a region slug, a group or party id, or an array of these.",
                    null)]);
        }
    }

    /// <summary>Lays an operator's contacts over this directory: every party named in the file gets
    /// exactly the addresses listed for it (duplicates removed); parties not named keep theirs.
    /// Unknown party ids are errors, reported with the line and field where they were written.</summary>
    public ContactsOverlay WithContacts(ContactsFile contacts)
    {
        var errors = new List<ContactsError>(contacts.Errors);
        var replacements = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in contacts.Entries)
        {
            if (!partiesById.ContainsKey(entry.PartyId))
            {
                var suggestion = Suggest(entry.PartyId);
                errors.Add(new ContactsError(contacts.Source, entry.Line, entry.Field,
                    $"unknown party id '{entry.PartyId}'" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?")));
                continue;
            }

            if (!replacements.TryGetValue(entry.PartyId, out var list))
            {
                replacements[entry.PartyId] = list = [];
            }

            if (!list.Contains(entry.Address, StringComparer.OrdinalIgnoreCase))
            {
                list.Add(entry.Address);
            }
        }

        var parties = All
            .Select(p => replacements.TryGetValue(p.Id, out var addresses) ? p with { Contacts = addresses.AsReadOnly() } : p)
            .ToArray();
        return new ContactsOverlay(new PartyDirectory(parties, Groups), errors);
    }

    /// <summary>Loads a <c>.json</c> or <c>.csv</c> contacts file and lays it over this directory.</summary>
    public ContactsOverlay WithContactsFromFile(string path) => WithContacts(ContactsFile.Load(path));

    private PartyResolution ResolveAll(IEnumerable<(string Selector, int? Index)> selectors)
    {
        var parties = new List<Party>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<PartySelectorError>();

        void Add(Party party)
        {
            if (seen.Add(party.Id))
            {
                parties.Add(party);
            }
        }

        foreach (var (selector, index) in selectors)
        {
            if (DanishRegions.TryParse(selector, out var region))
            {
                InRegion(region).ToList().ForEach(Add);
            }
            else if (groupsById.TryGetValue(selector, out var group))
            {
                foreach (var id in group.MemberIds)
                {
                    Add(partiesById[id]);
                }
            }
            else if (partiesById.TryGetValue(selector, out var party))
            {
                Add(party);
            }
            else if (string.IsNullOrWhiteSpace(selector))
            {
                errors.Add(new PartySelectorError(selector, index, "Empty party selector.", null));
            }
            else
            {
                var suggestion = Suggest(selector);
                errors.Add(new PartySelectorError(
                    selector,
                    index,
                    $"Unknown party, group or region '{selector}'." + (suggestion is null ? "" : $" Did you mean '{suggestion}'?"),
                    suggestion));
            }
        }

        return new PartyResolution(parties, errors);
    }

    /// <summary>A known id close to <paramref name="unknown"/>: first one whose slug or name-slug equals the
    /// slugified input ("København" → "koebenhavn", "Aarhus Kommune" → "aarhus"), else the nearest id by
    /// edit distance if the distance is small relative to its length.</summary>
    private string? Suggest(string unknown)
    {
        var slug = PartyIds.Slugify(unknown);
        if (slug.Length == 0)
        {
            return null;
        }

        var candidates = DanishRegions.Slugs.Concat(Groups.Select(g => g.Id)).Concat(All.Select(p => p.Id)).ToArray();
        if (candidates.Contains(slug, StringComparer.Ordinal))
        {
            return slug;
        }

        var byName = All.FirstOrDefault(p => string.Equals(PartyIds.Slugify(p.Name), slug, StringComparison.Ordinal));
        if (byName is not null)
        {
            return byName.Id;
        }

        var best = candidates
            .Select(c => (Id: c, Distance: EditDistance(slug, c)))
            .OrderBy(c => c.Distance)
            .First();
        return best.Distance <= Math.Max(1, Math.Min(3, slug.Length / 4)) ? best.Id : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static PartyDirectory LoadReferenceFromResource()
    {
        using var stream = typeof(PartyDirectory).Assembly.GetManifestResourceStream(ReferenceResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ReferenceResourceName}' is missing from {typeof(PartyDirectory).Assembly.GetName().Name}.");
        var data = JsonSerializer.Deserialize<ReferenceData>(stream, ReferenceJson.Options)
            ?? throw new InvalidDataException("The party reference data is empty.");
        return Create(
            data.Parties.Select(p => new Party(p.Id, p.Name, p.Kind, p.Region, p.Code, p.IsRegionskommune, p.Contacts)),
            data.Groups.Select(g => new PartyGroupDefinition(g.Id, g.Name, g.Members, g.Except)));
    }

    private sealed record ReferenceData(
        IReadOnlyList<ReferenceParty> Parties,
        IReadOnlyList<ReferenceGroup> Groups,
        [property: JsonPropertyName("$comment")] string? Comment = null);

    private sealed record ReferenceParty(
        string Id, string Name, PartyKind Kind, DanishRegion? Region, string? Code, IReadOnlyList<string> Contacts, bool IsRegionskommune = false);

    private sealed record ReferenceGroup(string Id, string Name, IReadOnlyList<string> Members, IReadOnlyList<string>? Except = null);

    private static class ReferenceJson
    {
        // Strict on purpose: a typo in the shipped data should fail the tests, not load half a party.
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
        };
    }
}
