using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;
using Workflows.Host.Answers;
using Workflows.Host.Api;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;
using static Workflows.Host.Pages.PageText;
using static Workflows.Host.Staff.StaffLayout;

namespace Workflows.Host.Staff;

/// <summary>
/// One party in one hearing, <c>/hoeringer/{instanceId}/parter/{partyId}</c>: its status and deadline, its answers
/// with their files, its requests for a longer deadline, the mails sent to it and the journal lines about it; and
/// the actions, each a POST form followed by a redirect: remind now, extend the deadline, register an answer
/// received on paper, send the invitation again to a new address.
/// </summary>
public static class HearingPartyPage
{
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("H:mm");

    public static async Task<IResult> ShowAsync(
        Guid instanceId, string partyId, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, HearingReader reader, IClock clock,
        DateTimeZone zone, WorkingDayCalendar calendar, CancellationToken cancellationToken)
    {
        var message = http.Request.Query["udfoert"].ToString() switch
        {
            "paamindet" => Done("Påmindelsen er sendt."),
            "frist" => Done("Fristen er ændret, og parten har fået besked pr. mail."),
            "svar" => Done("Svaret er registreret, og parten har fået en kvittering pr. mail."),
            "invitation" => Done("Invitationen er sendt igen til den nye adresse."),
            _ => null,
        };
        return await RenderAsync(instanceId, partyId, http, antiforgery, contexts, reader, clock, zone, calendar, message, form: null, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> ActAsync(
        Guid instanceId, string partyId, string action, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts,
        HearingCommands commands, HearingReader reader, DeadlineCalculator deadlines, IClock clock, DateTimeZone zone, WorkingDayCalendar calendar,
        CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException or IOException or BadHttpRequestException)
        {
            return await FailAsync("Formularen kunne ikke læses. Prøv igen.", null, StatusCodes.Status400BadRequest);
        }
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await FailAsync("Siden var udløbet, så intet blev ændret. Prøv igen.", form, StatusCodes.Status400BadRequest);
        }
        var task = await reader.FindTaskAsync(instanceId, partyId, cancellationToken);
        if (task is null)
        {
            return await RenderAsync(instanceId, partyId, http, antiforgery, contexts, reader, clock, zone, calendar, null, null, StatusCodes.Status404NotFound, cancellationToken);
        }
        var actor = http.User.Actor();
        switch (action)
        {
            case "paamind":
                {
                    var outcome = await commands.RemindAsync(instanceId, partyId, actor, cancellationToken);
                    return outcome == HearingCommandOutcome.Done ? Back("paamindet") : await FailAsync(Explain(outcome, "Påmindelsen"), form, StatusCodes.Status409Conflict);
                }
            case "frist":
                {
                    var dateText = form["dato"].ToString().Trim();
                    var timeText = form["tid"].ToString().Trim();
                    var errors = new List<string>();
                    var date = dateText.Length == 0 ? null : OverviewPage.ParseDate(dateText, "Ny frist", errors);
                    if (dateText.Length == 0)
                    {
                        errors.Add("Skriv datoen for den nye frist.");
                    }
                    var time = timeText.Length == 0 ? new LocalTime(12, 0) : TimePattern.Parse(timeText.Replace('.', ':')) is { Success: true } t ? t.Value : (LocalTime?)null;
                    if (time is null)
                    {
                        errors.Add($"Klokkeslættet \"{timeText}\" kan ikke læses. Skriv det som 12:00.");
                    }
                    if (errors.Count > 0 || date is null || time is null)
                    {
                        return await FailAsync(string.Join(" ", errors), form, StatusCodes.Status400BadRequest);
                    }
                    var deadline = deadlines.Resolve(new DeadlineSpec.At(date.Value, time.Value));
                    if (deadline.Instant <= clock.GetCurrentInstant())
                    {
                        return await FailAsync($"Den nye frist, {deadline.Text}, er allerede passeret. Vælg en senere frist.", form, StatusCodes.Status400BadRequest);
                    }
                    var json = new JsonObject
                    {
                        ["date"] = LocalDatePattern.Iso.Format(date.Value),
                        ["at"] = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Format(time.Value),
                    };
                    var reason = form["begrundelse"].ToString().Trim();
                    var outcome = await commands.ChangeDeadlineAsync(instanceId, task.ActivityId, task.Id, json, reason.Length == 0 ? null : reason, actor, cancellationToken);
                    return outcome == HearingCommandOutcome.Done ? Back("frist") : await FailAsync(Explain(outcome, "Fristen"), form, StatusCodes.Status409Conflict);
                }
            case "svar":
                {
                    var text = form["tekst"].ToString();
                    var noComments = form["ingenBemaerkninger"].ToString() == "true";
                    var files = form.Files.Where(f => f.Length > 0).Select(f => new AnswerFile(f.FileName, f.OpenReadStream())).ToList();
                    try
                    {
                        var outcome = await commands.SubmitAnswerAsync(task.Id, new AnswerSubmission(text, noComments, files, "staff", actor), cancellationToken);
                        return outcome switch
                        {
                            AnswerOutcome.Accepted => Back("svar"),
                            AnswerOutcome.Held => await FailAsync("Høringen kunne ikke tage svaret (den er lukket eller standset). Svaret er gemt blandt svarene, der skal behandles.", form, StatusCodes.Status409Conflict),
                            AnswerOutcome.Refused refused => await FailAsync(refused.Reason, form, AnswerPages.StatusOf(refused)),
                            _ => await FailAsync("Svaret var allerede registreret.", form, StatusCodes.Status409Conflict),
                        };
                    }
                    finally
                    {
                        foreach (var file in files)
                        {
                            await file.Content.DisposeAsync();
                        }
                    }
                }
            case "invitation":
                {
                    var address = form["adresse"].ToString().Trim();
                    if (!HearingsApi.IsMailAddress(address))
                    {
                        return await FailAsync(address.Length == 0 ? "Skriv den nye e-mailadresse." : $"\"{address}\" er ikke en gyldig e-mailadresse.", form, StatusCodes.Status400BadRequest);
                    }
                    var outcome = await commands.ResendInvitationAsync(instanceId, partyId, [address], actor, cancellationToken);
                    return outcome == HearingCommandOutcome.Done ? Back("invitation") : await FailAsync(Explain(outcome, "Invitationen"), form, StatusCodes.Status409Conflict);
                }
            default:
                return await FailAsync("Den handling findes ikke.", form, StatusCodes.Status404NotFound);
        }

        IResult Back(string done) => Results.Redirect($"/hoeringer/{instanceId}/parter/{Uri.EscapeDataString(partyId)}?udfoert={done}");

        Task<IResult> FailAsync(string error, IFormCollection? values, int status) =>
            RenderAsync(instanceId, partyId, http, antiforgery, contexts, reader, clock, zone, calendar, Error(error), values, status, cancellationToken);
    }

