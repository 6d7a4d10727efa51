using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Staff;

/// <summary>
/// One running hearing (or approval) as the overview shows it: counts come from the database, aggregated there.
/// <see cref="Region"/> names the KKR/region its parties belong to ("Midtjylland"), or says "Flere regioner" or
/// "Landsdækkende"; <see cref="Regions"/> holds every region with a party in it, so a filter by KKR finds the
/// hearing under each of them.
/// </summary>
public sealed record HearingSummary(
    Guid Id,
    string Title,
    string? CaseNumber,
    string InstanceStatus,
    int Total,
    int Answered,
    int Overdue,
    int Late,
    Instant Deadline,
    int PendingExtensions,
    int Incidents,
    string Owner,
    string Region,
    IReadOnlyList<BouncedParty> Bounced,
    IReadOnlySet<DanishRegion> Regions);

/// <summary>A party whose mail could not be delivered, and the addresses it was sent to.</summary>
public sealed record BouncedParty(string PartyId, string PartyName, IReadOnlyList<string> Addresses);

/// <summary>The queries behind the overview and the hearing page. Party tasks are counted in SQL, never loaded one by one.</summary>
internal static class HearingSummaries
{
    /// <summary>The instance states in which a hearing is still going on.</summary>
    public static readonly string[] Live = [nameof(WorkflowStatus.Running), nameof(WorkflowStatus.Suspended), nameof(WorkflowStatus.Faulted)];

    public const string SeveralRegions = "Flere regioner";

    public const string NoRegion = "Landsdækkende";

