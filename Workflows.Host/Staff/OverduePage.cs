using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using static Workflows.Host.Pages.PageText;
using static Workflows.Host.Staff.StaffLayout;

namespace Workflows.Host.Staff;

/// <summary>
/// <c>/overskredet</c>: every answer past its deadline, for the weekly follow-up: the totals and the count per party
/// are aggregated in SQL; the list itself is paged.
/// </summary>
public static class OverduePage
{
    private const int PageSize = 100;

    private static readonly string[] Waiting =
        [nameof(PartyTaskStatus.Sent), nameof(PartyTaskStatus.Reminded), nameof(PartyTaskStatus.ExtensionGranted), nameof(PartyTaskStatus.Bounced)];

    public static async Task<IResult> ShowAsync(
        HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock, DateTimeZone zone,
        CancellationToken cancellationToken)
    {
        var region = http.Request.Query["region"].ToString();
        var errors = new List<string>();
        List<string>? inRegion = null;
        if (region.Length > 0)
        {
            if (DanishRegions.TryParse(region, out var parsed))
            {
                inRegion = directory.All.Where(p => p.Region == parsed).Select(p => p.Id).ToList();
            }
            else
            {
                errors.Add("Vælg en region fra listen.");
                region = "";
            }
        }
        var pageNumber = int.TryParse(http.Request.Query["side"], NumberStyles.None, Invariant, out var n) && n is > 0 and < 100_000 ? n : 1;

        var now = clock.GetCurrentInstant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var overdueTasks = Overdue(db, now, inRegion);
        var total = await overdueTasks.CountAsync(cancellationToken);
        var hearings = await overdueTasks.Select(t => t.InstanceId).Distinct().CountAsync(cancellationToken);
        var perParty = await overdueTasks.GroupBy(t => new { t.PartyId, t.PartyName })
            .Select(g => new { g.Key.PartyId, g.Key.PartyName, Count = g.Count(), Oldest = g.Min(t => t.Deadline) })
            .ToListAsync(cancellationToken);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        pageNumber = Math.Min(pageNumber, pages);
        var list = await (
                from t in overdueTasks
                join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                orderby t.Deadline, i.Name, t.PartyName
                select new { t.InstanceId, i.Name, i.CorrelationId, t.PartyId, t.PartyName, t.Deadline, t.LastRemindedAt })
            .Skip((pageNumber - 1) * PageSize).Take(PageSize)
            .ToListAsync(cancellationToken);

        var body = new StringBuilder();
        foreach (var error in errors)
        {
            body.Append(Error(error));
        }
        body.Append("<form method=\"get\" action=\"/overskredet\" class=\"filters\" aria-label=\"Filtrér overskredne svar\"><p><label for=\"region\">KKR/region</label><select id=\"region\" name=\"region\"><option value=\"\">Alle</option>");
        foreach (var r in Enum.GetValues<DanishRegion>())
        {
            var slug = DanishRegions.Slug(r);
            body.Append(CultureInfo.InvariantCulture, $"<option value=\"{slug}\"{(slug == region ? " selected" : "")}>KKR {HearingSummaries.Short(r)}</option>");
        }
        body.Append("</select></p><p><button type=\"submit\">Vis</button></p></form>");
        body.Append("<div id=\"overskredet\" data-live>");
        body.Append(CultureInfo.InvariantCulture, $"""
            <p><strong>{Number(total)} overskredne svar i {Number(hearings)} {(hearings == 1 ? "høring" : "høringer")} fra {Number(perParty.Count)} {(perParty.Count == 1 ? "part" : "parter")}.</strong></p>
            """);
        if (total == 0)
        {
            body.Append("<p>Ingen svar er overskredet.</p>");
        }
        else
        {
            body.Append("""
                <table><caption>Overskredne svar pr. part</caption><thead><tr><th scope="col">Part</th><th scope="col" class="num">Overskredne svar</th><th scope="col">Ældste frist</th></tr></thead><tbody>
                """);
            foreach (var party in perParty.OrderByDescending(p => p.Count).ThenBy(p => p.PartyName, DanishCollation.Comparer))
            {
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><td><a href="/parter/{Uri.EscapeDataString(party.PartyId)}">{Encode(party.PartyName)}</a></td><td class="num">{Number(party.Count)}</td><td>{Encode(Text(party.Oldest, zone))}</td></tr>
                    """);
            }
            body.Append("</tbody></table>");
            body.Append(CultureInfo.InvariantCulture, $"""
                <table><caption>Overskredne svar, ældste frist først (side {pageNumber} af {pages})</caption><thead><tr><th scope="col">Part</th><th scope="col">Høring</th><th scope="col">Sagsnummer</th><th scope="col">Frist</th><th scope="col">Senest påmindet</th></tr></thead><tbody>
                """);
            foreach (var row in list)
            {
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><td><a href="/hoeringer/{row.InstanceId}/parter/{Uri.EscapeDataString(row.PartyId)}">{Encode(row.PartyName)}</a></td><td><a href="/hoeringer/{row.InstanceId}">{Encode(row.Name)}</a></td><td>{Encode(row.CorrelationId ?? "")}</td>
                    <td>{Encode(Text(row.Deadline, zone))}</td><td>{(row.LastRemindedAt is { } at ? Encode(Text(at, zone)) : "Ikke påmindet")}</td></tr>
                    """);
            }
            body.Append("</tbody></table>");
            var regionParameter = region.Length > 0 ? $"region={Uri.EscapeDataString(region)}&amp;" : "";
            body.Append(Pager(pageNumber, pages, number => $"/overskredet?{regionParameter}side={number}"));
        }
        body.Append("</div>");
        return Page(http, antiforgery, "Overskredne svar", body.ToString(), errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, refresh: true);
    }

    /// <summary>
    /// Party tasks past their deadline without an answer: marked overdue (in any hearing not cancelled: the debt stays
    /// after the hearing closes), or still waiting in a running hearing whose deadline has passed.
    /// </summary>
    private static IQueryable<PartyTaskRow> Overdue(ProcesFlowDbContext db, Instant now, List<string>? inRegion)
    {
        var overdue = nameof(PartyTaskStatus.Overdue);
        var cancelled = nameof(WorkflowStatus.Cancelled);
        var tasks =
            from t in db.PartyTasks.AsNoTracking()
            join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
            where t.AnsweredAt == null
                && ((t.Status == overdue && i.Status != cancelled) || (Waiting.Contains(t.Status) && HearingSummaries.Live.Contains(i.Status) && t.Deadline <= now))
            select t;
        return inRegion is null ? tasks : tasks.Where(t => inRegion.Contains(t.PartyId));
    }
}
