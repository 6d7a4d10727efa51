using System.Net;
using Workflows.Host.Api;
using Workflows.Tests.Support;

namespace Workflows.Tests.Api;

/// <summary>The bodies' meeting calendars, as a secretariat checks them before planning a decision.</summary>
public abstract class MeetingsApiTests(TestDatabase database)
{
    [Fact]
    public async Task Meetings_OfKdNet_AreListedInOrderWithDanishText()
    {
        using var factory = new ProcesFlowApiFactory(database);
        var client = factory.CreateApiClient();

        var bodies = await (await client.GetAsync("/api/meetings?body=kd-net-midtjylland")).ReadAsync<List<BodyMeetings>>();

        var kdnet = Assert.Single(bodies);
        Assert.Equal("KD-Net (kommunaldirektørerne i Region Midtjylland)", kdnet.Name);
        Assert.Contains(new Meeting("2020-01-24T10:00", "fredag den 24. januar 2020 kl. 10.00"), kdnet.Meetings);
        Assert.Equal(kdnet.Meetings.OrderBy(m => m.Local, StringComparer.Ordinal), kdnet.Meetings);
    }

    [Fact]
    public async Task Meetings_OfABodyWithoutCalendar_Is400NamingTheKnownOnes()
    {
        using var factory = new ProcesFlowApiFactory(database);

        var response = await factory.CreateApiClient().GetAsync("/api/meetings?body=aarhus");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'aarhus' has no meeting calendar (known: adm-styregruppe-erhvervsfremme-midtjylland, dassos-midtjylland", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

[Trait("Database", "Sqlite")]
public sealed class MeetingsApiTestsOnSqlite() : MeetingsApiTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class MeetingsApiTestsOnPostgreSql() : MeetingsApiTests(TestDatabase.PostgreSql);
