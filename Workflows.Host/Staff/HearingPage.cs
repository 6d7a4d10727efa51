using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Api;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;
using static Workflows.Host.Pages.PageText;
using static Workflows.Host.Staff.StaffLayout;

namespace Workflows.Host.Staff;

/// <summary>
/// One hearing, <c>/hoeringer/{instanceId}</c>: its facts, the party matrix (party × status, each party's deadline,
/// each cell leading to the party's answer and history), "remind all who have not answered", the timeline as an
/// SVG chart with a table beside it, and the links to the høringsnotat and the exports.
/// </summary>
public static class HearingPage
{
    /// <summary>The matrix's status columns, in the order a hearing runs through them.</summary>
    private static readonly string[] Columns =
    [
        nameof(PartyTaskStatus.Sent), nameof(PartyTaskStatus.Reminded), nameof(PartyTaskStatus.Answered), nameof(PartyTaskStatus.NoComments),
        nameof(PartyTaskStatus.ExtensionGranted), nameof(PartyTaskStatus.Overdue), nameof(PartyTaskStatus.AnsweredLate), nameof(PartyTaskStatus.Bounced),
    ];

    public static async Task<IResult> ShowAsync(
        Guid instanceId, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock,
        DateTimeZone zone, WorkingDayCalendar calendar, CancellationToken cancellationToken) =>
        await RenderAsync(instanceId, http, antiforgery, contexts, directory, clock, zone, calendar, message: null, StatusCodes.Status200OK, cancellationToken);

