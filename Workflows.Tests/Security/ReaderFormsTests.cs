using System.Text.RegularExpressions;
using Workflows.Host.Api;
using Workflows.Host.Security;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>
/// A Læser's pages carry no form that changes anything (the routes would answer 403), where a Sekretariat's pages
/// carry them: the hearing page, a party's page in a hearing, and a decision waiting in the process steps.
/// </summary>
public abstract partial class ReaderFormsTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected ReaderFormsTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The actions of the page's POST forms, but the sign-out form every staff page has.</summary>
    private static List<string> Forms(string page) =>
        PostForm().Matches(page).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).Where(a => a != "/logout").ToList();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex PostForm();

    [Fact]
    public async Task TheHearingAndPartyPages_ShowTheirFormsToASecretariat_AndNoneToAReader()
    {
        var id = (await (await factory.CreateApiClient().PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Praksisplan", caseNumber = "SAG-1", parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;
        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var reader = await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader);

        Assert.Equal([$"/hoeringer/{id}/paamind"], Forms(await secretariat.GetStringAsync($"/hoeringer/{id}")));
        Assert.Empty(Forms(await reader.GetStringAsync($"/hoeringer/{id}")));

        var party = $"/hoeringer/{id}/parter/aarhus";
        Assert.Equal([$"{party}/paamind", $"{party}/frist", $"{party}/svar", $"{party}/invitation"], Forms(await secretariat.GetStringAsync(party)));
        var readersParty = await reader.GetStringAsync(party);
        Assert.Empty(Forms(readersParty));
        Assert.Contains("Din rolle kan læse høringen, men ikke påminde, ændre frister eller registrere svar.", System.Net.WebUtility.HtmlDecode(readersParty), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADecisionToRecord_IsAFormForASecretariat_AndNotForAReader()
    {
        var id = await SecuritySupport.WaitingForTheStyregruppeAsync(factory);
        var secretariat = await SecuritySupport.SignedInAsync(factory, StaffRoles.Secretariat);
        var reader = await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader);

        Assert.Equal([$"/hoeringer/{id}/beslutninger/styregruppe", $"/hoeringer/{id}/paamind"], Forms(await secretariat.GetStringAsync($"/hoeringer/{id}")));
        Assert.Empty(Forms(await reader.GetStringAsync($"/hoeringer/{id}")));
    }
}

public sealed class ReaderFormsTestsOnSqlite() : ReaderFormsTests(TestDatabase.Sqlite);

public sealed class ReaderFormsTestsOnPostgreSql() : ReaderFormsTests(TestDatabase.PostgreSql);
