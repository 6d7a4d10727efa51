using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;
using Workflows.Host.Persistence;
using Workflows.Host.Security;

namespace Workflows.Host.Staff;

/// <summary>
/// The staff side of the web UI: sign-in, sign-out, and the start page <c>/</c>, an overview of the running
/// hearings with their progress. Server-rendered, in Danish, usable without JavaScript.
/// </summary>
public static class StaffPages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", ShowSignIn).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/login", SignInAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(Answers.AnswerPages.RateLimitPolicy);
        app.MapPost("/logout", (Func<HttpContext, Task<IResult>>)SignOutAsync).RequireAuthorization(SecuritySetup.StaffPolicy).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet("/", OverviewAsync).RequireAuthorization(SecuritySetup.StaffPolicy).ExcludeFromDescription();
        return app;
    }

    public static IResult ShowSignIn(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        SignInPage(http, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);

    public static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return SignInPage(http, antiforgery, returnUrl, "Siden var udløbet. Prøv igen.", StatusCodes.Status400BadRequest);
        }
        var user = await accounts.VerifyAsync(form["email"], form["password"], cancellationToken);
        if (user is null)
        {
            return SignInPage(http, antiforgery, returnUrl, "E-mail eller adgangskode er forkert.", StatusCodes.Status401Unauthorized);
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Email), new Claim(ClaimTypes.GivenName, user.Name), new Claim(ClaimTypes.NameIdentifier, user.Id.ToString())],
            SecuritySetup.StaffScheme);
        if (user.IsAdministrator)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, "Administrator"));
        }
        await http.SignInAsync(SecuritySetup.StaffScheme, new ClaimsPrincipal(identity));
        // Only local paths: a sign-in link must never send anyone to another site.
        return Results.Redirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
    }

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(SecuritySetup.StaffScheme);
        return Results.Redirect("/login");
    }

    public static async Task<IResult> OverviewAsync(
        HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, IClock clock, DateTimeZone zone,
        WorkingDayCalendar calendar, CancellationToken cancellationToken)
    {
        string[] live = [nameof(WorkflowStatus.Running), nameof(WorkflowStatus.Suspended), nameof(WorkflowStatus.Faulted)];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hearings = await (
                from t in db.PartyTasks.AsNoTracking()
                join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                where live.Contains(i.Status)
                group t by new { i.Id, i.Name, i.CorrelationId, i.Status } into g
                select new
                {
                    g.Key.Id,
                    g.Key.Name,
                    g.Key.CorrelationId,
                    g.Key.Status,
                    Total = g.Count(),
                    Answered = g.Count(t => t.AnsweredAt != null),
                    Overdue = g.Count(t => t.AnsweredAt == null && t.Status == "Overdue"),
                    Late = g.Count(t => t.Status == "AnsweredLate"),
                    Deadline = g.Min(t => t.Deadline),
                })
            .ToListAsync(cancellationToken);
        var pendingExtensions = await db.ExtensionRequests.AsNoTracking().Where(r => r.Status == Api.ExtensionRequestsApi.Pending)
            .GroupBy(r => r.InstanceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var incidents = await db.Incidents.AsNoTracking().Where(i => i.ResolvedAt == null)
            .GroupBy(i => i.InstanceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

        var today = clock.GetCurrentInstant().InZone(zone).Date;
        var body = new StringBuilder();
        if (hearings.Count == 0)
        {
            body.Append("<p>Der er ingen igangværende høringer.</p>");
        }
        else
        {
            body.Append("<table><caption>Igangværende høringer</caption><thead><tr><th scope=\"col\">Høring</th><th scope=\"col\">Sagsnummer</th><th scope=\"col\">Frist</th><th scope=\"col\">Svar</th><th scope=\"col\">Overskredet</th><th scope=\"col\">For sent</th><th scope=\"col\">Fristforlængelse</th><th scope=\"col\">Fejl</th></tr></thead><tbody>");
            foreach (var h in hearings.OrderBy(h => h.Deadline))
            {
                var deadline = Deadline.FromInstant(h.Deadline, zone);
                var daysLeft = deadline.Local.Date >= today ? calendar.CountWorkingDays(today, deadline.Local.Date) : 0;
                var progress = $"{h.Answered} af {h.Total} svar";
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><td>{Html.Encode(h.Name)}</td><td>{Html.Encode(h.CorrelationId ?? "")}</td>
                    <td>{Html.Encode(deadline.Text)}<br><small>{(deadline.Local.Date >= today ? $"{daysLeft} arbejdsdage tilbage" : "Fristen er overskredet")}</small></td>
                    <td><progress max="{h.Total}" value="{h.Answered}" aria-label="{Html.Encode(progress)}">{Html.Encode(progress)}</progress> {Html.Encode(progress)}</td>
                    <td>{h.Overdue}</td><td>{h.Late}</td><td>{pendingExtensions.GetValueOrDefault(h.Id)}</td><td>{incidents.GetValueOrDefault(h.Id)}</td></tr>
                    """);
            }
            body.Append("</tbody></table>");
        }
        return Page(http, antiforgery, "Overblik", body.ToString(), StatusCodes.Status200OK);
    }

    private static IResult SignInPage(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var body = new StringBuilder();
        if (error is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<div role=\"alert\" class=\"error\"><p>{Html.Encode(error)}</p></div>");
        }
        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="/login">
              <input type="hidden" name="{Html.Encode(tokens.FormFieldName)}" value="{Html.Encode(tokens.RequestToken!)}">
              <input type="hidden" name="returnUrl" value="{Html.Encode(returnUrl ?? "/")}">
              <p><label for="email">E-mail</label><br><input id="email" name="email" type="email" autocomplete="username" required></p>
              <p><label for="password">Adgangskode</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
              <p><button type="submit">Log ind</button></p>
            </form>
            """);
        return Layout("Log ind", body.ToString(), signedIn: null, status);
    }

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string title, string body, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var signOut = $"""<form method="post" action="/logout" class="signout"><input type="hidden" name="{Html.Encode(tokens.FormFieldName)}" value="{Html.Encode(tokens.RequestToken!)}"><span>{Html.Encode(http.User.Identity?.Name ?? "")}</span> <button type="submit">Log ud</button></form>""";
        return Layout(title, body, signOut, status);
    }

    private static IResult Layout(string title, string body, string? signedIn, int status) =>
        Results.Content(
            $$"""
            <!DOCTYPE html>
            <html lang="da">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{Html.Encode(title)}} – ProcesFlow</title>
            <style>body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.5}header{display:flex;justify-content:space-between;align-items:center;padding:.5rem 1.5rem;background:#0b3d6e;color:#fff}
            header a{color:#fff}main{padding:1rem 1.5rem;max-width:80rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ccc;vertical-align:top}
            caption{text-align:left;font-weight:600;padding:.5rem 0}.error{border-left:4px solid #b00020;padding:.25rem 1rem;background:#fdecee}label{font-weight:600}button{font-size:1rem;padding:.4rem 1rem}.signout{display:inline}</style></head>
            <body><header><a href="/">ProcesFlow</a>{{signedIn}}</header><main><h1>{{Html.Encode(title)}}</h1>{{body}}</main></body>
            </html>
            """,
            "text/html; charset=utf-8",
            Encoding.UTF8,
            status);
}