    /// <summary>"Påmind alle, der ikke har svaret": a POST, then back to the hearing (post/redirect/get).</summary>
    public static async Task<IResult> RemindAllAsync(
        Guid instanceId, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory,
        HearingCommands commands, IClock clock, DateTimeZone zone, WorkingDayCalendar calendar, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await RenderAsync(instanceId, http, antiforgery, contexts, directory, clock, zone, calendar,
                Error("Siden var udløbet, så intet blev sendt. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var outcome = await commands.RemindAsync(instanceId, partyId: null, http.User.Actor(), cancellationToken);
        if (outcome == HearingCommandOutcome.Done)
        {
            return Results.Redirect($"/hoeringer/{instanceId}?udfoert=paamindet");
        }
        return await RenderAsync(instanceId, http, antiforgery, contexts, directory, clock, zone, calendar,
            Error(HearingPartyPage.Explain(outcome, "Påmindelsen")), StatusCodes.Status409Conflict, cancellationToken);
    }

    /// <summary>"Markér som behandlet" for an answer the hearing could not take: a POST, then back to the hearing.</summary>
    public static async Task<IResult> MarkHeldAnswerHandledAsync(
        Guid instanceId, Guid answerId, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory,
        HearingCommands commands, IClock clock, DateTimeZone zone, WorkingDayCalendar calendar, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await RenderAsync(instanceId, http, antiforgery, contexts, directory, clock, zone, calendar,
                Error("Siden var udløbet, så intet blev ændret. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        if (await commands.MarkHeldAnswerHandledAsync(answerId, http.User.Actor(), cancellationToken))
        {
            return Results.Redirect($"/hoeringer/{instanceId}?udfoert=behandlet");
        }
        return await RenderAsync(instanceId, http, antiforgery, contexts, directory, clock, zone, calendar,
            Error("Svaret er allerede markeret som behandlet."), StatusCodes.Status409Conflict, cancellationToken);
    }

    /// <summary>Grants (with the date the party asked for) or refuses a pending request for a longer deadline.</summary>
    public static async Task<IResult> DecideExtensionAsync(
        Guid instanceId, Guid requestId, string decision, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts,
        PartyDirectory directory, HearingCommands commands, IClock clock, DateTimeZone zone, WorkingDayCalendar calendar, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await RenderAsync(instanceId, http, antiforgery, contexts, directory, clock, zone, calendar,
                Error("Siden var udløbet, så intet blev ændret. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        IResult result = decision switch
        {
            "imoedekom" => (await ExtensionRequestsApi.GrantAsync(requestId, null, commands, contexts, clock, http, cancellationToken)).Result,
            "afslaa" => (await ExtensionRequestsApi.RefuseAsync(requestId, commands, contexts, clock, http, cancellationToken)).Result,
            _ => TypedResults.NotFound(),
        };
        if (result is Microsoft.AspNetCore.Http.HttpResults.Ok<ExtensionDecision>)
        {
            return Results.Redirect($"/hoeringer/{instanceId}?udfoert={(decision == "imoedekom" ? "imoedekommet" : "afslaaet")}");
        }
        var (message, status) = result switch
        {
            Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { StatusCode: StatusCodes.Status409Conflict } =>
                ("Anmodningen er allerede afgjort, eller høringen er lukket, så fristen ikke kan ændres.", StatusCodes.Status409Conflict),
            Microsoft.AspNetCore.Http.HttpResults.ValidationProblem =>
                ("Anmodningen nævner ingen gyldig ønsket frist. Sæt en ny frist på partens side i stedet.", StatusCodes.Status400BadRequest),
            _ => ("Anmodningen findes ikke.", StatusCodes.Status404NotFound),
        };
        return await RenderAsync(instanceId, http, antiforgery, contexts, directory, clock, zone, calendar, Error(message), status, cancellationToken);
    }

    private static string? RequestedDeadlineText(string? requested, DateTimeZone zone)
    {
        if (requested is null || System.Text.Json.Nodes.JsonNode.Parse(requested) is not System.Text.Json.Nodes.JsonObject json)
        {
            return null;
        }
        var errors = new List<(string, string)>();
        var spec = DeadlineJson.Parse(json, errors);
        return spec is DeadlineSpec.At at && errors.Count == 0
            ? at.TimeOfDay is { } time ? DanishText.DateTime(at.Date + time) : DanishText.Date(at.Date)
            : null;
    }

    private static async Task<IResult> RenderAsync(
        Guid instanceId, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock,
        DateTimeZone zone, WorkingDayCalendar calendar, string? message, int status, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var summary = (await HearingSummaries.RunningAsync(db, directory, instanceId, cancellationToken)).SingleOrDefault();
        if (summary is null)
        {
            return Page(http, antiforgery, "Høringen findes ikke",
                "<p>Der er ingen høring med dette nummer. Den kan være slettet, eller linket kan være forkert.</p><p><a href=\"/\">Til overblikket</a></p>",
                StatusCodes.Status404NotFound);
        }
        var tasks = await db.PartyTasks.AsNoTracking().Where(t => t.InstanceId == instanceId).ToListAsync(cancellationToken);
        tasks = tasks.OrderBy(t => t.PartyName, DanishCollation.Comparer).ToList();
        var reminders = await db.Outbox.AsNoTracking()
            .Where(o => o.InstanceId == instanceId && (o.Template == "reminder" || o.Template == "rykker"))
            .Select(o => o.QueuedAt).ToListAsync(cancellationToken);
        var pending = await (
                from r in db.ExtensionRequests.AsNoTracking()
                join t in db.PartyTasks.AsNoTracking() on r.PartyTaskId equals t.Id
                where r.InstanceId == instanceId && r.Status == ExtensionRequestStatus.Pending
                orderby r.RequestedAt
                select new { r.Id, t.PartyId, t.PartyName, r.Reason, r.RequestedAt, r.RequestedDeadline })
            .ToListAsync(cancellationToken);
        var held = await (
                from a in db.Answers.AsNoTracking()
                join t in db.PartyTasks.AsNoTracking() on a.PartyTaskId equals t.Id
                where a.InstanceId == instanceId && a.HeldReason != null && a.HandledAt == null
                orderby a.ReceivedAt
                select new { a.Id, t.PartyId, t.PartyName, a.ReceivedAt, a.HeldReason })
            .ToListAsync(cancellationToken);
        // (Read through the hearing's typed state; the page is rendered from several endpoints, so it asks for the reader here.)
        var bounces = await http.RequestServices.GetRequiredService<HearingReader>().BouncesAsync(instanceId, tasks.Select(t => t.ActivityId), cancellationToken);
        var incidents = await db.Incidents.AsNoTracking().Where(i => i.InstanceId == instanceId && i.ResolvedAt == null)
            .OrderBy(i => i.OccurredAt).Select(i => new { i.Message, i.OccurredAt }).ToListAsync(cancellationToken);
        var now = clock.GetCurrentInstant();
        var open = HearingSummaries.Live.Contains(summary.InstanceStatus) && summary.InstanceStatus != nameof(WorkflowStatus.Faulted);

        var body = new StringBuilder();
        if (message is not null)
        {
            body.Append(message);
        }
        else if (http.Request.Query["udfoert"].ToString() is { Length: > 0 } done)
        {
            body.Append(done switch
            {
                "paamindet" => Done("Påmindelsen er sendt til alle, der ikke har svaret."),
                "imoedekommet" => Done("Fristforlængelsen er givet, og parten har fået besked pr. mail."),
                "afslaaet" => Done("Anmodningen om fristforlængelse er afslået."),
                "behandlet" => Done("Svaret er markeret som behandlet."),
                _ => "",
            });
        }
        var progress = $"{summary.Answered} af {summary.Total} svar";
        body.Append(CultureInfo.InvariantCulture, $"""
            <dl class="facts">
              <dt>Sagsnummer</dt><dd>{Encode(summary.CaseNumber ?? "Ikke angivet")}</dd>
              <dt>Ansvarlig</dt><dd>{Encode(summary.Owner)}</dd>
              <dt>KKR/region</dt><dd>{Encode(summary.Region)}</dd>
              <dt>Frist</dt><dd>{Encode(Text(summary.Deadline, zone))} ({DaysLeft(summary.Deadline, now, zone, calendar)})</dd>
              <dt>Svar</dt><dd><progress max="{summary.Total}" value="{summary.Answered}" aria-label="{progress}">{progress}</progress> {progress}</dd>
              <dt>Overskredet</dt><dd>{summary.Overdue}</dd>
              <dt>Besvaret for sent</dt><dd>{summary.Late}</dd>
              <dt>Anmodninger om fristforlængelse</dt><dd>{summary.PendingExtensions}</dd>
              <dt>Fejl</dt><dd>{summary.Incidents}</dd>
            </dl>
            <h2>Høringsnotat og udtræk</h2>
            <ul>
              <li><a href="/api/instances/{instanceId}/memo">Hent høringsnotat (Word, DOCX)</a></li>
              <li><a href="/api/instances/{instanceId}/matrix?format=xlsx">Hent oversigten over parter (Excel, XLSX)</a></li>
              <li><a href="/api/instances/{instanceId}/matrix?format=csv">Hent oversigten over parter (CSV)</a></li>
            </ul>
            """);
        if (incidents.Count > 0)
        {
            body.Append("<h2>Fejl</h2><ul>");
            foreach (var incident in incidents)
            {
                body.Append(CultureInfo.InvariantCulture, $"<li class=\"bad\">{Encode(Text(incident.OccurredAt, zone))}: {Encode(incident.Message)}</li>");
            }
            body.Append("</ul>");
        }
        var bounced = tasks.Where(t => bounces.ContainsKey(t.Id)).ToList();
        if (bounced.Count > 0)
        {
            // A kommune whose mail bounced never heard of the hearing: the secretariat must find the right address.
            body.Append("<h2>Mails der ikke kunne leveres</h2><ul>");
            foreach (var task in bounced)
            {
                var bounce = bounces[task.Id];
                var link = $"/hoeringer/{instanceId}/parter/{Uri.EscapeDataString(task.PartyId)}#ny-adresse";
                body.Append(CultureInfo.InvariantCulture, $"<li class=\"bad\"><a href=\"{Encode(link)}\">{Encode(task.PartyName)}</a>: mailen til {Encode(bounce.Address)} kunne ikke leveres ({Encode(bounce.Reason)}), {Encode(Text(bounce.At, zone))}. <a href=\"{Encode(link)}\">Send invitationen igen til en rettet adresse</a>.</li>");
            }
            body.Append("</ul>");
        }
        if (held.Count > 0)
        {
            // Answers the hearing could not take (closed, stopped, ended): kept, and waiting for a person to deal with them.
            body.Append("<h2>Svar til behandling</h2><p>Disse svar kom, da høringen ikke kunne tage imod dem, og er ikke talt med. Registrér dem på partens side, hvis de skal tælle, og markér dem derefter som behandlet.</p><ul>");
            foreach (var answer in held)
            {
                var party = $"<a href=\"/hoeringer/{instanceId}/parter/{Uri.EscapeDataString(answer.PartyId)}\">{Encode(answer.PartyName)}</a>";
                var form = $"<form method=\"post\" action=\"/hoeringer/{instanceId}/svar/{answer.Id}/behandlet\" class=\"inline\">{AntiforgeryField(http, antiforgery)}"
                    + $"<button type=\"submit\" aria-label=\"Markér svaret fra {Encode(answer.PartyName)} som behandlet\">Markér som behandlet</button></form>";
                body.Append(CultureInfo.InvariantCulture, $"<li>{party}, {Encode(Text(answer.ReceivedAt, zone))} ({Encode(HearingPartyPage.HeldText(answer.HeldReason!))}) {form}</li>");
            }
            body.Append("</ul>");
        }
        if (pending.Count > 0)
        {
            body.Append("<h2>Anmodninger om fristforlængelse</h2><ul>");
            foreach (var request in pending)
            {
                var wanted = RequestedDeadlineText(request.RequestedDeadline, zone);
                var action = $"/hoeringer/{instanceId}/fristforlaengelser/{request.Id}";
                // A request without a wished-for date is granted by setting the party's deadline on its page.
                var grant = wanted is null
                    ? $"""<a href="/hoeringer/{instanceId}/parter/{Uri.EscapeDataString(request.PartyId)}">Sæt en ny frist for {Encode(request.PartyName)}</a>"""
                    : $"""<form method="post" action="{action}/imoedekom" class="inline">{AntiforgeryField(http, antiforgery)}<button type="submit">Imødekom: ny frist {Encode(wanted)}</button></form>""";
                body.Append(CultureInfo.InvariantCulture, $"""
                    <li><a href="/hoeringer/{instanceId}/parter/{Uri.EscapeDataString(request.PartyId)}">{Encode(request.PartyName)}</a>, {Encode(Text(request.RequestedAt, zone))}: {Encode(request.Reason)}
                    {grant} <form method="post" action="{action}/afslaa" class="inline">{AntiforgeryField(http, antiforgery)}<button type="submit" aria-label="Afslå anmodningen fra {Encode(request.PartyName)}">Afslå</button></form></li>
                    """);
            }
            body.Append("</ul>");
        }
        var waiting = tasks.Count(t => t.AnsweredAt is null);
        if (open && waiting > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="/hoeringer/{instanceId}/paamind">{AntiforgeryField(http, antiforgery)}
                <p><button type="submit">Påmind alle, der ikke har svaret ({waiting})</button></p></form>
                """);
        }
        body.Append("<div id=\"matrix\" data-live>");
        body.Append(Matrix(instanceId, tasks, summary.Deadline, zone));
        body.Append("</div>");
        body.Append(TimelineChart.Render(tasks, reminders, now, zone));
        return Page(http, antiforgery, summary.Title, body.ToString(), status, refresh: true);
    }

    private static string Matrix(Guid instanceId, List<PartyTaskRow> tasks, Instant hearingDeadline, DateTimeZone zone)
    {
        var html = new StringBuilder();
        html.Append("<h2 id=\"parter\">Parter</h2><div style=\"overflow-x:auto\"><table class=\"matrix\" aria-labelledby=\"parter\"><thead><tr><th scope=\"col\">Part</th><th scope=\"col\">Status</th><th scope=\"col\">Frist</th>");
        foreach (var column in Columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{StatusName(column)}</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var task in tasks)
        {
            var link = $"/hoeringer/{instanceId}/parter/{Uri.EscapeDataString(task.PartyId)}";
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><th scope="row"><a href="{Encode(link)}">{Encode(task.PartyName)}</a></th><td class="{StatusClass(task.Status)}">{StatusName(task.Status, task.Decision)}</td><td>{Encode(Text(task.Deadline, zone))}</td>
                """);
            foreach (var column in Columns)
            {
                var cell = Cell(task, column, hearingDeadline, zone);
                html.Append(cell is null
                    ? "<td></td>"
                    : $"<td><a href=\"{Encode(link)}\" aria-label=\"{Encode($"{task.PartyName}: {StatusName(column)} {cell}")}\">{Encode(cell)}</a></td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
        return html.ToString();
    }

    /// <summary>What the matrix shows for a party in a status column: when it happened, or null when it does not apply.</summary>
    private static string? Cell(PartyTaskRow task, string column, Instant hearingDeadline, DateTimeZone zone) => column switch
    {
        nameof(PartyTaskStatus.Sent) => Short(task.CreatedAt, zone),
        nameof(PartyTaskStatus.Reminded) => task.LastRemindedAt is { } at ? Short(at, zone) : null,
        nameof(PartyTaskStatus.Answered) or nameof(PartyTaskStatus.NoComments) or nameof(PartyTaskStatus.AnsweredLate) =>
            task.Status == column && task.AnsweredAt is { } answered ? Short(answered, zone) : null,
        nameof(PartyTaskStatus.ExtensionGranted) => task.Status == column || task.Deadline > hearingDeadline ? "til " + Short(task.Deadline, zone) : null,
        nameof(PartyTaskStatus.Overdue) => task.Status == column ? "siden " + Short(task.Deadline, zone) : null,
        nameof(PartyTaskStatus.Bounced) => task.Status == column ? "Ja" : null,
        _ => null,
    };
}