    public static async Task<List<HearingSummary>> RunningAsync(ProcesFlowDbContext db, PartyDirectory directory, Guid? only, CancellationToken cancellationToken)
    {
        var tasks = db.PartyTasks.AsNoTracking();
        var instances = db.Instances.AsNoTracking().Where(i => Live.Contains(i.Status));
        if (only is { } id)
        {
            tasks = tasks.Where(t => t.InstanceId == id);
            instances = db.Instances.AsNoTracking().Where(i => i.Id == id);
        }
        var overdue = nameof(PartyTaskStatus.Overdue);
        var late = nameof(PartyTaskStatus.AnsweredLate);
        var counts = await (
                from t in tasks
                join i in instances on t.InstanceId equals i.Id
                group t by t.InstanceId into g
                select new
                {
                    Id = g.Key,
                    Total = g.Count(),
                    Answered = g.Count(t => t.AnsweredAt != null),
                    Overdue = g.Count(t => t.AnsweredAt == null && t.Status == overdue),
                    Late = g.Count(t => t.Status == late),
                    Deadline = g.Min(t => t.Deadline),
                })
            .ToListAsync(cancellationToken);
        var details = await instances.Select(i => new { i.Id, i.Name, i.CorrelationId, i.Status, i.Input })
            .ToDictionaryAsync(i => i.Id, cancellationToken);

        var pendingExtensions = await (
                from r in db.ExtensionRequests.AsNoTracking()
                join i in instances on r.InstanceId equals i.Id
                where r.Status == ExtensionRequestStatus.Pending
                group r by r.InstanceId into g
                select new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var incidents = await (
                from x in db.Incidents.AsNoTracking()
                join i in instances on x.InstanceId equals i.Id
                where x.ResolvedAt == null
                group x by x.InstanceId into g
                select new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var bouncedStatus = nameof(PartyTaskStatus.Bounced);
        var bounced = (await (
                from t in tasks
                join i in instances on t.InstanceId equals i.Id
                where t.Status == bouncedStatus
                orderby t.PartyName
                select new { t.InstanceId, t.PartyId, t.PartyName, t.Contacts })
            .ToListAsync(cancellationToken))
            .GroupBy(t => t.InstanceId)
            .ToDictionary(g => g.Key, g => g.Select(t => new BouncedParty(t.PartyId, t.PartyName, JsonSerializer.Deserialize<List<string>>(t.Contacts) ?? [])).ToList());
        var started = nameof(JournalKind.InstanceStarted);
        var starters = await (
                from j in db.Journal.AsNoTracking()
                join i in instances on j.InstanceId equals i.Id
                where j.Kind == started && j.Actor != null
                select new { j.InstanceId, j.Actor })
            .ToDictionaryAsync(j => j.InstanceId, j => j.Actor!, cancellationToken);

        // What the hearing really targets: the parties its rounds were sent to, as the hearing activity resolved them
        // (a region, a group or a list, from the input or from the definition itself).
        var targeted = (await (
                from t in tasks
                join i in instances on t.InstanceId equals i.Id
                select new { t.InstanceId, t.PartyId })
            .Distinct()
            .ToListAsync(cancellationToken))
            .ToLookup(t => t.InstanceId, t => t.PartyId);

        var inputs = counts.Where(c => details.ContainsKey(c.Id)).ToDictionary(c => c.Id, c => Parse(details[c.Id].Input));
        var senders = await SendersAsync(
            db,
            inputs.Where(i => !IsPerson(starters.GetValueOrDefault(i.Key)) && InputOwner(i.Value) is null).Select(i => i.Key).ToList(),
            cancellationToken);

        return counts.Where(c => details.ContainsKey(c.Id)).Select(c =>
        {
            var instance = details[c.Id];
            var regions = RegionsOf(targeted[c.Id], directory);
            return new HearingSummary(
                c.Id, instance.Name, instance.CorrelationId, instance.Status, c.Total, c.Answered, c.Overdue, c.Late, c.Deadline,
                pendingExtensions.GetValueOrDefault(c.Id), incidents.GetValueOrDefault(c.Id),
                Owner(starters.GetValueOrDefault(c.Id), inputs[c.Id], senders.GetValueOrDefault(c.Id)), RegionName(regions), bounced.GetValueOrDefault(c.Id) ?? [],
                regions);
        }).ToList();
    }

    /// <summary>
    /// The process owner: the member of staff who started the instance, when a person did; otherwise the sender or
    /// owner named in the input; otherwise the sender the hearing itself named (a definition's own "KKR Midtjylland").
    /// An API client's key name is no owner a person would recognise.
    /// </summary>
    private static string Owner(string? starter, JsonObject? input, string? sender) =>
        IsPerson(starter) ? starter! : InputOwner(input) ?? sender ?? "Ikke angivet";

    private static bool IsPerson(string? starter) => starter is not null && starter.Contains('@', StringComparison.Ordinal);

    private static string? InputOwner(JsonObject? input) => Text(input?["sender"]) ?? Text(input?["owner"]);

    /// <summary>
    /// The sender the first round of each hearing was sent with, as the hearing rendered it from its definition (read
    /// through <see cref="HearingState"/>). Only for the few hearings whose owner is found nowhere else: the states are
    /// the instances' largest column.
    /// </summary>
    private static async Task<Dictionary<Guid, string>> SendersAsync(ProcesFlowDbContext db, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var rounds = (await db.PartyTasks.AsNoTracking()
                .Where(t => ids.Contains(t.InstanceId))
                .GroupBy(t => new { t.InstanceId, t.ActivityId })
                .Select(g => new { g.Key.InstanceId, g.Key.ActivityId, Sent = g.Min(t => t.CreatedAt) })
                .ToListAsync(cancellationToken))
            .ToLookup(r => r.InstanceId);
        var states = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.State }).ToListAsync(cancellationToken);
        var senders = new Dictionary<Guid, string>();
        foreach (var instance in states)
        {
            ExecutionState state;
            try
            {
                state = ExecutionStateJson.Deserialize(instance.State);
            }
            catch (JsonException)
            {
                continue;
            }
            var sender = rounds[instance.Id].OrderBy(r => r.Sent)
                .Select(r => ReadHearing(state.Activities.GetValueOrDefault(r.ActivityId))?.Sender)
                .FirstOrDefault(s => !string.IsNullOrWhiteSpace(s));
            if (sender is not null)
            {
                senders[instance.Id] = sender.Trim();
            }
        }
        return senders;
    }

    private static HearingState? ReadHearing(JsonObject? activityState)
    {
        try
        {
            return HearingState.Read(activityState);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The regions of the parties a hearing was sent to; parties without a region (a ministry, KL) add none.</summary>
    private static HashSet<DanishRegion> RegionsOf(IEnumerable<string> partyIds, PartyDirectory directory) =>
        partyIds.Select(p => directory.Find(p)?.Region).OfType<DanishRegion>().ToHashSet();

    /// <summary>"Midtjylland" when every party with a region is in Region Midtjylland, "Flere regioner", or "Landsdækkende" when none has one.</summary>
    private static string RegionName(HashSet<DanishRegion> regions) => regions.Count switch
    {
        0 => NoRegion,
        1 => Short(regions.Single()),
        _ => SeveralRegions,
    };

    /// <summary>"Midtjylland": the region's name without "Region", which also names its KKR.</summary>
    public static string Short(DanishRegion region) => DanishRegions.Name(region)["Region ".Length..];

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim() is { Length: > 0 } text ? text : null;

    private static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
