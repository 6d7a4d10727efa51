using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Staff;

/// <summary>One running hearing (or approval) as the overview shows it: counts come from the database, aggregated there.</summary>
internal sealed record HearingSummary(
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
    IReadOnlyList<BouncedParty> Bounced);

/// <summary>A party whose mail could not be delivered, and the addresses it was sent to.</summary>
internal sealed record BouncedParty(string PartyId, string PartyName, IReadOnlyList<string> Addresses);

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

        return counts.Where(c => details.ContainsKey(c.Id)).Select(c =>
        {
            var instance = details[c.Id];
            var input = Parse(instance.Input);
            return new HearingSummary(
                c.Id, instance.Name, instance.CorrelationId, instance.Status, c.Total, c.Answered, c.Overdue, c.Late, c.Deadline,
                pendingExtensions.GetValueOrDefault(c.Id), incidents.GetValueOrDefault(c.Id),
                Owner(starters.GetValueOrDefault(c.Id), input), Region(input, directory), bounced.GetValueOrDefault(c.Id) ?? []);
        }).ToList();
    }

    /// <summary>
    /// The process owner: the member of staff who started the instance, when a person did; otherwise the sender
    /// named in the input (an API client's key name is no owner a person would recognise).
    /// </summary>
    private static string Owner(string? starter, JsonObject? input)
    {
        if (starter is not null && starter.Contains('@', StringComparison.Ordinal))
        {
            return starter;
        }
        return Text(input?["sender"]) ?? Text(input?["owner"]) ?? "Ikke angivet";
    }

    /// <summary>The region the hearing's parties belong to, from its <c>parties</c> input (a region slug or a list of parties).</summary>
    private static string Region(JsonObject? input, PartyDirectory directory)
    {
        var parties = input?["parties"];
        if (Text(parties) is { } slug)
        {
            return DanishRegions.TryParse(slug, out var region) ? Short(region) : directory.Find(slug)?.Region is { } r ? Short(r) : NoRegion;
        }
        if (parties is JsonArray list)
        {
            var regions = list.Select(Text).OfType<string>()
                .Select(p => DanishRegions.TryParse(p, out var region) ? region : directory.Find(p)?.Region)
                .Distinct().ToList();
            return regions.Count switch
            {
                0 => NoRegion,
                1 => regions[0] is { } one ? Short(one) : NoRegion,
                _ => SeveralRegions,
            };
        }
        return NoRegion;
    }

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
