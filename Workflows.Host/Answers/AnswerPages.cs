using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;
using Workflows.Host.Persistence;

namespace Workflows.Host.Answers;

/// <summary>
/// <c>/svar/{token}</c>: the page a kommune reaches from its personal link. It shows the hearing, the material and
/// the party's own deadline. An unknown token and an expired one get the same kind of plain page (404 / 410),
/// so the page reveals nothing about other parties' links.
/// </summary>
public static class AnswerPages
{
    /// <summary>Encodes what HTML needs, and leaves æ, ø and å as they are.</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static IEndpointRouteBuilder MapAnswerPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/svar/{token}", ShowAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> ShowAsync(
        string token, IDbContextFactory<ProcesFlowDbContext> contexts, IClock clock, DateTimeZone zone, CancellationToken cancellationToken)
    {
        if (token.Length is < 20 or > 100)
        {
            return Page(StatusCodes.Status404NotFound, "Linket findes ikke", "<p>Linket er ikke gyldigt. Kontrollér, at hele linket fra e-mailen er kopieret.</p>");
        }
        var hash = Hearing.HashToken(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.PartyTasks.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (task is null)
        {
            return Page(StatusCodes.Status404NotFound, "Linket findes ikke", "<p>Linket er ikke gyldigt. Kontrollér, at hele linket fra e-mailen er kopieret.</p>");
        }
        var now = clock.GetCurrentInstant();
        if (task.TokenExpiresAt <= now)
        {
            return Page(StatusCodes.Status410Gone, "Linket er udløbet", "<p>Høringen er afsluttet, og linket virker ikke længere. Kontakt afsenderen, hvis I har spørgsmål.</p>");
        }

        var instance = await db.Instances.AsNoTracking().Where(i => i.Id == task.InstanceId).Select(i => i.State).FirstAsync(cancellationToken);
        var hearing = ExecutionStateJson.Deserialize(instance).Activities.GetValueOrDefault(task.ActivityId) ?? [];
        var deadline = Deadline.FromInstant(task.Deadline, zone);
        var html = new StringBuilder();
        var e = Html;
        html.Append("<dl>");
        Term(html, "Høringspart", task.PartyName);
        Term(html, "Sagsnummer", Text(hearing["caseNumber"]));
        Term(html, "Afsender", Text(hearing["sender"]));
        Term(html, "Frist", $"Senest {deadline.Text}");
        html.Append("</dl>");
        html.Append(now >= task.Deadline
            ? "<p role=\"status\"><strong>Fristen er overskredet.</strong></p>"
            : $"<p>Der er {DanishText.Period(Period.Between(now.InZone(zone).Date, deadline.Local.Date, PeriodUnits.Days))} til fristen.</p>");
        if (hearing["material"] is JsonArray { Count: > 0 } material)
        {
            html.Append("<h2>Materiale</h2><ul>");
            foreach (var item in material)
            {
                var title = e.Encode(Text(item?["title"]));
                var url = Text(item?["url"]);
                html.Append(url.Length > 0 ? $"<li><a href=\"{e.Encode(url)}\">{title}</a></li>" : $"<li>{title}</li>");
            }
            html.Append("</ul>");
        }
        html.Append(task.AnsweredAt is { } answeredAt
            ? $"<p role=\"status\">Vi har modtaget jeres svar {e.Encode(DanishText.DateTime(answeredAt.InZone(zone).LocalDateTime))}.</p>"
            : "<p>I har endnu ikke afgivet høringssvar.</p>");
        return Page(StatusCodes.Status200OK, Text(hearing["title"]) is { Length: > 0 } t ? t : "Høring", html.ToString());
    }

    private static void Term(StringBuilder html, string term, string value)
    {
        if (value.Length > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>{Html.Encode(term)}</dt><dd>{Html.Encode(value)}</dd>");
        }
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static IResult Page(int status, string title, string body) =>
        Results.Content(
            $$"""
            <!DOCTYPE html>
            <html lang="da">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{Html.Encode(title)}} – ProcesFlow</title>
            <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}dt{font-weight:600}dd{margin:0 0 .5rem}</style></head>
            <body><main><h1>{{Html.Encode(title)}}</h1>{{body}}</main></body>
            </html>
            """,
            "text/html; charset=utf-8",
            Encoding.UTF8,
            status);
}
