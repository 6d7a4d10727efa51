using Workflows.Definitions.Parties;

namespace Workflows.Tests.Parties;

public class PartyDirectoryTests
{
    private static readonly PartyDirectory Directory = PartyDirectory.LoadReference();

    private static IEnumerable<Party> Kommuner => Directory.All.Where(p => p.Kind == PartyKind.Kommune);

    [Theory]
    [InlineData("hovedstaden", 29)]
    [InlineData("sjaelland", 17)]
    [InlineData("midtjylland", 19)]
    [InlineData("syddanmark", 22)]
    [InlineData("nordjylland", 11)]
    public void InRegion_EachRegion_HasItsOfficialNumberOfKommuner(string region, int expected)
    {
        var kommuner = Directory.InRegion(region);

        Assert.Equal(expected, kommuner.Count);
        Assert.All(kommuner, k => Assert.Equal(PartyKind.Kommune, k.Kind));
    }

    [Fact]
    public void LoadReference_Kommuner_Are98()
    {
        Assert.Equal(98, Kommuner.Count());
        Assert.Equal(98, OfficialKommuner.All.Count);
    }

    [Fact]
    public void LoadReference_EveryKommune_HasTheOfficialCodeRegionAndSlugId()
    {
        foreach (var (region, name, code) in OfficialKommuner.All)
        {
            var party = Directory.Find(PartyIds.Slugify(name));

            Assert.True(party is not null, $"no party with id '{PartyIds.Slugify(name)}' for {name}");
            Assert.Equal((PartyKind.Kommune, region, code), (party.Kind, party.Region!.Value, party.Code!));
        }

        Assert.Equal(
            OfficialKommuner.All.Select(k => k.Code).Order(StringComparer.Ordinal),
            Kommuner.Select(k => k.Code!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("koebenhavn", "101", "Københavns Kommune")]
    [InlineData("frederiksberg", "147", "Frederiksberg Kommune")]
    [InlineData("aarhus", "751", "Aarhus Kommune")]
    [InlineData("bornholm", "400", "Bornholms Regionskommune")]
    [InlineData("holbaek", "316", "Holbæk Kommune")]
    [InlineData("skive", "779", "Skive Kommune")]
    [InlineData("aalborg", "851", "Aalborg Kommune")]
    [InlineData("odense", "461", "Odense Kommune")]
    [InlineData("hoeje-taastrup", "169", "Høje-Taastrup Kommune")]
    [InlineData("lyngby-taarbaek", "173", "Lyngby-Taarbæk Kommune")]
    [InlineData("aeroe", "492", "Ærø Kommune")]
    public void Find_KnownKommune_HasCodeAndDanishName(string id, string code, string name)
    {
        var party = Directory.Find(id);

        Assert.NotNull(party);
        Assert.Equal(code, party.Code);
        Assert.Equal(name, party.Name);
    }

    [Fact]
    public void LoadReference_KommuneCodes_AreThreeDigitsAndUnique()
    {
        var codes = Kommuner.Select(k => k.Code!).ToArray();

        Assert.All(codes, c => Assert.Matches("^[0-9]{3}$", c));
        Assert.Equal(codes.Length, codes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void LoadReference_OnlyBornholm_IsRegionskommune()
    {
        var flagged = Directory.All.Where(p => p.IsRegionskommune).ToArray();

        var bornholm = Assert.Single(flagged);
        Assert.Equal("bornholm", bornholm.Id);
        Assert.Equal(DanishRegion.Hovedstaden, bornholm.Region);
        Assert.Contains(bornholm, Directory.InRegion(DanishRegion.Hovedstaden));
    }

    [Fact]
    public void LoadReference_Christiansoe_IsNotAKommune()
    {
        Assert.Null(Directory.Find("christiansoe"));
        Assert.DoesNotContain(Directory.All, p => p.Code == "411");
    }

    [Fact]
    public void LoadReference_Ids_AreUniqueSlugsAcrossPartiesGroupsAndRegions()
    {
        var ids = Directory.All.Select(p => p.Id)
            .Concat(Directory.Groups.Select(g => g.Id))
            .Concat(DanishRegions.Slugs)
            .ToArray();

        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", id));
    }

    [Fact]
    public void LoadReference_EveryParty_HasOnlyPlaceholderAddressesOnTheReservedDomain()
    {
        Assert.All(Directory.All, party =>
        {
            Assert.NotEmpty(party.Contacts);
            Assert.All(party.Contacts, address =>
            {
                Assert.True(ContactAddress.IsValid(address), address);
                Assert.EndsWith(".example", address, StringComparison.Ordinal);
                Assert.True(ContactAddress.IsPlaceholder(address));
            });
        });
    }

    [Fact]
    public void LoadReference_Regions_AreFiveWithRegionskoder()
    {
        var regions = Directory.All.Where(p => p.Kind == PartyKind.Region).ToArray();

        Assert.Equal(
            ["region-hovedstaden:1084", "region-sjaelland:1085", "region-midtjylland:1082", "region-syddanmark:1083", "region-nordjylland:1081"],
            regions.Select(r => $"{r.Id}:{r.Code}"));
        Assert.Equal("Region Sjælland", Directory.Find("region-sjaelland")!.Name);
    }

    [Fact]
    public void LoadReference_Kkr_AreFiveOnePerRegion()
    {
        var kkr = Directory.All.Where(p => p.Kind == PartyKind.Kkr).ToArray();

        Assert.Equal(5, kkr.Length);
        Assert.Equal(Enum.GetValues<DanishRegion>(), kkr.Select(k => k.Region!.Value));
        Assert.Equal("KKR Midtjylland", Directory.Find("kkr-midtjylland")!.Name);
    }

    [Theory]
    [InlineData("kl", PartyKind.Organisation, "KL")]
    [InlineData("ufm", PartyKind.Ministerium, "Uddannelses- og Forskningsministeriet")]
    [InlineData("danmarks-erhvervsfremmebestyrelse", PartyKind.Udvalg, "Danmarks Erhvervsfremmebestyrelse")]
    [InlineData("plo-hovedstaden", PartyKind.Organisation, "PLO-Hovedstaden")]
    [InlineData("plo-midtjylland", PartyKind.Organisation, "PLO-Midtjylland")]
    [InlineData("sku-hovedstaden", PartyKind.Udvalg, "Sundhedskoordinationsudvalget i Region Hovedstaden")]
    [InlineData("ssu-sjaelland", PartyKind.Udvalg, "Sundhedssamarbejdsudvalget i Region Sjælland")]
    [InlineData("praksisplanudvalget-hovedstaden", PartyKind.Udvalg, "Praksisplanudvalget i Region Hovedstaden")]
    [InlineData("patientinddragelsesudvalget-hovedstaden", PartyKind.Udvalg, "Patientinddragelsesudvalget i Region Hovedstaden")]
    [InlineData("erhvervshus-midtjylland", PartyKind.Organisation, "Erhvervshus Midtjylland")]
    [InlineData("rigshospitalet", PartyKind.Hospital, "Rigshospitalet")]
    [InlineData("kd-net-midtjylland", PartyKind.Udvalg, "KD-Net (kommunaldirektørerne i Region Midtjylland)")]
    public void Find_BodyFromTheSourceDocuments_IsThere(string id, PartyKind kind, string name)
    {
        var party = Directory.Find(id);

        Assert.NotNull(party);
        Assert.Equal((kind, name), (party.Kind, party.Name));
    }

    [Fact]
    public void LoadReference_NonKommuner_HaveNoKommunekode()
    {
        Assert.All(Directory.All.Where(p => p.Kind is not (PartyKind.Kommune or PartyKind.Region)), p => Assert.Null(p.Code));
    }

    [Fact]
    public void Find_IsExactAndCaseSensitive()
    {
        Assert.Null(Directory.Find("Aarhus"));
        Assert.Null(Directory.Find("nowhere"));
    }

    [Fact]
    public void InRegion_KommunerComeInCodeOrder()
    {
        var codes = Directory.InRegion(DanishRegion.Midtjylland).Select(k => k.Code!).ToArray();

        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
    }

    [Fact]
    public void InRegion_UnknownSlug_ThrowsNamingTheValidOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Directory.InRegion("vestjylland"));

        Assert.Contains("vestjylland", ex.Message, StringComparison.Ordinal);
        Assert.Contains("hovedstaden, sjaelland, midtjylland, syddanmark, nordjylland", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alle-kommuner", 98)]
    [InlineData("alle-kommuner-hovedstaden", 29)]
    [InlineData("alle-kommuner-sjaelland", 17)]
    [InlineData("alle-kommuner-midtjylland", 19)]
    [InlineData("alle-kommuner-syddanmark", 22)]
    [InlineData("alle-kommuner-nordjylland", 11)]
    [InlineData("alle-kommuner-hovedstaden-uden-bornholm", 28)]
    [InlineData("byraad-og-regionsraad-hovedstaden", 30)]
    [InlineData("byraad-og-regionsraad-sjaelland", 18)]
    [InlineData("byraad-og-regionsraad-midtjylland", 20)]
    [InlineData("byraad-og-regionsraad-syddanmark", 23)]
    [InlineData("byraad-og-regionsraad-nordjylland", 12)]
    [InlineData("regioner-alle", 5)]
    [InlineData("kkr-alle", 5)]
    [InlineData("plo-alle", 5)]
    [InlineData("erhvervshuse-alle", 6)]
    public void FindGroup_KnownGroup_HasExpectedSize(string id, int count)
    {
        var group = Directory.FindGroup(id);

        Assert.NotNull(group);
        Assert.Equal(count, group.MemberIds.Count);
        Assert.Equal(count, group.MemberIds.Distinct(StringComparer.Ordinal).Count());
        Assert.All(group.MemberIds, id => Assert.NotNull(Directory.Find(id)));
    }

    [Fact]
    public void FindGroup_HovedstadenUdenBornholm_LeavesOutOnlyBornholm()
    {
        var members = Directory.FindGroup("alle-kommuner-hovedstaden-uden-bornholm")!.MemberIds;

        Assert.DoesNotContain("bornholm", members);
        Assert.Equal(Directory.InRegion(DanishRegion.Hovedstaden).Select(k => k.Id).Where(id => id != "bornholm"), members);
    }

    [Fact]
    public void Groups_Sundhedsklynger_Are22AndPartitionThe98KommunerWithinTheirRegions()
    {
        var clusters = Directory.Groups.Where(g => g.Id.StartsWith("sundhedsklynge-", StringComparison.Ordinal)).ToArray();

        Assert.Equal(22, clusters.Length);
        var members = clusters.SelectMany(c => c.MemberIds).ToArray();
        Assert.Equal(98, members.Length);
        Assert.Equal(Kommuner.Select(k => k.Id).Order(StringComparer.Ordinal), members.Order(StringComparer.Ordinal));
        Assert.All(clusters, c =>
        {
            var regionSlug = c.Id.Split('-')[1];
            Assert.All(c.MemberIds, id => Assert.Equal(regionSlug, DanishRegions.Slug(Directory.Find(id)!.Region!.Value)));
        });
    }

    [Fact]
    public void GroupsContaining_Aarhus_ListsItsRegionAndClusterGroups()
    {
        var groups = Directory.GroupsContaining("aarhus").Select(g => g.Id).ToArray();

        Assert.Contains("alle-kommuner", groups);
        Assert.Contains("alle-kommuner-midtjylland", groups);
        Assert.Contains("byraad-og-regionsraad-midtjylland", groups);
        Assert.Contains("sundhedsklynge-midtjylland-aarhus", groups);
        Assert.DoesNotContain("alle-kommuner-sjaelland", groups);
    }

    [Fact]
    public void Create_DuplicateId_Throws()
    {
        Party[] parties = [Kommune("a"), Kommune("a")];

        var ex = Assert.Throws<InvalidDataException>(() => PartyDirectory.Create(parties, []));

        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("midtjylland")]
    [InlineData("Aarhus")]
    [InlineData("høje-taastrup")]
    public void Create_IdThatIsARegionSlugOrNotASlug_Throws(string id)
    {
        Assert.Throws<InvalidDataException>(() => PartyDirectory.Create([Kommune(id)], []));
    }

    [Fact]
    public void Create_PartyWithoutContacts_Throws()
    {
        Assert.Throws<InvalidDataException>(() => PartyDirectory.Create([Kommune("a") with { Contacts = [] }], []));
    }

    [Fact]
    public void Create_GroupWithUnknownMember_ThrowsNamingIt()
    {
        var ex = Assert.Throws<InvalidDataException>(() =>
            PartyDirectory.Create([Kommune("a")], [new PartyGroupDefinition("g", "G", ["a", "b"])]));

        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_GroupCycle_Throws()
    {
        var ex = Assert.Throws<InvalidDataException>(() => PartyDirectory.Create(
            [Kommune("a")],
            [new PartyGroupDefinition("g1", "G1", ["a", "g2"]), new PartyGroupDefinition("g2", "G2", ["g1"])]));

        Assert.Contains("contains itself", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_GroupOfGroups_FlattensWithoutDuplicates()
    {
        var directory = PartyDirectory.Create(
            [Kommune("a"), Kommune("b"), Kommune("c")],
            [new PartyGroupDefinition("ab", "AB", ["a", "b"]), new PartyGroupDefinition("all", "All", ["ab", "b", "c"], ["a"])]);

        Assert.Equal(["b", "c"], directory.FindGroup("all")!.MemberIds);
    }

    private static Party Kommune(string id) =>
        new(id, id, PartyKind.Kommune, DanishRegion.Midtjylland, null, false, [$"postkasse@{id}.kommune.example"]);
}
