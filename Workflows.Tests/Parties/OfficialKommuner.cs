using Workflows.Definitions.Parties;

namespace Workflows.Tests.Parties;

/// <summary>
/// The 98 kommuner with their kommunekode, typed by hand from Danmarks Statistik's kommune
/// nomenclature (the codes DAGI also uses), alphabetically per region. Deliberately not generated
/// from the shipped JSON: the point is to catch a wrong code or a kommune in the wrong region there.
/// Region membership agrees with SEEDS-ANALYSIS §3 (the sundhedsklynge and allocation lists).
/// </summary>
internal static class OfficialKommuner
{
    private static readonly (DanishRegion Region, string Entries)[] ByRegion =
    [
        (DanishRegion.Hovedstaden,
            "Albertslund 165, Allerød 201, Ballerup 151, Bornholm 400, Brøndby 153, Dragør 155, Egedal 240, "
            + "Fredensborg 210, Frederiksberg 147, Frederikssund 250, Furesø 190, Gentofte 157, Gladsaxe 159, "
            + "Glostrup 161, Gribskov 270, Halsnæs 260, Helsingør 217, Herlev 163, Hillerød 219, Hvidovre 167, "
            + "Høje-Taastrup 169, Hørsholm 223, Ishøj 183, København 101, Lyngby-Taarbæk 173, Rudersdal 230, "
            + "Rødovre 175, Tårnby 185, Vallensbæk 187"),
        (DanishRegion.Sjaelland,
            "Faxe 320, Greve 253, Guldborgsund 376, Holbæk 316, Kalundborg 326, Køge 259, Lejre 350, Lolland 360, "
            + "Næstved 370, Odsherred 306, Ringsted 329, Roskilde 265, Slagelse 330, Solrød 269, Sorø 340, "
            + "Stevns 336, Vordingborg 390"),
        (DanishRegion.Midtjylland,
            "Aarhus 751, Favrskov 710, Hedensted 766, Herning 657, Holstebro 661, Horsens 615, Ikast-Brande 756, "
            + "Lemvig 665, Norddjurs 707, Odder 727, Randers 730, Ringkøbing-Skjern 760, Samsø 741, Silkeborg 740, "
            + "Skanderborg 746, Skive 779, Struer 671, Syddjurs 706, Viborg 791"),
        (DanishRegion.Syddanmark,
            "Aabenraa 580, Assens 420, Billund 530, Esbjerg 561, Faaborg-Midtfyn 430, Fanø 563, Fredericia 607, "
            + "Haderslev 510, Kerteminde 440, Kolding 621, Langeland 482, Middelfart 410, Nordfyn 480, Nyborg 450, "
            + "Odense 461, Svendborg 479, Sønderborg 540, Tønder 550, Varde 573, Vejen 575, Vejle 630, Ærø 492"),
        (DanishRegion.Nordjylland,
            "Aalborg 851, Brønderslev 810, Frederikshavn 813, Hjørring 860, Jammerbugt 849, Læsø 825, "
            + "Mariagerfjord 846, Morsø 773, Rebild 840, Thisted 787, Vesthimmerland 820"),
    ];

    public static IReadOnlyList<(DanishRegion Region, string Name, string Code)> All { get; } =
        ByRegion.SelectMany(r => r.Entries.Split(", ").Select(entry =>
        {
            var space = entry.LastIndexOf(' ');
            return (r.Region, entry[..space], entry[(space + 1)..]);
        })).ToArray();
}
