using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;

namespace Workflows.Host.Audit;

/// <summary>One line for the audit trail. <see cref="Actor"/> and <see cref="Address"/> default to the request's.</summary>
public sealed record AuditEntry(string Action, string? Target = null, string? Before = null, string? After = null, string? Actor = null, string? Address = null);

/// <summary>
/// The audit trail: who did what, when (the injected clock), to what, before and after, and from which address.
/// Append-only: nothing here updates or deletes a line, and the database refuses it too (triggers in the migration).
/// </summary>
public sealed class AuditTrail(IDbContextFactory<ProcesFlowDbContext> contexts, IClock clock, ILogger<AuditTrail> logger)
{
    private const string NoteKey = "procesflow.audit";

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Audit.Add(new AuditRow
        {
            At = clock.GetCurrentInstant(),
            Actor = Clip(entry.Actor ?? "system", 320)!,
            Action = Clip(entry.Action, 60)!,
            Target = Clip(entry.Target, 500),
            Before = entry.Before,
            After = entry.After,
            Address = Clip(entry.Address, 64),
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Audit: {Actor} {Action} {Target}", entry.Actor, entry.Action, entry.Target);
    }

    /// <summary>Records now, with the request's user and address filled in where the entry leaves them out.</summary>
    public Task RecordAsync(HttpContext http, AuditEntry entry) =>
        RecordAsync(entry with { Actor = entry.Actor ?? http.User.Actor(), Address = entry.Address ?? AddressOf(http) }, CancellationToken.None);

    /// <summary>
    /// Tells the audit middleware what a handler did (its before and after, or another actor), recorded when the
    /// response succeeds. Several notes of one request are all recorded.
    /// </summary>
    public static void Note(HttpContext http, AuditEntry entry)
    {
        if (http.Items[NoteKey] is not List<AuditEntry> notes)
        {
            http.Items[NoteKey] = notes = [];
        }
        notes.Add(entry);
    }

    internal static IReadOnlyList<AuditEntry> NotesOf(HttpContext http) => http.Items[NoteKey] as List<AuditEntry> ?? [];

    public static string? AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    private static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}

/// <summary>
/// Records every successful state-changing request of a signed-in user or API key (the routes <see cref="RoutePermissions"/>
/// marks as changing), and whatever handlers noted with <see cref="AuditTrail.Note"/>.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, AuditTrail trail)
    {
        await next(http);
        if (http.Response.StatusCode >= 400)
        {
            return;
        }
        var notes = AuditTrail.NotesOf(http);
        var endpoint = http.GetEndpoint();
        var metadata = endpoint?.Metadata.GetMetadata<AuditedMetadata>();
        if (notes.Count == 0 && metadata is not null && http.User.Identity?.IsAuthenticated == true)
        {
            notes = [new AuditEntry(metadata.Action, TargetOf(http))];
        }
        foreach (var note in notes)
        {
            await trail.RecordAsync(http, note with { Target = note.Target ?? TargetOf(http), Action = note.Action.Length > 0 ? note.Action : metadata?.Action ?? "Unknown" });
        }
    }

    /// <summary>The route's values (the ids a request names), as "instanceId=…, partyId=…".</summary>
    private static string? TargetOf(HttpContext http)
    {
        var values = http.Request.RouteValues.Where(v => v.Value is not null).Select(v => $"{v.Key}={v.Value}").ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}

/// <summary>Marks an endpoint whose successful call changes state and is recorded under <see cref="Action"/>.</summary>
public sealed record AuditedMetadata(string Action);
