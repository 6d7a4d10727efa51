using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Answers;
using Workflows.Host.Persistence;

namespace Workflows.Tests.Support;

/// <summary>
/// The answer links of the mails in a host's outbox, signed by the host's own <see cref="AnswerLinks"/> exactly as the
/// mail composer signs them when it renders a mail (the outbox model names the party task, not a link).
/// </summary>
internal static class AnswerPaths
{
    /// <summary>Each queued mail of <paramref name="template"/>: its party and the path of its answer link.</summary>
    public static async Task<List<(string PartyId, string AnswerPath)>> OfOutboxAsync(IServiceProvider services, string template, Guid? instanceId = null)
    {
        var links = services.GetRequiredService<AnswerLinks>();
        await using var db = await services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        var rows = await db.Outbox.Where(o => o.Template == template && (instanceId == null || o.InstanceId == instanceId)).Select(o => new { o.Model, o.PartyTaskId }).ToListAsync();
        return rows.Select(r => (JsonNode.Parse(r.Model!)!["partyId"]!.GetValue<string>(), r.PartyTaskId is { } id ? $"/svar/{links.Create(id)}" : "")).ToList();
    }
}
