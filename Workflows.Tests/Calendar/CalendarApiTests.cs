using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Host.Api;
using Workflows.Tests.Support;

namespace Workflows.Tests.Calendar;

/// <summary>The contract routes of DESIGN.md §5 over HTTP, with the default configuration (no closing days).</summary>
// The calendar is pure computation on the host's configuration; it reads nothing from the database, so it runs on one.
public class CalendarApiTests(SqliteApiFactory factory) : IClassFixture<SqliteApiFactory>
{
    private readonly HttpClient client = factory.CreateApiClient();

    [Fact]
    public async Task GetHolidays_2022_ReturnsOfficialHelligdageWithoutKind()
    {
        var holidays = await GetArray("/api/calendar/holidays?year=2022");

        Assert.Equal(11, holidays.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "date": "2022-01-01", "name": "Nytårsdag" }"""), holidays[0]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "date": "2022-04-18", "name": "2. påskedag" }"""), holidays[4]));
        Assert.Contains(holidays, h => (string?)h!["name"] == "Store bededag");
    }

    [Fact]
    public async Task GetHolidays_2024_HasNoStoreBededag()
    {
        var holidays = await GetArray("/api/calendar/holidays?year=2024");

        Assert.Equal(10, holidays.Count);
        Assert.DoesNotContain(holidays, h => (string?)h!["name"] == "Store bededag");
    }

    [Theory]
    [InlineData("/api/calendar/holidays", "year")]
    [InlineData("/api/calendar/holidays?year=abc", "year")]
    [InlineData("/api/calendar/holidays?year=10000", "year")]
    [InlineData("/api/calendar/holidays?year=2022.5", "year")]
    [InlineData("/api/calendar/add-working-days?days=1", "date")]
    [InlineData("/api/calendar/add-working-days?date=2022-02-30&days=1", "date")]
    [InlineData("/api/calendar/add-working-days?date=9999-12-31&days=1", "date")]
    [InlineData("/api/calendar/add-working-days?date=2022-04-13", "days")]
    [InlineData("/api/calendar/add-working-days?date=2022-04-13&days=ten", "days")]
    [InlineData("/api/calendar/add-working-days?date=2022-04-13&days=2147483648", "days")]
    [InlineData("/api/calendar/add-working-days?date=2022-04-13&days=-999999", "days")]
    [InlineData("/api/calendar/deadline", "date")]
    [InlineData("/api/calendar/deadline?date=2019-31-10", "date")]
    [InlineData("/api/calendar/deadline?date=2019-10-31&at=12.00", "at")]
    [InlineData("/api/calendar/deadline?date=2019-10-31&at=24:00", "at")]
    [InlineData("/api/calendar/deadline?date=2019-10-31&workingDays=3", "workingDays")]
    [InlineData("/api/calendar/deadline?workingDays=10&at=12:00", "start")]
    [InlineData("/api/calendar/deadline?start=2019-10-11T09:00&workingDays=-1", "workingDays")]
    [InlineData("/api/calendar/deadline?start=2019-10-11T09:00&days=x", "days")]
    [InlineData("/api/calendar/deadline?start=2019-10-11T09:00&weeks=100000", "weeks")]
    [InlineData("/api/calendar/deadline?start=2019-10-11T09:00&workingDays=3&days=3", "days")]
    [InlineData("/api/calendar/deadline?start=11-10-2019&workingDays=3", "start")]
    [InlineData("/api/calendar/deadline?start=9999-12-31T09:00&workingDays=3", "start")]
    [InlineData("/api/calendar/deadline?isoWeek=2022-W53", "isoWeek")]
    public async Task Get_BadQuery_Returns400ProblemKeyedByParameter(string url, string parameter)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int?)problem["status"]);
        Assert.NotNull(problem["errors"]?[parameter]);
    }

    [Theory]
    [InlineData("2022-04-13", 1, "2022-04-19")]
    [InlineData("2022-04-19", -1, "2022-04-13")]
    [InlineData("2019-12-23", 5, "2020-01-02")]
    [InlineData("2022-04-16", 0, "2022-04-19")]
    [InlineData("2022-05-12", 1, "2022-05-16")]
    public async Task AddWorkingDays_AcrossHolidays_ReturnsDate(string date, int days, string expected)
    {
        var body = await GetObject($"/api/calendar/add-working-days?date={date}&days={days}");

        Assert.True(JsonNode.DeepEquals(new JsonObject { ["date"] = expected }, body));
    }

    [Fact]
    public async Task GetDeadline_SeedDeadline_ReturnsContractShape()
    {
        var body = await GetObject("/api/calendar/deadline?date=2019-10-31&at=12:00");

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {
                  "local": "2019-10-31T12:00:00",
                  "offset": "+01:00",
                  "instant": "2019-10-31T11:00:00Z",
                  "text": "torsdag den 31. oktober 2019 kl. 12.00",
                  "warnings": []
                }
                """),
            body));
    }

    [Fact]
    public async Task GetDeadline_OnPaaskedag_KeepsDateAndWarns()
    {
        var body = await GetObject("/api/calendar/deadline?date=2022-04-18");

        Assert.Equal("2022-04-18T23:59:59", (string?)body["local"]);
        Assert.Equal("+02:00", (string?)body["offset"]);
        Assert.Equal("2022-04-18T21:59:59Z", (string?)body["instant"]);
        Assert.Equal("Fristen 18. april 2022 falder på 2. påskedag, som ikke er en arbejdsdag.", (string?)body["warnings"]![0]);
    }

    [Fact]
    public async Task GetDeadline_WorkingDaysFromStart_CountsInCopenhagen()
    {
        var body = await GetObject("/api/calendar/deadline?start=2019-10-24T10:00&workingDays=5&at=12:00");

        Assert.Equal("2019-10-31T12:00:00", (string?)body["local"]);
        Assert.Equal("2019-10-31T11:00:00Z", (string?)body["instant"]);
        // The default policy asks for at least four weeks of hearing.
        Assert.Single(body["warnings"]!.AsArray());
    }

    [Theory]
    [InlineData("days=30", "2019-11-11T12:00:00")]
    [InlineData("weeks=6", "2019-11-22T12:00:00")]
    public async Task GetDeadline_DaysOrWeeksFromStart_ReturnsWorkingDay(string count, string local)
    {
        var body = await GetObject($"/api/calendar/deadline?start=2019-10-11T09:00:00&{count}&at=12:00");

        Assert.Equal(local, (string?)body["local"]);
    }

    [Fact]
    public async Task GetDeadline_IsoWeek_IsLastWorkingDayOfWeek()
    {
        var body = await GetObject("/api/calendar/deadline?isoWeek=2022-W12&at=12:00");

        Assert.Equal("fredag den 25. marts 2022 kl. 12.00", (string?)body["text"]);
    }

    [Fact]
    public void GetDeadline_SpringGapTime_ShiftsForward()
    {
        var calculator = new DeadlineCalculator(WorkingDayCalendar.OfficialOnly, DateTimeZoneProviders.Tzdb["Europe/Copenhagen"]);

        var result = Assert.IsType<Ok<DeadlineResponse>>(
            CalendarApi.GetDeadline(null, "2025-03-30", "02:30", null, null, null, null, calculator).Result);

        Assert.Equal("2025-03-30T03:30:00", result.Value?.Local);
        Assert.Equal("+02:00", result.Value?.Offset);
        Assert.Equal("2025-03-30T01:30:00Z", result.Value?.Instant);
    }

    private async Task<JsonArray> GetArray(string url) => (await GetNode(url)).AsArray();

    private async Task<JsonObject> GetObject(string url) => (await GetNode(url)).AsObject();

    private async Task<JsonNode> GetNode(string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}

/// <summary>A host configured with closing days, to show they are listed with their kind and skipped.</summary>
public sealed class ClosingDaysApiFactory : ProcesFlowApiFactory
{
    public ClosingDaysApiFactory()
        : base(TestDatabase.Sqlite)
    {
        Settings["ProcesFlow:Calendar:ClosingDays:0:Preset"] = "grundlovsdag";
        Settings["ProcesFlow:Calendar:ClosingDays:1:Name"] = "Juleaftensdag";
        Settings["ProcesFlow:Calendar:ClosingDays:1:Annual"] = "12-24";
        Settings["ProcesFlow:Calendar:ClosingDays:2:Preset"] = "nytaarsaftensdag";
    }
}

public class CalendarApiClosingDaysTests(ClosingDaysApiFactory factory) : IClassFixture<ClosingDaysApiFactory>
{
    private readonly HttpClient client = factory.CreateApiClient();

    [Fact]
    public async Task GetHolidays_ClosingDaysConfigured_AddsThemWithKindInDateOrder()
    {
        var holidays = JsonNode.Parse(await client.GetStringAsync(new Uri("/api/calendar/holidays?year=2024", UriKind.Relative)))!.AsArray();

        Assert.Equal(13, holidays.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "date": "2024-06-05", "name": "Grundlovsdag", "kind": "closingDay" }"""), holidays[8]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "date": "2024-12-24", "name": "Juleaftensdag", "kind": "closingDay" }"""), holidays[9]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "date": "2024-12-31", "name": "Nytårsaftensdag", "kind": "closingDay" }"""), holidays[12]));
        Assert.Equal(10, holidays.Count(h => h!["kind"] is null));
    }

    [Fact]
    public async Task AddWorkingDays_ClosingDaysConfigured_SkipsThem()
    {
        var body = JsonNode.Parse(await client.GetStringAsync(new Uri("/api/calendar/add-working-days?date=2019-12-23&days=3", UriKind.Relative)));

        Assert.True(JsonNode.DeepEquals(new JsonObject { ["date"] = "2020-01-02" }, body));
    }

    [Fact]
    public async Task GetDeadline_OnClosingDay_WarnsNamingIt()
    {
        var body = JsonNode.Parse(await client.GetStringAsync(new Uri("/api/calendar/deadline?date=2024-06-05&at=12:00", UriKind.Relative)))!;

        Assert.Equal("Fristen 5. juni 2024 falder på Grundlovsdag (lukkedag), som ikke er en arbejdsdag.", (string?)body["warnings"]![0]);
    }
}
