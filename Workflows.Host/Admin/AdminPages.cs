using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Workflows.Host.Audit;
using Workflows.Host.Persistence;
using Workflows.Host.Security;
using Workflows.Host.Pages;
using Workflows.Host.Pages.Shared;
using Workflows.Host.Staff;
using static Workflows.Host.Pages.FormTokens;

namespace Workflows.Host.Admin;

/// <summary>
/// The administration pages, for administrators only: staff accounts (create, role and team, deactivate), API keys
/// (create, shown once; revoke) and the audit trail (filters, CSV). Every change is recorded in the audit trail with
/// its before and after.
/// </summary>
public static class AdminPages
{
    public static IEndpointRouteBuilder MapAdminPages(this IEndpointRouteBuilder app)
    {
        // Each form handler checks the anti-forgery token itself (IsGenuineAsync) and answers a stale form in Danish.
        var admin = app.MapGroup("/admin").RequireAuthorization(SecuritySetup.StaffAdminPolicy).ExcludeFromDescription().DisableAntiforgery();
        admin.MapGet("", UsersAsync);
        admin.MapPost("brugere", CreateUserAsync);
        admin.MapPost("brugere/{userId:guid}/rolle", ChangeRoleAsync);
        admin.MapPost("brugere/{userId:guid}/deaktiver", (Guid userId, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, CancellationToken cancellationToken) =>
            SetActiveAsync(userId, active: false, http, antiforgery, accounts, audit, cancellationToken));
        admin.MapPost("brugere/{userId:guid}/aktiver", (Guid userId, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, CancellationToken cancellationToken) =>
            SetActiveAsync(userId, active: true, http, antiforgery, accounts, audit, cancellationToken));
        admin.MapGet("teams", TeamsAsync);
        admin.MapPost("teams/brugere/{userId:guid}", SetUserTeamAsync);
        admin.MapPost("teams/hoeringer/{instanceId:guid}", SetHearingTeamAsync);
        admin.MapGet("noegler", KeysAsync);
        admin.MapPost("noegler", CreateKeyAsync);
        admin.MapPost("noegler/{keyId:guid}/tilbagekald", RevokeKeyAsync);
        admin.MapGet("revision", AuditAsync);
        admin.MapGet("revision.csv", AuditCsvAsync);
        return app;
    }

    public static async Task<IResult> UsersAsync(StaffAccounts accounts, CancellationToken cancellationToken) =>
        await UsersPageAsync(accounts, notice: null, StatusCodes.Status200OK, cancellationToken);

    private static async Task<IResult> UsersPageAsync(StaffAccounts accounts, AdminNotice? notice, int status, CancellationToken cancellationToken) =>
        PagesSetup.Page<UsersPage>(new { Users = await accounts.ListAsync(cancellationToken), Notice = notice }, status);

