using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Pages;
using Workflows.Host.Pages.Shared;
using Workflows.Host.Persistence;

namespace Workflows.Host.Staff;

/// <summary>
/// A party across hearings: <c>/parter</c> lists every party with what it still owes (counted in SQL), and
/// <c>/parter/{partyId}</c> answers "hvad skylder Holbæk os?": the party's hearings, outstanding first.
/// <c>PartyListPage.razor</c> and <c>PartyPage.razor</c> render them.
/// </summary>
public sealed partial class PartyPage
{
    private static readonly string[] Waiting =
        [nameof(PartyTaskStatus.Sent), nameof(PartyTaskStatus.Reminded), nameof(PartyTaskStatus.ExtensionGranted), nameof(PartyTaskStatus.Overdue), nameof(PartyTaskStatus.Bounced)];

    public static async Task<IResult> ListAsync(IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock, CancellationToken cancellationToken)
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

        var model = new PartyListModel(
            directory.All.OrderBy(p => p.Name, DanishCollation.Comparer).Select(p => new SelectOption(p.Id, p.Name)).ToList(),
            owing.OrderByDescending(o => o.Overdue).ThenByDescending(o => o.Outstanding).ThenBy(o => o.PartyName, DanishCollation.Comparer)
                .Select(o => new OwingParty(o.PartyId, o.PartyName, o.Outstanding, o.Overdue)).ToList());
        return PagesSetup.Page<PartyListPage>(new { Model = model });
    }

    public static async Task<IResult> ShowAsync(
        string partyId, HttpContext http, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock, CancellationToken cancellationToken)
    {
        if (partyId == "vaelg")
        {
            // The picker's GET form: on to the chosen party's own address.
            var chosen = http.Request.Query["part"].ToString();
            return directory.Find(chosen) is { } picked
                ? Results.Redirect($"/parter/{Uri.EscapeDataString(picked.Id)}")
                : NotFound("Vælg en part fra listen.", AlertKind.Error, StatusCodes.Status400BadRequest);
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
                select new { t.InstanceId, i.Name, i.CorrelationId, t.Status, t.Decision, t.Deadline, t.AnsweredAt, t.PartyName, Live = HearingSummaries.Live.Contains(i.Status) })
            .ToListAsync(cancellationToken);
        var name = directory.Find(partyId)?.Name ?? rows.FirstOrDefault()?.PartyName;
        if (name is null)
        {
            return NotFound("Der er ingen part med dette id.", kind: null, StatusCodes.Status404NotFound);
        }

        var outstanding = rows.Where(r => r.AnsweredAt is null).ToList();
        var model = new PartyModel(
            partyId,
            name,
            outstanding.Count,
            outstanding.Count(r => r.Status == overdue || r.Deadline <= now),
            rows.OrderBy(r => r.AnsweredAt is not null).ThenBy(r => r.Deadline)
                .Select(r => new PartyHearing(r.InstanceId, r.Name, r.CorrelationId, r.Status, r.Decision, r.Deadline, r.AnsweredAt, r.Live)).ToList(),
            now);
        return PagesSetup.Page<PartyPage>(new { Model = model });
    }

    private static IResult NotFound(string text, AlertKind? kind, int status) =>
        PagesSetup.Page<MessagePage>(new { Title = "Parten findes ikke", Text = text, Kind = kind, LinkHref = "/parter", LinkText = "Til listen over parter" }, status);
}

/// <summary>The party list: every party to pick from, and those that still owe an answer.</summary>
public sealed record PartyListModel(IReadOnlyList<SelectOption> Parties, IReadOnlyList<OwingParty> Owing);

/// <summary>A party with answers still missing in running hearings, and how many of them are past their deadline.</summary>
public sealed record OwingParty(string PartyId, string PartyName, int Outstanding, int Overdue);

/// <summary>One party across hearings: what it still owes, and each hearing it is (or was, while it still owes) part of.</summary>
public sealed record PartyModel(string PartyId, string Name, int Outstanding, int Late, IReadOnlyList<PartyHearing> Hearings, Instant Now);

/// <summary>The party's place in one hearing.</summary>
public sealed record PartyHearing(Guid InstanceId, string Title, string? CaseNumber, string Status, string? Decision, Instant Deadline, Instant? AnsweredAt, bool Live);
