using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Admin;

/// <summary>The audit trail's filters as the administration page and the CSV export take them (dates are local, in the configured zone).</summary>
public sealed record AuditFilter(string? Actor, string? Action, string? From, string? To)
{
    public static AuditFilter Of(HttpRequest request) =>
        new(Clean(request.Query["actor"]), Clean(request.Query["action"]), Clean(request.Query["from"]), Clean(request.Query["to"]));

    /// <summary>A Danish problem with a date, or null.</summary>
    public string? Problem =>
        FromProblem ? "Fra-datoen skal skrives ÅÅÅÅ-MM-DD."
        : ToProblem ? "Til-datoen skal skrives ÅÅÅÅ-MM-DD."
        : null;

    public bool FromProblem => From is not null && Parse(From) is null;

    public bool ToProblem => To is not null && Parse(To) is null;

    public string QueryString =>
        string.Join('&', new[] { ("actor", Actor), ("action", Action), ("from", From), ("to", To) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));

    public async Task<IReadOnlyList<AuditRow>> ReadAsync(ProcesFlowDbContext db, DateTimeZone zone, int limit, CancellationToken cancellationToken)
    {
        var query = db.Audit.AsNoTracking();
        if (Actor is not null)
        {
            query = query.Where(a => a.Actor.Contains(Actor));
        }
        if (Action is not null)
        {
            query = query.Where(a => a.Action == Action);
        }
        if (From is not null && Parse(From) is { } from)
        {
            var start = from.AtStartOfDayInZone(zone).ToInstant();
            query = query.Where(a => a.At >= start);
        }
        if (To is not null && Parse(To) is { } to)
        {
            var end = to.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
            query = query.Where(a => a.At < end);
        }
        return await query.OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The lines as CSV (RFC 4180, UTF-8 with BOM so Excel reads æ, ø and å).</summary>
    public static byte[] Csv(IEnumerable<AuditRow> rows, DateTimeZone zone)
    {
        var csv = new StringBuilder("Tidspunkt;Tidspunkt (UTC);Hvem;Handling;Hvad;Før;Efter;Fra\r\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(';', new[]
            {
                LocalDateTimePattern.GeneralIso.Format(row.At.InZone(zone).LocalDateTime),
                InstantPattern.ExtendedIso.Format(row.At),
                row.Actor, row.Action, row.Target, row.Before, row.After, row.Address,
            }.Select(Field)).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static string Field(string? value)
    {
        var text = value ?? "";
        // A cell starting with = + - @ would be a formula in a spreadsheet.
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal))
        {
            text = "'" + text;
        }
        return text.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }

    private static LocalDate? Parse(string text) =>
        LocalDatePattern.Iso.Parse(text) is { Success: true } result ? result.Value : null;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Formats for the pages.</summary>
internal static class AdminText
{
    public static string When(Instant? instant, DateTimeZone zone) =>
        instant is { } value ? LocalDateTimePattern.CreateWithInvariantCulture("dd'-'MM'-'uuuu HH':'mm").Format(value.InZone(zone).LocalDateTime) : "–";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
