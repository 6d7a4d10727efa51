using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Persistence;

namespace Workflows.Host.Reports;

/// <summary>What reading a hearing for a report found.</summary>
public abstract record HearingReportResult
{
    private HearingReportResult()
    {
    }

    public sealed record Found(HearingReport Report) : HearingReportResult;

    public sealed record NoInstance : HearingReportResult;

    /// <summary>The instance exists but has sent nothing to any party (or not the hearing asked for).</summary>
    public sealed record NoHearing : HearingReportResult;
}

/// <summary>
/// Reads a hearing for the reports: the instance, its party tasks, their current answers and files, the hearing's
/// own settings (title, case number, sender) and the party directory (kommunekode, region). Bind it in an
/// endpoint with <c>[AsParameters]</c>; every member comes from the container.
/// </summary>
public sealed record ReportSources(
    IDbContextFactory<ProcesFlowDbContext> Contexts, PartyDirectory Directory, WorkingDayCalendar Calendar, DateTimeZone Zone, IClock Clock)
{
    /// <summary>
    /// The hearing <paramref name="activityId"/> of the instance, or when null its newest hearing (the one whose
    /// parties were sent to last).
    /// </summary>
    public async Task<HearingReportResult> ReadAsync(Guid instanceId, string? activityId, CancellationToken cancellationToken)
    {
        await using var db = await Contexts.CreateDbContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking()
            .Where(i => i.Id == instanceId)
            .Select(i => new { i.Name, i.CorrelationId, i.State })
            .FirstOrDefaultAsync(cancellationToken);
        if (instance is null)
        {
            return new HearingReportResult.NoInstance();
        }
        var allTasks = await db.PartyTasks.AsNoTracking().Where(t => t.InstanceId == instanceId).ToListAsync(cancellationToken);
        var hearing = allTasks
            .GroupBy(t => t.ActivityId, StringComparer.Ordinal)
            .Where(g => activityId is null || g.Key == activityId)
            .OrderByDescending(g => g.Min(t => t.CreatedAt))
            .FirstOrDefault();
        if (hearing is null)
        {
            return new HearingReportResult.NoHearing();
        }
        var tasks = hearing.ToList();
        var taskIds = tasks.Select(t => t.Id).ToList();
        var answers = (await db.Answers.AsNoTracking()
                .Where(a => a.InstanceId == instanceId && a.ReplacedBy == null && a.HeldReason == null && taskIds.Contains(a.PartyTaskId))
                .ToListAsync(cancellationToken))
            .GroupBy(a => a.PartyTaskId)
            .ToDictionary(g => g.Key, g => g.OrderBy(a => a.ReceivedAt).Last());
        var answerIds = answers.Values.Select(a => a.Id).ToList();
        var files = (await db.Attachments.AsNoTracking().Where(f => answerIds.Contains(f.AnswerId)).ToListAsync(cancellationToken))
            .ToLookup(f => f.AnswerId);

        var state = HearingState.Read(ExecutionStateJson.Deserialize(instance.State).Activities.GetValueOrDefault(hearing.Key));
        var title = NonEmpty(state?.Title) ?? instance.Name;
        var caseNumber = NonEmpty(state?.CaseNumber) ?? NonEmpty(instance.CorrelationId);
        var sender = NonEmpty(state?.Sender);

        // The hearing's deadline is the one most parties have; a party with another one had it changed.
        var common = tasks.GroupBy(t => t.Deadline).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var deadline = Deadline.FromInstant(common, Zone);
        var sentAt = tasks.Min(t => t.CreatedAt).InZone(Zone).LocalDateTime;
        var now = Clock.GetCurrentInstant();

        var lines = tasks
            .Select(t =>
            {
                var party = Directory.Find(t.PartyId);
                var answer = answers.GetValueOrDefault(t.Id);
                return new HearingPartyLine(
                    t.PartyId,
                    t.PartyName,
                    party?.Kind == PartyKind.Kommune ? party.Code : null,
                    party?.Region is { } region ? DanishRegions.Name(region) : null,
                    Enum.TryParse<PartyTaskStatus>(t.Status, out var status) ? status : PartyTaskStatus.Sent,
                    Deadline.FromInstant(t.Deadline, Zone),
                    t.Deadline != common,
                    now >= t.Deadline,
                    answer is null
                        ? null
                        : new HearingAnswer(
                            answer.ReceivedAt.InZone(Zone).LocalDateTime,
                            answer.Channel,
                            answer.Text,
                            answer.NoComments,
                            answer.Late,
                            files[answer.Id].Select(f => f.FileName).Order(DanishCollation.Comparer).ToList(),
                            answer.SubmittedBy),
                    t.Decision);
            })
            .OrderBy(l => l.Name, DanishCollation.Comparer)
            .ThenBy(l => l.PartyId, StringComparer.Ordinal)
            .ToList();

        return new HearingReportResult.Found(new HearingReport(
            instanceId,
            hearing.Key,
            title,
            caseNumber,
            sender,
            sentAt,
            deadline,
            Period.Between(sentAt.Date, deadline.Local.Date, PeriodUnits.Days).Days,
            Calendar.CountWorkingDays(sentAt.Date, deadline.Local.Date),
            now.InZone(Zone).LocalDateTime,
            lines));
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
