using System.Net;
using Workflows.Host.Api;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Answers;

/// <summary>
/// What the kommune reads on its answer page before it answers: who asks, by when in working days, how large its
/// files may be, and a request for more time only while asking makes sense.
/// </summary>
public abstract class AnswerPageContentTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected AnswerPageContentTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    public void Dispose() => factory.Dispose();

    /// <summary>Starts a hearing for Aarhus and Skive (deadline Thursday 31 October 2019 12.00; today is Tuesday 1 October) and returns Skive's link.</summary>
    private async Task<(Guid Id, string Link)> StartAsync(HttpClient client)
    {
        var response = await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new
            {
                title = "Praksisplan 2019",
                caseNumber = "SAG-2019-1",
                sender = "KKR Midtjylland",
                parties = new[] { "aarhus", "skive" },
                deadline = new { date = "2019-10-31", at = "12:00" },
            },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var started = await response.ReadAsync<InstanceStarted>();
        var link = (await AnswerPaths.OfOutboxAsync(factory.Services, "invitation", started.InstanceId)).Single(l => l.PartyId == "skive").AnswerPath;
        return (started.InstanceId, link);
    }

    [Fact]
    public async Task Page_NamesSenderCaseAndContactPerson_AndTheDeadlineInWorkingDaysAsStaffSeeIt()
    {
        // Started by a signed-in member of staff: that person is the kommune's contact.
        var staff = await StaffSession.SignedInAsync(factory);
        var (id, link) = await StartAsync(staff);

        var page = await StaffSession.Anonymous(factory).GetStringAsync(link);

        Assert.Contains("<dt>Afsender</dt><dd>KKR Midtjylland</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dt>Sagsnummer</dt><dd>SAG-2019-1</dd>", page, StringComparison.Ordinal);
        Assert.Contains($"<dt>Kontaktperson</dt><dd><a href=\"mailto:{StaffSession.Email}\">{StaffSession.Email}</a></dd>", page, StringComparison.Ordinal);
        // 2–31 October 2019: 22 weekdays, no holidays.
        Assert.Contains("Senest torsdag den 31. oktober 2019 kl. 12.00", page, StringComparison.Ordinal);
        Assert.Contains(">22 arbejdsdage tilbage<", page, StringComparison.Ordinal);
        // The same count the staff's hearing page gives the party.
        Assert.Contains("22 arbejdsdage tilbage", await staff.GetStringAsync($"/hoeringer/{id}/parter/skive"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_StartedByAnApiClient_HasNoContactPerson()
    {
        var (_, link) = await StartAsync(factory.CreateApiClient());

        var page = await StaffSession.Anonymous(factory).GetStringAsync(link);

        Assert.DoesNotContain("Kontaktperson", page, StringComparison.Ordinal);
        Assert.Contains("<dt>Afsender</dt><dd>KKR Midtjylland</dd>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_StatesTheSizeLimitBeforeTheFileField_AndMarksTheDateFieldDanish()
    {
        var (_, link) = await StartAsync(factory.CreateApiClient());

        var page = await StaffSession.Anonymous(factory).GetStringAsync(link);

        var hint = page.IndexOf("Højst 10 filer på højst 25 MB hver, i alt højst 250 MB.", StringComparison.Ordinal);
        var field = page.IndexOf("id=\"attachments\"", StringComparison.Ordinal);
        Assert.True(hint > 0 && field > hint, $"The size limit ({hint}) must come before the file field ({field}).");
        Assert.Contains("type=\"date\" lang=\"da\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("ÅÅÅÅ", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterAnswering_MoreTimeIsNoLongerOffered()
    {
        var (_, link) = await StartAsync(factory.CreateApiClient());
        var kommune = StaffSession.Anonymous(factory);
        Assert.Contains("Brug for længere tid?", await kommune.GetStringAsync(link), StringComparison.Ordinal);

        var answered = await PostFormAsync(kommune, link, "", ("text", "Skive Kommune støtter planen."));
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);

        var page = await kommune.GetStringAsync(link);
        Assert.Contains("Skive Kommune støtter planen.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Brug for længere tid?", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/fristforlaengelse", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestForMoreTime_WithADateTypedTheDanishWay_IsStored_AndThePageShowsItWaitingInsteadOfTheForm()
    {
        var (id, link) = await StartAsync(factory.CreateApiClient());
        var kommune = StaffSession.Anonymous(factory);

        var requested = await PostFormAsync(kommune, link, "/fristforlaengelse", ("reason", "Byrådet behandler sagen 13. november."), ("date", "14.11.2019"));
        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);

        var request = Assert.Single(await (await factory.CreateApiClient().GetAsync($"/api/extension-requests?instanceId={id}")).ReadAsync<List<ExtensionRequestDescription>>());
        Assert.Equal(("skive", "2019-11-14"), (request.PartyId, request.RequestedDeadline!["date"]!.GetValue<string>()));
        var page = await kommune.GetStringAsync(link);
        Assert.Contains("I bad tirsdag den 1. oktober 2019 om længere frist til torsdag den 14. november 2019. Sekretariatet har endnu ikke svaret", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/fristforlaengelse", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestForMoreTime_WithADateThatDoesNotExist_IsRefusedNamingWhatWasTyped_AndNothingIsStored()
    {
        var (id, link) = await StartAsync(factory.CreateApiClient());

        var refused = await PostFormAsync(StaffSession.Anonymous(factory), link, "/fristforlaengelse", ("reason", "Byrådsmøde"), ("date", "31.02.2019"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Datoen for den ønskede frist (&quot;31.02.2019&quot;) er ikke en gyldig dato.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await (await factory.CreateApiClient().GetAsync($"/api/extension-requests?instanceId={id}")).ReadAsync<List<ExtensionRequestDescription>>());
    }

    /// <summary>Opens the page (for its anti-forgery cookie and token) and posts one of its forms.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient kommune, string link, string path, params (string Name, string Value)[] fields)
    {
        var page = await kommune.GetStringAsync(link);
        var form = new MultipartFormDataContent { { new StringContent(StaffSession.Token(page)), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return await kommune.PostAsync(link + path, form);
    }
}

[Trait("Database", "Sqlite")]
public sealed class AnswerPageContentTestsOnSqlite() : AnswerPageContentTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class AnswerPageContentTestsOnPostgreSql() : AnswerPageContentTests(TestDatabase.PostgreSql);