    /// <summary>Why an answer was kept for staff instead of counted, in Danish.</summary>
    internal static string HeldText(string reason) => reason switch
    {
        HeldAnswerReasons.Faulted => "ikke talt med: forløbet var standset med en fejl",
        HeldAnswerReasons.Ended => "ikke talt med: forløbet var afsluttet",
        _ => "ikke talt med: høringen var lukket",
    };

    /// <summary>Why a command on a hearing did not happen, in Danish.</summary>
    internal static string Explain(HearingCommandOutcome outcome, string what) => outcome switch
    {
        HearingCommandOutcome.NoSuchInstance => "Høringen findes ikke.",
        HearingCommandOutcome.NoSuchParty => "Parten er ikke med i denne høring.",
        HearingCommandOutcome.AlreadyAnswered => "Der er ingen at påminde: parten har allerede svaret.",
        HearingCommandOutcome.Ended => $"Forløbet er afsluttet. {what} kan ikke længere ændres eller sendes.",
        _ => $"Høringen er lukket. {what} kan ikke længere ændres eller sendes.",
    };

    private static async Task<IResult> RenderAsync(
        Guid instanceId, string partyId, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, HearingReader reader, IClock clock,
        DateTimeZone zone, WorkingDayCalendar calendar, string? message, IFormCollection? form, int status, CancellationToken cancellationToken)
    {
        var task = await reader.FindTaskAsync(instanceId, partyId, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var instance = task is null ? null : await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => new { i.Name, i.Status }).FirstOrDefaultAsync(cancellationToken);
        if (task is null || instance is null)
        {
            return Page(http, antiforgery, "Parten findes ikke i høringen",
                $"{message}<p>Parten er ikke med i denne høring, eller høringen findes ikke.</p><p><a href=\"/hoeringer/{instanceId}\">Til høringen</a> · <a href=\"/\">Til overblikket</a></p>",
                status == StatusCodes.Status200OK ? StatusCodes.Status404NotFound : status);
        }
        var answers = await db.Answers.AsNoTracking().Where(a => a.PartyTaskId == task.Id).OrderByDescending(a => a.ReceivedAt).ToListAsync(cancellationToken);
        var answerIds = answers.Select(a => a.Id).ToList();
        var files = (await db.Attachments.AsNoTracking().Where(f => answerIds.Contains(f.AnswerId)).ToListAsync(cancellationToken)).ToLookup(f => f.AnswerId);
        var requests = await db.ExtensionRequests.AsNoTracking().Where(r => r.PartyTaskId == task.Id).OrderBy(r => r.RequestedAt).ToListAsync(cancellationToken);
        var mails = await db.Outbox.AsNoTracking().Where(o => o.PartyTaskId == task.Id).OrderBy(o => o.QueuedAt)
            .Select(o => new { o.Template, o.Subject, o.To, o.Status, o.QueuedAt, o.SentAt }).ToListAsync(cancellationToken);
        var taskId = task.Id.ToString();
        var history = await db.Journal.AsNoTracking()
            .Where(j => j.InstanceId == instanceId && (j.Message.Contains(task.PartyName) || (j.Data != null && j.Data.Contains(taskId))))
            .OrderBy(j => j.Id).Select(j => new { j.At, j.Message, j.Actor }).ToListAsync(cancellationToken);
        var now = clock.GetCurrentInstant();
        var open = instance.Status is nameof(WorkflowStatus.Running) or nameof(WorkflowStatus.Suspended);
        var contacts = JsonSerializer.Deserialize<List<string>>(task.Contacts) ?? [];
        var deadlineLocal = task.Deadline.InZone(zone).Date;

        var body = new StringBuilder();
        body.Append(message);
        body.Append(CultureInfo.InvariantCulture, $"""
            <p><a href="/hoeringer/{instanceId}">Tilbage til høringen {Encode(instance.Name)}</a> · <a href="/parter/{Uri.EscapeDataString(task.PartyId)}">Alle høringer for {Encode(task.PartyName)}</a></p>
            <dl class="facts">
              <dt>Høring</dt><dd>{Encode(instance.Name)}</dd>
              <dt>Status</dt><dd class="{StatusClass(task.Status)}">{StatusName(task.Status, task.Decision)}</dd>
              <dt>Frist</dt><dd>{Encode(Text(task.Deadline, zone))} ({(task.AnsweredAt is null ? DaysLeft(task.Deadline, now, zone, calendar) : "besvaret")}){(calendar.IsWorkingDay(deadlineLocal) ? "" : " – bemærk: fristen falder ikke på en arbejdsdag")}</dd>
              <dt>Sendt</dt><dd>{Encode(Text(task.CreatedAt, zone))}</dd>
              <dt>Senest påmindet</dt><dd>{(task.LastRemindedAt is { } reminded ? Encode(Text(reminded, zone)) : "Ikke påmindet")}</dd>
              <dt>Besvaret</dt><dd>{(task.AnsweredAt is { } answeredAt ? Encode(Text(answeredAt, zone)) : "Ikke besvaret")}</dd>
              <dt>E-mail</dt><dd>{Encode(string.Join(", ", contacts))}</dd>
            </dl>
            """);
        if ((await reader.BouncesAsync(instanceId, [task.ActivityId], cancellationToken)).GetValueOrDefault(task.Id) is { } bounce)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"bad\" role=\"status\">Mailen til {Encode(bounce.Address)} kunne ikke leveres ({Encode(bounce.Reason)}), {Encode(Text(bounce.At, zone))}. Send invitationen igen til en rettet adresse nedenfor.</p>");
        }

        body.Append("<h2>Svar</h2>");
        if (answers.Count == 0)
        {
            body.Append("<p>Der er ikke modtaget noget svar.</p>");
        }
        foreach (var answer in answers)
        {
            var how = answer.Channel switch { "web" => "på svarsiden", "email" => "pr. e-mail", "staff" => "registreret af sekretariatet", _ => answer.Channel };
            body.Append(CultureInfo.InvariantCulture, $"""
                <article aria-label="Svar modtaget {Encode(Text(answer.ReceivedAt, zone))}"><h3>{(answer.HeldReason is { } held ? $"Svar til behandling ({HeldText(held)})" : answer.ReplacedBy is null ? "Gældende svar" : "Tidligere svar (erstattet)")}, modtaget {Encode(Text(answer.ReceivedAt, zone))}</h3>
                <p class="muted">Modtaget {how}{(answer.SubmittedBy is { } by ? $" fra {Encode(by)}" : "")}{(answer.Late ? " – for sent" : "")}.</p>
                {(answer.NoComments ? "<p><strong>Ingen bemærkninger.</strong></p>" : "")}{(answer.Text is { } text ? $"<blockquote>{EncodeLines(text)}</blockquote>" : "")}
                """);
            var attached = files[answer.Id].ToList();
            if (attached.Count > 0)
            {
                body.Append("<p>Vedhæftede filer:</p><ul>");
                foreach (var file in attached)
                {
                    body.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/api/attachments/{file.Id}\">{Encode(file.FileName)}</a> ({Number((int)Math.Max(1, file.Size / 1024))} kB)</li>");
                }
                body.Append("</ul>");
            }
            body.Append("</article>");
        }

        if (requests.Count > 0)
        {
            body.Append("<h2>Anmodninger om fristforlængelse</h2><ul>");
            foreach (var request in requests)
            {
                var state = request.Status switch { ExtensionRequestStatus.Pending => "afventer afgørelse", ExtensionRequestStatus.Granted => "imødekommet", _ => "afslået" };
                body.Append(CultureInfo.InvariantCulture, $"<li>{Encode(Text(request.RequestedAt, zone))}: {Encode(request.Reason)} ({state})</li>");
            }
            body.Append("</ul>");
        }

        if (open)
        {
            body.Append(Actions(instanceId, task, http, antiforgery, form, contacts));
        }
        else
        {
            body.Append("<p>Høringen er afsluttet, så der kan ikke længere sendes påmindelser eller ændres frister.</p>");
        }

        body.Append("<h2>Mails til parten</h2>");
        if (mails.Count == 0)
        {
            body.Append("<p>Ingen mails.</p>");
        }
        else
        {
            body.Append("<table><caption>Mails til parten</caption><thead><tr><th scope=\"col\">Lagt i udbakken</th><th scope=\"col\">Slags</th><th scope=\"col\">Til</th><th scope=\"col\">Status</th></tr></thead><tbody>");
            foreach (var mail in mails)
            {
                var kind = mail.Template switch
                {
                    "invitation" => "Invitation",
                    "reminder" => "Påmindelse",
                    "rykker" => "Rykker",
                    "receipt" => "Kvittering",
                    "deadline-changed" => "Ændret frist",
                    "extension-refused" => "Fristforlængelse afslået",
                    "approval-request" => "Anmodning om beslutning",
                    "approval-reminder" => "Påmindelse",
                    "approval-receipt" => "Kvittering",
                    _ => mail.Subject,
                };
                var sent = mail.Status switch { OutboxStatus.Sent => $"Sendt {Short(mail.SentAt ?? mail.QueuedAt, zone)}", OutboxStatus.Failed => "Kunne ikke sendes", _ => "Venter på afsendelse" };
                var to = string.Join(", ", JsonSerializer.Deserialize<List<string>>(mail.To) ?? []);
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(Text(mail.QueuedAt, zone))}</td><td>{Encode(kind)}</td><td>{Encode(to)}</td><td>{Encode(sent)}</td></tr>");
            }
            body.Append("</tbody></table>");
        }

        body.Append("<h2>Historik</h2>");
        if (history.Count == 0)
        {
            body.Append("<p>Ingen hændelser.</p>");
        }
        else
        {
            body.Append("<ol>");
            foreach (var line in history)
            {
                body.Append(CultureInfo.InvariantCulture, $"<li>{Encode(Text(line.At, zone))}: {Encode(line.Message)}</li>");
            }
            body.Append("</ol>");
        }
        return Page(http, antiforgery, task.PartyName, body.ToString(), status);
    }

    private static string Actions(Guid instanceId, PartyTaskRow task, HttpContext http, IAntiforgery antiforgery, IFormCollection? form, List<string> contacts)
    {
        var action = $"/hoeringer/{instanceId}/parter/{Uri.EscapeDataString(task.PartyId)}";
        var token = AntiforgeryField(http, antiforgery);
        string Value(string name) => Encode(form?[name].ToString());
        var html = new StringBuilder("<h2>Handlinger</h2><div class=\"actions\">");
        if (task.AnsweredAt is null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{Encode(action)}/paamind">{token}<h3>Påmind nu</h3>
                <p>Sender en påmindelse (efter fristen en rykker) til {Encode(string.Join(", ", contacts))}.</p>
                <p><button type="submit">Send påmindelse nu</button></p></form>
                """);
        }
        html.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="{Encode(action)}/frist">{token}<h3>Forlæng fristen</h3>
            <p><label for="dato">Ny frist (dato)</label><br><input id="dato" name="dato" type="date" required value="{Value("dato")}"></p>
            <p><label for="tid">Klokkeslæt</label><br><input id="tid" name="tid" type="time" value="{(form is null ? "12:00" : Value("tid"))}"></p>
            <p><label for="begrundelse">Begrundelse (valgfri)</label><br><input id="begrundelse" name="begrundelse" type="text" value="{Value("begrundelse")}"></p>
            <p><button type="submit">Gem ny frist</button></p></form>
            <form method="post" action="{Encode(action)}/svar" enctype="multipart/form-data">{token}<h3>Registrér svar modtaget på papir</h3>
            <p><label for="tekst">Svarets tekst</label><br><textarea id="tekst" name="tekst" rows="5" cols="40">{Value("tekst")}</textarea></p>
            <p><input id="ingenBemaerkninger" name="ingenBemaerkninger" type="checkbox" value="true"{(form?["ingenBemaerkninger"].ToString() == "true" ? " checked" : "")}> <label for="ingenBemaerkninger">Ingen bemærkninger</label></p>
            <p><label for="filer">Indscannet svar (valgfri)</label><br><input id="filer" name="filer" type="file" multiple></p>
            <p><button type="submit">Registrér svar</button></p></form>
            <form method="post" action="{Encode(action)}/invitation" id="ny-adresse">{token}<h3>Send invitationen igen</h3>
            <p>Til en ny adresse, som fremover bruges til alle mails til parten.</p>
            <p><label for="adresse">Ny e-mailadresse</label><br><input id="adresse" name="adresse" type="email" autocomplete="off" value="{Value("adresse")}"></p>
            <p><button type="submit">Send invitationen igen</button></p></form>
            """);
        html.Append("</div>");
        return html.ToString();
    }
}
