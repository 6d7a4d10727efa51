using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Workflows.Host.Audit;
using Workflows.Host.Persistence;
using Workflows.Host.Security;
using Workflows.Host.Staff;
using static Workflows.Host.Staff.StaffLayout;

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
        admin.MapPost("brugere/{userId:guid}/deaktiver", (Guid userId, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, DateTimeZone zone, CancellationToken cancellationToken) =>
            SetActiveAsync(userId, active: false, http, antiforgery, accounts, audit, zone, cancellationToken));
        admin.MapPost("brugere/{userId:guid}/aktiver", (Guid userId, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, DateTimeZone zone, CancellationToken cancellationToken) =>
            SetActiveAsync(userId, active: true, http, antiforgery, accounts, audit, zone, cancellationToken));
        admin.MapGet("noegler", KeysAsync);
        admin.MapPost("noegler", CreateKeyAsync);
        admin.MapPost("noegler/{keyId:guid}/tilbagekald", RevokeKeyAsync);
        admin.MapGet("revision", AuditAsync);
        admin.MapGet("revision.csv", AuditCsvAsync);
        return app;
    }

    private static string Tabs(string current) =>
        $"""
        <nav aria-label="Administration"><ul class="pages">
        <li><a href="/admin"{(current == "users" ? " aria-current=\"page\"" : "")}>Brugere</a></li>
        <li><a href="/admin/noegler"{(current == "keys" ? " aria-current=\"page\"" : "")}>API-nøgler</a></li>
        <li><a href="/admin/revision"{(current == "audit" ? " aria-current=\"page\"" : "")}>Revisionsspor</a></li>
        </ul></nav>
        """;

    private static string RoleOptions(string? selected) =>
        string.Concat(StaffRoles.All.Select(r => $"<option value=\"{Encode(r)}\"{(r == selected ? " selected" : "")}>{Encode(r)}</option>"));

    public static async Task<IResult> UsersAsync(HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, DateTimeZone zone, CancellationToken cancellationToken) =>
        await UsersPageAsync(http, antiforgery, accounts, zone, message: null, StatusCodes.Status200OK, cancellationToken);

    private static async Task<IResult> UsersPageAsync(HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, DateTimeZone zone, string? message, int status, CancellationToken cancellationToken)
    {
        var users = await accounts.ListAsync(cancellationToken);
        var af = AntiforgeryField(http, antiforgery);
        var body = new StringBuilder(Tabs("users")).Append(message);
        body.Append("<table><caption>Brugere</caption><thead><tr><th scope=\"col\">E-mail</th><th scope=\"col\">Navn</th><th scope=\"col\">Rolle og team</th><th scope=\"col\">Status</th><th scope=\"col\">Handling</th></tr></thead><tbody>");
        foreach (var user in users)
        {
            var active = user.DeactivatedAt is null;
            body.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{Encode(user.Email)}</td><td>{Encode(user.Name)}</td>
                <td><form method="post" action="/admin/brugere/{user.Id}/rolle">{af}
                  <label for="role-{user.Id}">Rolle</label> <select id="role-{user.Id}" name="role">{RoleOptions(user.Role)}</select>
                  <label for="team-{user.Id}">Team</label> <input id="team-{user.Id}" name="team" value="{Encode(user.Team)}" size="14">
                  <button type="submit">Gem</button></form></td>
                <td>{(active ? "Aktiv" : $"Deaktiveret {Encode(AdminText.When(user.DeactivatedAt, zone))}")}{(user.LockedUntil is { } locked ? $"<br>Låst til {Encode(AdminText.When(locked, zone))}" : "")}</td>
                <td><form method="post" action="/admin/brugere/{user.Id}/{(active ? "deaktiver" : "aktiver")}">{af}<button type="submit">{(active ? "Deaktivér" : "Aktivér")} {Encode(user.Email)}</button></form></td></tr>
                """);
        }
        body.Append("</tbody></table>");
        body.Append(CultureInfo.InvariantCulture, $"""
            <h2>Opret bruger</h2>
            <form method="post" action="/admin/brugere">{af}
              <p><label for="email">E-mail</label><br><input id="email" name="email" type="email" required autocomplete="off"></p>
              <p><label for="name">Navn</label><br><input id="name" name="name" type="text"></p>
              <p><label for="role">Rolle</label><br><select id="role" name="role">{RoleOptions(StaffRoles.Reader)}</select></p>
              <p><label for="team">Team (valgfrit: ser da kun teamets høringer)</label><br><input id="team" name="team" type="text"></p>
              <p><label for="password">Adgangskode (mindst {StaffAccounts.MinimumPasswordLength} tegn)</label><br><input id="password" name="password" type="password" required autocomplete="new-password" minlength="{StaffAccounts.MinimumPasswordLength}"></p>
              <p><button type="submit">Opret bruger</button></p>
            </form>
            <h2>Rollerne</h2><dl class="facts">{string.Concat(StaffRoles.All.Select(r => $"<dt>{Encode(r)}</dt><dd>{Encode(StaffRoles.Describe(r))}</dd>"))}</dl>
            """);
        return Page(http, antiforgery, "Administration", body.ToString(), status);
    }

    public static async Task<IResult> CreateUserAsync(HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, DateTimeZone zone, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await UsersPageAsync(http, antiforgery, accounts, zone, Error("Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var (user, error) = await accounts.CreateAsync(form["email"], form["name"], form["role"], form["team"], form["password"], cancellationToken);
        if (user is null)
        {
            return await UsersPageAsync(http, antiforgery, accounts, zone, Error(error!), StatusCodes.Status400BadRequest, cancellationToken);
        }
        await audit.RecordAsync(http, new AuditEntry("UserCreated", $"user={user.Email}", After: Describe(user.Role, user.Team)));
        return await UsersPageAsync(http, antiforgery, accounts, zone, Done($"Brugeren {user.Email} er oprettet som {user.Role}."), StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> ChangeRoleAsync(Guid userId, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, DateTimeZone zone, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await UsersPageAsync(http, antiforgery, accounts, zone, Error("Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var role = form["role"].ToString();
        if (!StaffRoles.IsRole(role))
        {
            return await UsersPageAsync(http, antiforgery, accounts, zone, Error("Vælg en rolle."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var before = await accounts.ChangeRoleAsync(userId, role, form["team"], cancellationToken);
        if (before is null)
        {
            return await UsersPageAsync(http, antiforgery, accounts, zone, Error("Brugeren findes ikke."), StatusCodes.Status404NotFound, cancellationToken);
        }
        var team = string.IsNullOrWhiteSpace(form["team"]) ? null : form["team"].ToString().Trim();
        await audit.RecordAsync(http, new AuditEntry("UserRoleChanged", $"user={before.Email}", Describe(before.Role, before.Team), Describe(role, team)));
        return await UsersPageAsync(http, antiforgery, accounts, zone, Done($"{before.Email} er nu {role}."), StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> SetActiveAsync(Guid userId, bool active, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, DateTimeZone zone, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await UsersPageAsync(http, antiforgery, accounts, zone, Error("Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var user = await accounts.SetActiveAsync(userId, active, cancellationToken);
        if (user is null)
        {
            return await UsersPageAsync(http, antiforgery, accounts, zone, Error("Brugeren findes ikke."), StatusCodes.Status404NotFound, cancellationToken);
        }
        await audit.RecordAsync(http, new AuditEntry(active ? "UserActivated" : "UserDeactivated", $"user={user.Email}", active ? "deaktiveret" : "aktiv", active ? "aktiv" : "deaktiveret"));
        return await UsersPageAsync(http, antiforgery, accounts, zone, Done($"{user.Email} er {(active ? "aktiveret" : "deaktiveret")}."), StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> KeysAsync(HttpContext http, IAntiforgery antiforgery, ApiKeyStore keys, DateTimeZone zone, CancellationToken cancellationToken) =>
        await KeysPageAsync(http, antiforgery, keys, zone, null, StatusCodes.Status200OK, cancellationToken);

    private static async Task<IResult> KeysPageAsync(HttpContext http, IAntiforgery antiforgery, ApiKeyStore keys, DateTimeZone zone, string? message, int status, CancellationToken cancellationToken)
    {
        var af = AntiforgeryField(http, antiforgery);
        var body = new StringBuilder(Tabs("keys")).Append(message);
        body.Append("<p>Nøgler fra konfigurationen (<code>ProcesFlow:ApiKeys</code>) vises ikke her; de har rollen Administrator.</p>");
        body.Append("<table><caption>API-nøgler</caption><thead><tr><th scope=\"col\">Navn</th><th scope=\"col\">Rolle</th><th scope=\"col\">Team</th><th scope=\"col\">Oprettet</th><th scope=\"col\">Udløber</th><th scope=\"col\">Sidst brugt</th><th scope=\"col\">Handling</th></tr></thead><tbody>");
        foreach (var key in await keys.ListAsync(cancellationToken))
        {
            var action = key.RevokedAt is { } revoked
                ? $"Tilbagekaldt {Encode(AdminText.When(revoked, zone))}"
                : $"<form method=\"post\" action=\"/admin/noegler/{key.Id}/tilbagekald\">{af}<button type=\"submit\">Tilbagekald {Encode(key.Name)}</button></form>";
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(key.Name)}</td><td>{Encode(key.Role)}</td><td>{Encode(key.Team ?? "–")}</td><td>{Encode(AdminText.When(key.CreatedAt, zone))} af {Encode(key.CreatedBy)}</td><td>{Encode(AdminText.When(key.ExpiresAt, zone))}</td><td>{Encode(AdminText.When(key.LastUsedAt, zone))}</td><td>{action}</td></tr>");
        }
        body.Append("</tbody></table>");
        body.Append(CultureInfo.InvariantCulture, $"""
            <h2>Opret API-nøgle</h2>
            <form method="post" action="/admin/noegler">{af}
              <p><label for="name">Navn (fx systemet, der bruger nøglen)</label><br><input id="name" name="name" type="text" required maxlength="200"></p>
              <p><label for="role">Rolle</label><br><select id="role" name="role">{RoleOptions(StaffRoles.Reader)}</select></p>
              <p><label for="team">Team (valgfrit)</label><br><input id="team" name="team" type="text"></p>
              <p><label for="expires">Udløber (ÅÅÅÅ-MM-DD, valgfrit)</label><br><input id="expires" name="expires" type="date"></p>
              <p><button type="submit">Opret nøgle</button></p>
            </form>
            """);
        return Page(http, antiforgery, "API-nøgler", body.ToString(), status);
    }

    public static async Task<IResult> CreateKeyAsync(HttpContext http, IAntiforgery antiforgery, ApiKeyStore keys, AuditTrail audit, DateTimeZone zone, IClock clock, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await KeysPageAsync(http, antiforgery, keys, zone, Error("Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
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
            return await KeysPageAsync(http, antiforgery, keys, zone, Error(problem), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var (row, key) = await keys.CreateAsync(name, role, team, expires, http.User.Actor(), cancellationToken);
        await audit.RecordAsync(http, new AuditEntry("ApiKeyCreated", $"key={row.Name}", After: Describe(row.Role, row.Team) + (expires is { } e ? $", udløber {AdminText.When(e, zone)}" : "")));
        var shown = $"""
            <div role="status" class="done"><p>Nøglen »{Encode(row.Name)}« er oprettet. Kopiér den nu: den vises kun denne ene gang og kan ikke findes frem igen.</p>
            <p><label for="new-key">Nøgle</label><br><input id="new-key" readonly size="60" value="{Encode(key)}"></p></div>
            """;
        // Never cached: the page holds the key itself.
        http.Response.Headers.CacheControl = "no-store";
        return await KeysPageAsync(http, antiforgery, keys, zone, shown, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> RevokeKeyAsync(Guid keyId, HttpContext http, IAntiforgery antiforgery, ApiKeyStore keys, AuditTrail audit, DateTimeZone zone, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await KeysPageAsync(http, antiforgery, keys, zone, Error("Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var row = await keys.RevokeAsync(keyId, cancellationToken);
        if (row is null)
        {
            return await KeysPageAsync(http, antiforgery, keys, zone, Error("Nøglen findes ikke eller er allerede tilbagekaldt."), StatusCodes.Status404NotFound, cancellationToken);
        }
        await audit.RecordAsync(http, new AuditEntry("ApiKeyRevoked", $"key={row.Name}", "aktiv", "tilbagekaldt"));
        return await KeysPageAsync(http, antiforgery, keys, zone, Done($"Nøglen »{row.Name}« er tilbagekaldt."), StatusCodes.Status200OK, cancellationToken);
    }

    private const int AuditPageLimit = 500;

    public static async Task<IResult> AuditAsync(HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var filter = AuditFilter.Of(http.Request);
        var body = new StringBuilder(Tabs("audit"));
        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="get" action="/admin/revision" class="filters" role="search" aria-label="Filtrér revisionssporet">
              <p><label for="actor">Hvem</label><input id="actor" name="actor" value="{Encode(filter.Actor)}"></p>
              <p><label for="action">Handling</label><input id="action" name="action" value="{Encode(filter.Action)}"></p>
              <p><label for="from">Fra (ÅÅÅÅ-MM-DD)</label><input id="from" name="from" value="{Encode(filter.From)}"></p>
              <p><label for="to">Til (ÅÅÅÅ-MM-DD)</label><input id="to" name="to" value="{Encode(filter.To)}"></p>
              <p><button type="submit">Filtrér</button></p>
            </form>
            """);
        if (filter.Problem is { } problem)
        {
            body.Append(Error(problem));
            return Page(http, antiforgery, "Revisionsspor", body.ToString(), StatusCodes.Status400BadRequest);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await filter.ReadAsync(db, zone, AuditPageLimit, cancellationToken);
        body.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/admin/revision.csv?{Encode(filter.QueryString)}\">Hent som CSV</a> (alle linjer, der passer til filtrene)</p>");
        body.Append(CultureInfo.InvariantCulture, $"<table><caption>De nyeste {AdminText.Number(rows.Count)} linjer (højst {AuditPageLimit})</caption><thead><tr><th scope=\"col\">Tidspunkt</th><th scope=\"col\">Hvem</th><th scope=\"col\">Handling</th><th scope=\"col\">Hvad</th><th scope=\"col\">Før</th><th scope=\"col\">Efter</th><th scope=\"col\">Fra</th></tr></thead><tbody>");
        foreach (var row in rows)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(AdminText.When(row.At, zone))}</td><td>{Encode(row.Actor)}</td><td>{Encode(row.Action)}</td><td>{Encode(row.Target)}</td><td>{Encode(row.Before)}</td><td>{Encode(row.After)}</td><td>{Encode(row.Address)}</td></tr>");
        }
        body.Append("</tbody></table>");
        return Page(http, antiforgery, "Revisionsspor", body.ToString());
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
