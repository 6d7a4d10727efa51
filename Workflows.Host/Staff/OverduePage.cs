using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Pages;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Staff;

/// <summary>
/// <c>/overskredet</c>: every answer past its deadline, for the weekly follow-up: the totals and the count per party
/// are aggregated in SQL; the list itself is paged.
/// </summary>
public sealed partial class OverduePage
{
    private const int PageSize = 100;

    private static readonly string[] Waiting =
        [nameof(PartyTaskStatus.Sent), nameof(PartyTaskStatus.Reminded), nameof(PartyTaskStatus.ExtensionGranted), nameof(PartyTaskStatus.Bounced)];

    public static async Task<IResult> ShowAsync(
        HttpContext http, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock, CancellationToken cancellationToken)
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
        var pageNumber = int.TryParse(http.Request.Query["side"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100_000 ? n : 1;

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

        var model = new OverdueModel(
            errors, region, total, hearings,
            perParty.OrderByDescending(p => p.Count).ThenBy(p => p.PartyName, DanishCollation.Comparer)
                .Select(p => new OverdueParty(p.PartyId, p.PartyName, p.Count, p.Oldest)).ToList(),
            list.Select(r => new OverdueAnswer(r.InstanceId, r.Name, r.CorrelationId, r.PartyId, r.PartyName, r.Deadline, r.LastRemindedAt)).ToList(),
            pageNumber, pages);
        return PagesSetup.Page<OverduePage>(new { Model = model }, errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
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

/// <summary>What the overdue view shows: the totals, the count per party, and one page of the overdue answers.</summary>
public sealed record OverdueModel(
    IReadOnlyList<string> Errors,
    string Region,
    int Total,
    int Hearings,
    IReadOnlyList<OverdueParty> Parties,
    IReadOnlyList<OverdueAnswer> Answers,
    int PageNumber,
    int Pages);

/// <summary>A party with answers past their deadline: how many, and the oldest deadline among them.</summary>
public sealed record OverdueParty(string PartyId, string PartyName, int Count, Instant Oldest);

/// <summary>One answer past its deadline.</summary>
public sealed record OverdueAnswer(Guid InstanceId, string Title, string? CaseNumber, string PartyId, string PartyName, Instant Deadline, Instant? LastRemindedAt);
