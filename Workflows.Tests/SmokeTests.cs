using DotLiquid;

namespace Workflows.Tests;

public class SmokeTests
{
    [Fact]
    public void Liquid_runs()
    {
        var t = Template.Parse("Hej {{ name | upcase }} {% if x > 2 %}stor{% endif %} {{ kommune.navn }}");
        var h = Hash.FromDictionary(new Dictionary<string, object> { ["name"] = "Aarhus", ["x"] = 3, ["kommune"] = new Dictionary<string, object> { ["navn"] = "Skive" } });
        Assert.Equal("Hej AARHUS stor Skive", t.Render(h, System.Globalization.CultureInfo.GetCultureInfo("da-DK")));
    }
}
