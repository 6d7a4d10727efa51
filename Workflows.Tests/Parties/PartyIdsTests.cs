using Workflows.Definitions.Parties;

namespace Workflows.Tests.Parties;

public class PartyIdsTests
{
    [Theory]
    [InlineData("København", "koebenhavn")]
    [InlineData("Høje-Taastrup", "hoeje-taastrup")]
    [InlineData("Lyngby-Taarbæk", "lyngby-taarbaek")]
    [InlineData("Ærø", "aeroe")]
    [InlineData("Tårnby", "taarnby")]
    [InlineData("Nykøbing F. Sygehus", "nykoebing-f-sygehus")]
    [InlineData("  Region   Sjælland ", "region-sjaelland")]
    [InlineData("Næstved/Slagelse sygehuse", "naestved-slagelse-sygehuse")]
    [InlineData("Café Über", "cafe-uber")]
    public void Slugify_DanishName_GivesTheIdSlug(string name, string slug)
    {
        Assert.Equal(slug, PartyIds.Slugify(name));
    }

    [Theory]
    [InlineData("aarhus", true)]
    [InlineData("kkr-alle", true)]
    [InlineData("Aarhus", false)]
    [InlineData("aarhus-", false)]
    [InlineData("", false)]
    public void IsValid_ChecksSlugForm(string id, bool valid)
    {
        Assert.Equal(valid, PartyIds.IsValid(id));
    }
}
