using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Workflows.Definitions.Parties;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Staff;

/// <summary>
/// 1,000 running hearings to the 29 Hovedstaden kommuner (29,000 party tasks) written straight into the host's
/// SQLite database: the overview and the overdue view still render, with the right counts. Speed is measured
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

        // Per hearing: 10 answered, 5 overdue (their deadline has passed), 14 waiting. Written with plain SQL in one
        // transaction (the column formats are EF Core's: Guids as upper-case text, Instants as Unix ticks).
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            var instance = Command(connection, "instances",
                "Id", "DefinitionId", "DefinitionVersion", "Name", "CorrelationId", "Status", "Revision", "Input", "State", "CreatedAt", "UpdatedAt");
            var task = Command(connection, "party_tasks",
                "Id", "InstanceId", "ActivityId", "PartyId", "PartyName", "Contacts", "Status", "Deadline", "TokenHash", "TokenExpiresAt", "CreatedAt",
                "RemindersSent", "RykkereSent", "AnsweredAt");
            instance.Transaction = transaction;
            task.Transaction = transaction;
            var input = JsonSerializer.Serialize(new { sender = "KKR Hovedstaden", parties = "hovedstaden" });
            var sent = (now - Duration.FromDays(20)).ToUnixTimeTicks();
            for (var h = 0; h < Hearings; h++)
            {
                var id = Guid.CreateVersion7().ToString().ToUpperInvariant();
                await ExecuteAsync(instance, id, "standard-hearing", 1, $"Høring nr. {h + 1:0000}", $"SAG-2019-{h + 1:00000}", "Suspended", 1, input, "{}", sent, now.ToUnixTimeTicks());
                var later = (now + Duration.FromDays(10 + (h % 30))).ToUnixTimeTicks();
                for (var p = 0; p < kommuner.Count; p++)
                {
                    var (status, deadline, answeredAt) = p switch
                    {
                        < 10 => ("Answered", later, (object)(now - Duration.FromDays(1)).ToUnixTimeTicks()),
                        < 15 => ("Overdue", (now - Duration.FromDays(2)).ToUnixTimeTicks(), DBNull.Value),
                        _ => ("Sent", later, DBNull.Value),
                    };
                    await ExecuteAsync(task, Guid.CreateVersion7().ToString().ToUpperInvariant(), id, "hearing", kommuner[p].Id, kommuner[p].Name, "[]", status, deadline,
                        Guid.NewGuid().ToString("N"), deadline, sent, 0, 0, answeredAt);
                }
            }
            await transaction.CommitAsync();
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

    private static SqliteCommand Command(SqliteConnection connection, string table, params string[] columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        }
        return command;
    }

    private static Task<int> ExecuteAsync(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
        return command.ExecuteNonQueryAsync();
    }

    public void Dispose() => factory.Dispose();
}

[Trait("Database", "Sqlite")]
public sealed class DashboardScaleTestsOnSqlite() : DashboardScaleTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class DashboardScaleTestsOnPostgreSql() : DashboardScaleTests(TestDatabase.PostgreSql);
