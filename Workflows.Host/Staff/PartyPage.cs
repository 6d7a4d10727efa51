using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Persistence;
using static Workflows.Host.Pages.PageText;
using static Workflows.Host.Staff.StaffLayout;

namespace Workflows.Host.Staff;

/// <summary>
/// A party across hearings: <c>/parter</c> lists every party with what it still owes (counted in SQL), and
/// <c>/parter/{partyId}</c> answers "hvad skylder Holbæk os?": the party's hearings, outstanding first.
/// </summary>
public static class PartyPage
{
    private static readonly string[] Waiting =
        [nameof(PartyTaskStatus.Sent), nameof(PartyTaskStatus.Reminded), nameof(PartyTaskStatus.ExtensionGranted), nameof(PartyTaskStatus.Overdue), nameof(PartyTaskStatus.Bounced)];

    public static async Task<IResult> ListAsync(
        HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var overdue = nameof(PartyTaskStatus.Overdue);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owing = await (
                from t in db.PartyTasks.AsNoTracking()
                join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                where HearingSummaries.Live.Contains(i.Status) && t.AnsweredAt == null && Waiting.Contains(t.Status)
                group t by new { t.PartyId, t.PartyName } into g
                select new { g.Key.PartyId, g.Key.PartyName, Outstanding = g.Count(), Overdue = g.Count(t => t.Status == overdue || t.Deadline < now) })
            .ToListAsync(cancellationToken);

        var body = new StringBuilder();
        var parties = directory.All.OrderBy(p => p.Name, DanishCollation.Comparer).ToList();
        body.Append("""
            <form method="get" action="/parter/vaelg" class="filters" aria-label="Vælg part"><p><label for="part">Part</label><select id="part" name="part">
            """);
        foreach (var party in parties)
        {
            body.Append(CultureInfo.InvariantCulture, $"<option value=\"{Encode(party.Id)}\">{Encode(party.Name)}</option>");
        }
        body.Append("</select></p><p><button type=\"submit\">Vis partens høringer</button></p></form>");
        if (owing.Count == 0)
        {
            body.Append("<p>Ingen parter mangler at svare i igangværende høringer.</p>");
        }
        else
        {
            body.Append("""
                <table><caption>Parter, der mangler at svare i igangværende høringer</caption><thead><tr><th scope="col">Part</th><th scope="col" class="num">Mangler svar</th><th scope="col" class="num">Heraf overskredet</th></tr></thead><tbody>
                """);
            foreach (var row in owing.OrderByDescending(o => o.Overdue).ThenByDescending(o => o.Outstanding).ThenBy(o => o.PartyName, DanishCollation.Comparer))
            {
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><td><a href="/parter/{Uri.EscapeDataString(row.PartyId)}">{Encode(row.PartyName)}</a></td><td class="num">{Number(row.Outstanding)}</td><td class="num">{Number(row.Overdue)}</td></tr>
                    """);
            }
            body.Append("</tbody></table>");
        }
        return Page(http, antiforgery, "Parter", body.ToString());
    }

    public static async Task<IResult> ShowAsync(
        string partyId, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock,
        DateTimeZone zone, WorkingDayCalendar calendar, CancellationToken cancellationToken)
    {
        if (partyId == "vaelg")
        {
            // The picker's GET form: on to the chosen party's own address.
            var chosen = http.Request.Query["part"].ToString();
            return directory.Find(chosen) is { } picked
                ? Results.Redirect($"/parter/{Uri.EscapeDataString(picked.Id)}")
                : Page(http, antiforgery, "Parten findes ikke", $"{Error("Vælg en part fra listen.")}<p><a href=\"/parter\">Til listen over parter</a></p>", StatusCodes.Status400BadRequest);
        }
        var now = clock.GetCurrentInstant();
        var cancelled = nameof(WorkflowStatus.Cancelled);
        var overdue = nameof(PartyTaskStatus.Overdue);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from t in db.PartyTasks.AsNoTracking()
                join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                where t.PartyId == partyId && (HearingSummaries.Live.Contains(i.Status) || (t.Status == overdue && t.AnsweredAt == null && i.Status != cancelled))
                orderby t.Deadline
                select new { t.InstanceId, i.Name, i.CorrelationId, t.Status, t.Deadline, t.AnsweredAt, t.PartyName, Live = HearingSummaries.Live.Contains(i.Status) })
            .ToListAsync(cancellationToken);
        var name = directory.Find(partyId)?.Name ?? rows.FirstOrDefault()?.PartyName;
        if (name is null)
        {
            return Page(http, antiforgery, "Parten findes ikke",
                "<p>Der er ingen part med dette id.</p><p><a href=\"/parter\">Til listen over parter</a></p>", StatusCodes.Status404NotFound);
        }

        var outstanding = rows.Where(r => r.AnsweredAt is null).ToList();
        var late = outstanding.Count(r => r.Status == overdue || r.Deadline <= now);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <p><strong>{Encode(name)} mangler at svare på {Number(outstanding.Count)} {(outstanding.Count == 1 ? "høring" : "høringer")}, heraf {Number(late)} efter fristen.</strong></p>
            """);
        if (rows.Count == 0)
        {
            body.Append("<p>Parten er ikke med i nogen igangværende høring.</p>");
        }
        else
        {
            body.Append("""
                <table><caption>Partens høringer, de manglende svar først</caption><thead><tr><th scope="col">Høring</th><th scope="col">Sagsnummer</th><th scope="col">Frist</th><th scope="col">Status</th><th scope="col">Besvaret</th></tr></thead><tbody>
                """);
            foreach (var row in rows.OrderBy(r => r.AnsweredAt is not null).ThenBy(r => r.Deadline))
            {
                var left = row.AnsweredAt is null ? $"<br><small>{DaysLeft(row.Deadline, now, zone, calendar)}</small>" : "";
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><td><a href="/hoeringer/{row.InstanceId}/parter/{Uri.EscapeDataString(partyId)}">{Encode(row.Name)}</a>{(row.Live ? "" : " <small>(afsluttet)</small>")}</td><td>{Encode(row.CorrelationId ?? "")}</td>
                    <td>{Encode(Text(row.Deadline, zone))}{left}</td><td class="{StatusClass(row.Status)}">{StatusName(row.Status)}</td><td>{(row.AnsweredAt is { } at ? Encode(Text(at, zone)) : "Ikke besvaret")}</td></tr>
                    """);
            }
            body.Append("</tbody></table>");
        }
        return Page(http, antiforgery, name, body.ToString(), refresh: true);
    }
}