    public static async Task<IResult> CreateUserAsync(HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Error, "Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var (user, error) = await accounts.CreateAsync(form["email"], form["name"], form["role"], form["team"], form["password"], cancellationToken);
        if (user is null)
        {
            return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Error, error!), StatusCodes.Status400BadRequest, cancellationToken);
        }
        await audit.RecordAsync(http, new AuditEntry("UserCreated", $"user={user.Email}", After: Describe(user.Role, user.Team)));
        return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Success, $"Brugeren {user.Email} er oprettet som {user.Role}."), StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> ChangeRoleAsync(Guid userId, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Error, "Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var role = form["role"].ToString();
        if (!StaffRoles.IsRole(role))
        {
            return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Error, "Vælg en rolle."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var before = await accounts.ChangeRoleAsync(userId, role, form["team"], cancellationToken);
        if (before is null)
        {
            return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Error, "Brugeren findes ikke."), StatusCodes.Status404NotFound, cancellationToken);
        }
        var team = string.IsNullOrWhiteSpace(form["team"]) ? null : form["team"].ToString().Trim();
        await audit.RecordAsync(http, new AuditEntry("UserRoleChanged", $"user={before.Email}", Describe(before.Role, before.Team), Describe(role, team)));
        return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Success, $"{before.Email} er nu {role}."), StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> SetActiveAsync(Guid userId, bool active, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Error, "Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var user = await accounts.SetActiveAsync(userId, active, cancellationToken);
        if (user is null)
        {
            return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Error, "Brugeren findes ikke."), StatusCodes.Status404NotFound, cancellationToken);
        }
        await audit.RecordAsync(http, new AuditEntry(active ? "UserActivated" : "UserDeactivated", $"user={user.Email}", active ? "deaktiveret" : "aktiv", active ? "aktiv" : "deaktiveret"));
        return await UsersPageAsync(accounts, new AdminNotice(AlertKind.Success, $"{user.Email} er {(active ? "aktiveret" : "deaktiveret")}."), StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> TeamsAsync(StaffAccounts accounts, IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken) =>
        await TeamsPageAsync(accounts, contexts, notice: null, StatusCodes.Status200OK, cancellationToken);

    private static async Task<IResult> TeamsPageAsync(StaffAccounts accounts, IDbContextFactory<ProcesFlowDbContext> contexts, AdminNotice? notice, int status, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hearings = await db.Instances.IgnoreQueryFilters().AsNoTracking().OrderByDescending(i => i.CreatedAt)
            .Select(i => new HearingTeam(i.Id, i.Name, i.Status, i.Team)).ToListAsync(cancellationToken);
        return PagesSetup.Page<TeamsPage>(new
        {
            Teams = await accounts.TeamsAsync(cancellationToken), Users = await accounts.ListAsync(cancellationToken), Hearings = hearings, Notice = notice,
        }, status);
    }

    /// <summary>The team both team forms post (empty for none), or the teams page saying what was wrong with the form.</summary>
    private static async Task<(string? Team, IResult? Refused)> ReadTeamFormAsync(
        HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, IDbContextFactory<ProcesFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return (null, await TeamsPageAsync(accounts, contexts, new AdminNotice(AlertKind.Error, "Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken));
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var team = TeamOf(form["team"]);
        return team is { Length: > MaxTeamLength }
            ? (null, await TeamsPageAsync(accounts, contexts, new AdminNotice(AlertKind.Error, $"Et team må højst være på {MaxTeamLength} tegn."), StatusCodes.Status400BadRequest, cancellationToken))
            : (team, null);
    }

    /// <summary>Moves a staff member to another team (or none), keeping the role; their sessions end (a new security stamp).</summary>
    public static async Task<IResult> SetUserTeamAsync(Guid userId, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, IDbContextFactory<ProcesFlowDbContext> contexts, AuditTrail audit, CancellationToken cancellationToken)
    {
        var (team, refused) = await ReadTeamFormAsync(http, antiforgery, accounts, contexts, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }
        var current = (await accounts.ListAsync(cancellationToken)).FirstOrDefault(u => u.Id == userId);
        var before = current is null ? null : await accounts.ChangeRoleAsync(userId, current.Role, team, cancellationToken);
        if (before is null)
        {
            return await TeamsPageAsync(accounts, contexts, new AdminNotice(AlertKind.Error, "Brugeren findes ikke."), StatusCodes.Status404NotFound, cancellationToken);
        }
        await audit.RecordAsync(http, new AuditEntry("UserTeamChanged", $"user={before.Email}", TeamText(before.Team), TeamText(team)));
        return await TeamsPageAsync(accounts, contexts, new AdminNotice(AlertKind.Success, $"{before.Email} er nu i {TeamText(team)}."), StatusCodes.Status200OK, cancellationToken);
    }

    /// <summary>Puts a hearing in a team (or none): from then on only that team's members (and those without a team) see it.</summary>
    public static async Task<IResult> SetHearingTeamAsync(Guid instanceId, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, IDbContextFactory<ProcesFlowDbContext> contexts, AuditTrail audit, CancellationToken cancellationToken)
    {
        var (team, refused) = await ReadTeamFormAsync(http, antiforgery, accounts, contexts, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }
        string? name;
        string? before;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var hearing = await db.Instances.IgnoreQueryFilters().AsNoTracking().Where(i => i.Id == instanceId).Select(i => new { i.Name, i.Team }).FirstOrDefaultAsync(cancellationToken);
            if (hearing is null)
            {
                return await TeamsPageAsync(accounts, contexts, new AdminNotice(AlertKind.Error, "Høringen findes ikke."), StatusCodes.Status404NotFound, cancellationToken);
            }
            (name, before) = (hearing.Name, hearing.Team);
            // Only the team column: the engine's writer owns the rest of the row.
            await db.Instances.IgnoreQueryFilters().Where(i => i.Id == instanceId).ExecuteUpdateAsync(set => set.SetProperty(i => i.Team, team), cancellationToken);
        }
        await audit.RecordAsync(http, new AuditEntry("HearingTeamChanged", $"instanceId={instanceId}", TeamText(before), TeamText(team)));
        return await TeamsPageAsync(accounts, contexts, new AdminNotice(AlertKind.Success, $"Høringen »{name}« er nu i {TeamText(team)}."), StatusCodes.Status200OK, cancellationToken);
    }

    private const int MaxTeamLength = 100;

    private static string? TeamOf(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string TeamText(string? team) => team is null ? "intet team" : $"team {team}";

    public static async Task<IResult> KeysAsync(ApiKeyStore keys, CancellationToken cancellationToken) =>
        await KeysPageAsync(keys, null, StatusCodes.Status200OK, cancellationToken);

    private static async Task<IResult> KeysPageAsync(
        ApiKeyStore keys, AdminNotice? notice, int status, CancellationToken cancellationToken, NewApiKey? newKey = null) =>
        PagesSetup.Page<KeysPage>(new { Keys = await keys.ListAsync(cancellationToken), Notice = notice, NewKey = newKey }, status);

    public static async Task<IResult> CreateKeyAsync(HttpContext http, IAntiforgery antiforgery, ApiKeyStore keys, AuditTrail audit, DateTimeZone zone, IClock clock, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await KeysPageAsync(keys, new AdminNotice(AlertKind.Error, "Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var name = form["name"].ToString().Trim();
        var role = form["role"].ToString();
        var team = string.IsNullOrWhiteSpace(form["team"]) ? null : form["team"].ToString().Trim();
        Instant? expires = null;
        string? problem = name.Length is 0 or > 200 ? "Giv nøglen et navn (højst 200 tegn)." : !StaffRoles.IsRole(role) ? "Vælg en rolle." : null;
        if (problem is null && form["expires"].ToString() is { Length: > 0 } expiresText)
        {
            var parsed = LocalDatePattern.Iso.Parse(expiresText);
            if (!parsed.Success)
            {
                problem = "Udløbsdatoen skal skrives ÅÅÅÅ-MM-DD.";
            }
            else
            {
                // Valid through the whole day it names.
                expires = parsed.Value.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
                if (expires <= clock.GetCurrentInstant())
                {
                    problem = "Udløbsdatoen er allerede passeret.";
                }
            }
        }
        if (problem is not null)
        {
            return await KeysPageAsync(keys, new AdminNotice(AlertKind.Error, problem), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var (row, key) = await keys.CreateAsync(name, role, team, expires, http.User.Actor(), cancellationToken);
        await audit.RecordAsync(http, new AuditEntry("ApiKeyCreated", $"key={row.Name}", After: Describe(row.Role, row.Team) + (expires is { } e ? $", udløber {AdminText.When(e, zone)}" : "")));
        // Never cached: the page holds the key itself.
        http.Response.Headers.CacheControl = "no-store";
        return await KeysPageAsync(keys, null, StatusCodes.Status200OK, cancellationToken, new NewApiKey(row.Name, key));
    }

    public static async Task<IResult> RevokeKeyAsync(Guid keyId, HttpContext http, IAntiforgery antiforgery, ApiKeyStore keys, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await KeysPageAsync(keys, new AdminNotice(AlertKind.Error, "Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var row = await keys.RevokeAsync(keyId, cancellationToken);
        if (row is null)
        {
            return await KeysPageAsync(keys, new AdminNotice(AlertKind.Error, "Nøglen findes ikke eller er allerede tilbagekaldt."), StatusCodes.Status404NotFound, cancellationToken);
        }
        await audit.RecordAsync(http, new AuditEntry("ApiKeyRevoked", $"key={row.Name}", "aktiv", "tilbagekaldt"));
        return await KeysPageAsync(keys, new AdminNotice(AlertKind.Success, $"Nøglen »{row.Name}« er tilbagekaldt."), StatusCodes.Status200OK, cancellationToken);
    }

    private const int AuditPageLimit = 500;

    public static async Task<IResult> AuditAsync(HttpContext http, IDbContextFactory<ProcesFlowDbContext> contexts, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var filter = AuditFilter.Of(http.Request);
        if (filter.Problem is not null)
        {
            return PagesSetup.Page<AuditPage>(new { Filter = filter, Limit = AuditPageLimit }, StatusCodes.Status400BadRequest);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await filter.ReadAsync(db, zone, AuditPageLimit, cancellationToken);
        return PagesSetup.Page<AuditPage>(new { Filter = filter, Rows = rows, Limit = AuditPageLimit });
    }

    public static async Task<IResult> AuditCsvAsync(HttpContext http, IDbContextFactory<ProcesFlowDbContext> contexts, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var filter = AuditFilter.Of(http.Request);
        if (filter.Problem is { } problem)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await filter.ReadAsync(db, zone, int.MaxValue, cancellationToken);
        return Results.File(AuditFilter.Csv(rows, zone), "text/csv; charset=utf-8", "revisionsspor.csv");
    }

    private static string Describe(string role, string? team) => team is null ? role : $"{role}, team {team}";
}

/// <summary>What an administration page says after a form: done, or what went wrong.</summary>
public sealed record AdminNotice(AlertKind Kind, string Text);

/// <summary>A hearing and its team, for the teams page.</summary>
public sealed record HearingTeam(Guid Id, string Name, string Status, string? Team);

/// <summary>A key just created, shown once.</summary>
public sealed record NewApiKey(string Name, string Key);
