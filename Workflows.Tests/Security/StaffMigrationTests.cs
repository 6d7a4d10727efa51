using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Persistence;
using Workflows.Host.Staff;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>
/// The migration that moved staff accounts from the home-made <c>users</c> table onto ASP.NET Core Identity's tables:
/// a database at the migration before it, with accounts in <c>users</c>, is migrated by the host at start-up, and the
/// accounts keep their password, role, team and lockout.
/// </summary>
public abstract class StaffMigrationTests(TestDatabase database) : IDisposable
{
    private const string Password = "Gammel-Adgangskode-2019";

    private static readonly Guid Secretariat = new("0193f0a0-1111-7000-8000-000000000001");

    private static readonly Guid Locked = new("0193f0a0-1111-7000-8000-000000000002");

    private readonly ProcesFlowApiFactory factory = new(database);

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AccountsOfTheOldUsersTable_MoveToIdentity_WithTheirPasswordRoleTeamAndLockout()
    {
        // The simulated clock stands at 1 October 2019 10.00 (08.00 UTC).
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
        await PrepareOldDatabaseAsync();

        var accounts = await factory.Services.GetRequiredService<StaffAccounts>().ListAsync(CancellationToken.None);
        Assert.Equal(
            ["laest@kkr-midt.example Læser ", "sekretariat@kkr-midt.example Sekretariat kkr-midt"],
            accounts.Select(a => $"{a.Email} {a.Role} {a.Team}").Order(StringComparer.Ordinal));
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync())
        {
            var migrated = await db.Users.SingleAsync(u => u.Id == Secretariat);
            Assert.Equal(2, migrated.AccessFailedCount);
            Assert.Equal("SEKRETARIAT@KKR-MIDT.EXAMPLE", migrated.NormalizedEmail);
            Assert.Equal(32, migrated.SecurityStamp!.Length);
            Assert.Equal(0, await OldTablesAsync(db));
        }

        // The same password signs in, with the role it had: a Sekretariat may not open the administration.
        var browser = await SecuritySupport.SignInAsync(factory, "sekretariat@kkr-midt.example", Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/admin")).StatusCode);

        // The locked account is still locked until 10.30 (08.30 UTC).
        var anonymous = StaffSession.Anonymous(factory);
        var page = await anonymous.GetStringAsync("/login");
        var locked = await anonymous.PostAsync("/login", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", StaffSession.Token(page)), new("email", "laest@kkr-midt.example"), new("password", Password), new("returnUrl", "/")]));
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
        Assert.Contains("Prøv igen efter tirsdag den 1. oktober 2019 kl. 10.30.", WebUtility.HtmlDecode(await locked.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    /// <summary>An empty database brought to the migration before Identity, with two accounts in <c>users</c>.</summary>
    private async Task PrepareOldDatabaseAsync()
    {
        var connection = TestDatabases.Empty(database, factory.Folder);
        await using ProcesFlowDbContext db = database == TestDatabase.PostgreSql
            ? new PostgreSqlProcesFlowDbContext(new DbContextOptionsBuilder<PostgreSqlProcesFlowDbContext>().UseNpgsql(connection + ";Pooling=false", o => o.UseNodaTime()).Options)
            : new SqliteProcesFlowDbContext(new DbContextOptionsBuilder<SqliteProcesFlowDbContext>().UseSqlite(connection + ";Pooling=False").Options);
        await db.GetService<IMigrator>().MigrateAsync("UnmatchedMailDismissal");
        var hash = new PasswordHasher<object>().HashPassword(new object(), Password);
        // 2019-09-01T08:00Z and (for the lockout) 2019-10-01T08:30Z.
        var created = new DateTimeOffset(2019, 9, 1, 8, 0, 0, TimeSpan.Zero);
        var lockedUntil = new DateTimeOffset(2019, 10, 1, 8, 30, 0, TimeSpan.Zero);
        if (database == TestDatabase.PostgreSql)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO users ("Id", "Email", "Name", "PasswordHash", "Role", "Team", "CreatedAt", "DeactivatedAt", "FailedSignIns", "LockedUntil")
                VALUES ({Secretariat}, 'sekretariat@kkr-midt.example', 'Sekretær', {hash}, 'Sekretariat', 'kkr-midt', {created}, NULL, 2, NULL),
                       ({Locked}, 'laest@kkr-midt.example', 'Låst', {hash}, 'Læser', NULL, {created}, NULL, 0, {lockedUntil})
                """);
        }
        else
        {
            static long Ticks(DateTimeOffset at) => at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO users (Id, Email, Name, PasswordHash, Role, Team, CreatedAt, DeactivatedAt, FailedSignIns, LockedUntil)
                VALUES ({Secretariat.ToString().ToUpperInvariant()}, 'sekretariat@kkr-midt.example', 'Sekretær', {hash}, 'Sekretariat', 'kkr-midt', {Ticks(created)}, NULL, 2, NULL),
                       ({Locked.ToString().ToUpperInvariant()}, 'laest@kkr-midt.example', 'Låst', {hash}, 'Læser', NULL, {Ticks(created)}, NULL, 0, {Ticks(lockedUntil)})
                """);
        }
    }

    private async Task<int> OldTablesAsync(ProcesFlowDbContext db) =>
        await db.Database.SqlQueryRaw<int>(database == TestDatabase.PostgreSql
            ? "SELECT count(*)::int AS \"Value\" FROM information_schema.tables WHERE table_name = 'users'"
            : "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'users'").SingleAsync();
}

public sealed class StaffMigrationTestsOnSqlite() : StaffMigrationTests(TestDatabase.Sqlite);

public sealed class StaffMigrationTestsOnPostgreSql() : StaffMigrationTests(TestDatabase.PostgreSql);
