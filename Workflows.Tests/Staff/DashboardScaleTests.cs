using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Workflows.Definitions.Parties;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Tests.Support;

namespace Workflows.Tests.Staff;

/// <summary>
/// 1,000 running hearings to the 29 Hovedstaden kommuner (29,000 party tasks) written straight into the host's
/// database: the overview and the overdue view still render, with the right counts. Speed is measured
/// in the benchmarks, not here.
/// </summary>
public abstract class DashboardScaleTests : IDisposable
{
    private const int Hearings = 1000;

    private readonly ProcesFlowApiFactory factory;

    protected DashboardScaleTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    [Fact]
    public async Task ThousandHearingsTimesTwentyNineParties_OverviewAndOverdueViewRenderWithTheCounts()
    {
        var browser = await StaffSession.SignedInAsync(factory);
        var now = Instant.FromUtc(2019, 10, 1, 8, 0);
        var kommuner = PartyDirectory.LoadReference().InRegion(DanishRegion.Hovedstaden);
        Assert.Equal(29, kommuner.Count);

        // Per hearing: 10 answered, 5 overdue (their deadline has passed), 14 waiting. Written as rows in one save, with
        // change tracking off: the database's own column formats on either provider, without running 1,000 hearings.
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var input = JsonSerializer.Serialize(new { sender = "KKR Hovedstaden", parties = "hovedstaden" });
            var sent = now - Duration.FromDays(20);
            for (var h = 0; h < Hearings; h++)
            {
                var id = Guid.CreateVersion7();
                db.Instances.Add(new InstanceRow
                {
                    Id = id, DefinitionId = "standard-hearing", DefinitionVersion = 1, Name = $"Høring nr. {h + 1:0000}", CorrelationId = $"SAG-2019-{h + 1:00000}",
                    Status = "Suspended", Revision = 1, Input = input, State = "{}", CreatedAt = sent, UpdatedAt = now,
                });
                var later = now + Duration.FromDays(10 + (h % 30));
                for (var p = 0; p < kommuner.Count; p++)
                {
                    var (status, deadline, answeredAt) = p switch
                    {
                        < 10 => ("Answered", later, (Instant?)(now - Duration.FromDays(1))),
                        < 15 => ("Overdue", now - Duration.FromDays(2), null),
                        _ => ("Sent", later, null),
                    };
                    db.PartyTasks.Add(new PartyTaskRow
                    {
                        Id = Guid.CreateVersion7(), InstanceId = id, ActivityId = "hearing", PartyId = kommuner[p].Id, PartyName = kommuner[p].Name, Contacts = "[]",
                        Status = status, Deadline = deadline, LegacyTokenHash = Guid.NewGuid().ToString("N"), TokenExpiresAt = deadline, CreatedAt = sent,
                        AnsweredAt = answeredAt,
                    });
                }
            }
            await db.SaveChangesAsync();
        }
        await using (var db = await contexts.CreateDbContextAsync())
        {
            Assert.Equal(Hearings * 29, await db.PartyTasks.CountAsync());
            Assert.Equal(Hearings * 10, await db.PartyTasks.CountAsync(t => t.AnsweredAt != null));
        }

        var overview = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        var page = await overview.Content.ReadAsStringAsync();
        Assert.Contains("1.000 igangværende høringer. I alt 10.000 af 29.000 svar modtaget, 5.000 overskredne.", page, StringComparison.Ordinal);
        Assert.Contains("10 af 29 svar", page, StringComparison.Ordinal);
        Assert.Contains("Side 1 af 20", page, StringComparison.Ordinal);

        var search = await browser.GetStringAsync("/?q=SAG-2019-00042");
        Assert.Contains("1.000 igangværende høringer, 1 vises efter filtrering", search, StringComparison.Ordinal);
        Assert.Contains("Høring nr. 0042", search, StringComparison.Ordinal);

        var overdue = await browser.GetAsync("/overskredet");
        Assert.Equal(HttpStatusCode.OK, overdue.StatusCode);
        var overduePage = await overdue.Content.ReadAsStringAsync();
        Assert.Contains("5.000 overskredne svar i 1.000 høringer fra 5 parter.", overduePage, StringComparison.Ordinal);
        Assert.Contains($">{kommuner[10].Name}</a></td><td class=\"num\">1.000</td>", overduePage, StringComparison.Ordinal);
        Assert.Contains("(side 1 af 50)", overduePage, StringComparison.Ordinal);

        var party = await browser.GetStringAsync($"/parter/{kommuner[20].Id}");
        Assert.Contains($"{kommuner[20].Name} mangler at svare på 1.000 høringer, heraf 0 efter fristen.", party, StringComparison.Ordinal);
    }

    public void Dispose() => factory.Dispose();
}

[Trait("Database", "Sqlite")]
public sealed class DashboardScaleTestsOnSqlite() : DashboardScaleTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class DashboardScaleTestsOnPostgreSql() : DashboardScaleTests(TestDatabase.PostgreSql);
