using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Calendar;
using Workflows.Host.Audit;
using Workflows.Host.Hearings;
using Workflows.Host.Mail;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Answers;

/// <summary>
/// <c>/svar/{token}</c>: the page a kommune reaches from its personal link. Server-rendered, in Danish, usable
/// without JavaScript. It shows the hearing, the material and the party's own deadline, and takes the answer
/// (text, files, or "ingen bemærkninger"), a replacement until the deadline, or a request for a longer
/// deadline. An unknown token and an expired one get plain pages (404 / 410) that reveal nothing else.
/// </summary>
public static class AnswerPages
{
    public const string RateLimitPolicy = "answer-pages";

    /// <summary>Encodes what HTML needs, and leaves æ, ø and å as they are.</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static IHostApplicationBuilder AddAnswers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnswersOptions>().BindConfiguration(AnswersOptions.SectionName)
            .Validate(o => o.MaxFileBytes > 0 && o.MaxFiles > 0 && o.MaxTextLength > 0 && o.TotalBytes > 0 && o.RequestsPerMinute > 0, "ProcesFlow:Answers limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AnswerLinks>();
        builder.Services.AddSingleton<AttachmentStore>();
        builder.Services.AddSingleton<HearingReader>();
        builder.Services.AddSingleton<HearingCommands>();
        builder.Services.AddSingleton<IMailBounceRecorder>(services => services.GetRequiredService<HearingCommands>());
        builder.Services.AddOptions<FaultInjectionOptions>().BindConfiguration(FaultInjectionOptions.SectionName);
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "procesflow-af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client address: enough for a person, too few to guess links.
            o.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<AnswersOptions>>().Value.RequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapAnswerPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/svar").AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(RateLimitPolicy).DisableAntiforgery();
        var limits = app.ServiceProvider.GetRequiredService<IOptions<AnswersOptions>>().Value;
        pages.MapGet("{token}", ShowAsync);
        // The configured limits are the real ones: Kestrel's and the form reader's defaults (30 MB, 128 MB) would cut
        // off "10 files of 25 MB" before the page could answer in Danish.
        pages.MapPost("{token}", AnswerAsync).WithMetadata(new UploadLimits(limits.RequestCeilingBytes));
        pages.MapPost("{token}/fristforlaengelse", RequestExtensionAsync);
        pages.MapGet("{token}/kvittering/{answerId:guid}", ShowReceiptAsync);
        return app;
    }

    public static async Task<IResult> ShowAsync(
        string token, HttpContext http, HearingReader reader, HearingCommands commands, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts,
        IClock clock, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var (task, expired) = await reader.FindByTokenAsync(token, cancellationToken);
        if (task is null || expired)
        {
            return Unavailable(expired);
        }
        return await RenderAsync(http, token, task, reader, antiforgery, contexts, clock, zone, message: null, cancellationToken);
    }

    public static async Task<IResult> AnswerAsync(
        string token, HttpContext http, HearingReader reader, HearingCommands commands, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts,
        IClock clock, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var (task, expired) = await reader.FindByTokenAsync(token, cancellationToken);
        if (task is null || expired)
        {
            return Unavailable(expired);
        }
        if (await ValidateFormAsync(http, antiforgery) is { } invalid)
        {
            return invalid;
        }

        var form = http.Request.Form;
        var typed = new TypedAnswer(form["text"].ToString(), form["name"].ToString());
        var files = form.Files.GetFiles("attachments").Where(f => f.Length > 0 || f.FileName.Length > 0).ToList();
        var limits = http.RequestServices.GetRequiredService<IOptions<AnswersOptions>>().Value;
        if (files.FirstOrDefault(f => f.Length > limits.MaxFileBytes) is { } tooLarge)
        {
            return await RenderAsync(http, token, task, reader, antiforgery, contexts, clock, zone,
                $"Filen \"{tooLarge.FileName}\" er for stor (højst {Megabytes(limits.MaxFileBytes)} MB). Jeres tekst er bevaret herunder; vælg filerne igen.",
                cancellationToken, StatusCodes.Status413PayloadTooLarge, typed);
        }
        if (files.Sum(f => f.Length) > limits.TotalBytes)
        {
            return await RenderAsync(http, token, task, reader, antiforgery, contexts, clock, zone,
                $"Filerne fylder tilsammen for meget (højst {Megabytes(limits.TotalBytes)} MB). Jeres tekst er bevaret herunder; vælg færre eller mindre filer.",
                cancellationToken, StatusCodes.Status413PayloadTooLarge, typed);
        }
        var streams = files.Select(f => f.OpenReadStream()).ToList();
        try
        {
            var outcome = await commands.SubmitAnswerAsync(task.Id, new AnswerSubmission(
                form["text"].ToString(),
                string.Equals(form["noComments"], "true", StringComparison.OrdinalIgnoreCase),
                files.Select((f, i) => new AnswerFile(f.FileName, streams[i])).ToList(),
                "web",
                SubmittedBy: form["name"].ToString() is { Length: > 0 } name ? name.Trim() : null,
                Decision: form["decision"].ToString() is { Length: > 0 } decision ? decision : null), cancellationToken);

            switch (outcome)
            {
                case AnswerOutcome.Accepted accepted:
                    AuditTrail.Note(http, new AuditEntry(accepted.Replaced ? "AnswerReplaced" : "AnswerSubmitted",
                        $"instanceId={task.InstanceId}, partyId={task.PartyId}", After: $"answerId={accepted.AnswerId}", Actor: PartyActor(task)));
                    // Post/redirect/get: refreshing the receipt shows it again instead of sending the answer twice.
                    return Results.Redirect($"/svar/{token}/kvittering/{accepted.AnswerId}");
                case AnswerOutcome.Held:
                    // The truth: the answer is kept and staff will see it, but the hearing did not count it.
                    return Page(StatusCodes.Status409Conflict, "Høringen er afsluttet",
                        "<p role=\"status\">Høringen modtog ikke flere svar, da jeres svar kom frem, så det er ikke talt med i høringen. "
                        + "Svaret er gemt, og sekretariatet har fået besked om det. Kontakt afsenderen, hvis I har spørgsmål.</p>");
                case AnswerOutcome.Refused refused:
                    return await RenderAsync(http, token, task, reader, antiforgery, contexts, clock, zone, refused.Reason, cancellationToken, StatusOf(refused), typed);
                default:
                    return Results.Redirect($"/svar/{token}");
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    public static async Task<IResult> RequestExtensionAsync(
        string token, HttpContext http, HearingReader reader, HearingCommands commands, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts,
        IClock clock, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var (task, expired) = await reader.FindByTokenAsync(token, cancellationToken);
        if (task is null || expired)
        {
            return Unavailable(expired);
        }
        if (await ValidateFormAsync(http, antiforgery) is { } invalid)
        {
            return invalid;
        }
        var form = http.Request.Form;
        JsonObject? deadline = null;
        if (form["date"].ToString() is { Length: > 0 } date)
        {
            if (DeadlineJson.TryParseDate(date) is null)
            {
                return await RenderAsync(http, token, task, reader, antiforgery, contexts, clock, zone,
                    "Datoen for den ønskede frist er ikke gyldig (skriv den som ÅÅÅÅ-MM-DD).", cancellationToken, StatusCodes.Status400BadRequest);
            }
            deadline = new JsonObject { ["date"] = date };
        }
        var outcome = await commands.RequestExtensionAsync(task.Id, form["reason"].ToString(), deadline, cancellationToken);
        if (outcome is AnswerOutcome.Refused refused)
        {
            return await RenderAsync(http, token, task, reader, antiforgery, contexts, clock, zone, refused.Reason, cancellationToken, StatusOf(refused));
        }
        AuditTrail.Note(http, new AuditEntry("ExtensionRequested", $"instanceId={task.InstanceId}, partyId={task.PartyId}", After: deadline?["date"]?.ToString(), Actor: PartyActor(task)));
        return Page(StatusCodes.Status200OK, "Anmodning om fristforlængelse modtaget",
            $"<p role=\"status\">Tak. Jeres anmodning om længere frist er sendt til {Html.Encode(task.PartyName)}s kontakt i sekretariatet, som svarer jer. Indtil da gælder fristen {Html.Encode(Deadline.FromInstant(task.Deadline, zone).Text)}.</p>"
            + $"<p><a href=\"/svar/{Html.Encode(token)}\">Tilbage til høringen</a></p>");
    }

    private static async Task<IResult?> ValidateFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!http.Request.HasFormContentType)
        {
            return Page(StatusCodes.Status400BadRequest, "Formularen kunne ikke læses", "<p>Send svaret fra formularen på siden.</p>");
        }
        try
        {
            await http.Request.ReadFormAsync();
        }
        catch (InvalidDataException)
        {
            return Page(StatusCodes.Status413PayloadTooLarge, "Svaret er for stort", TooLargeText(http));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Page(StatusCodes.Status413PayloadTooLarge, "Svaret er for stort", TooLargeText(http));
        }
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Page(StatusCodes.Status400BadRequest, "Siden er udløbet", "<p>Formularen er for gammel eller blev ikke sendt fra siden. Åbn linket fra e-mailen igen og send svaret på ny.</p>");
        }
    }

    /// <summary>A request far beyond the limits is cut off before its text can be read: the page says so and leads back.</summary>
    private static string TooLargeText(HttpContext http)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<AnswersOptions>>().Value;
        return $"<p role=\"alert\">Filerne er samlet for store: højst {limits.MaxFiles} filer på højst {Megabytes(limits.MaxFileBytes)} MB, i alt højst {Megabytes(limits.TotalBytes)} MB. "
            + "Svaret er ikke modtaget. Gå tilbage i browseren (jeres tekst står normalt stadig i formularen), og send færre eller mindre filer.</p>";
    }

    private static string Megabytes(long bytes) => (bytes / 1024 / 1024).ToString(CultureInfo.InvariantCulture);

    private static string PartyActor(PartyTaskRow task) => $"part:{task.PartyId}";

    /// <summary>What the kommune typed, put back in the form when the answer is refused.</summary>
    private sealed record TypedAnswer(string Text, string Name);

    /// <summary>The configured upload limits for one endpoint: Kestrel's body size and the form reader's part size.</summary>
    private sealed class UploadLimits(long bytes) : IRequestSizeLimitMetadata, IFormOptionsMetadata
    {
        public long? MaxRequestBodySize => bytes;

        public bool? BufferBody => null;

        public int? MemoryBufferThreshold => null;

        public long? BufferBodyLengthLimit => bytes;

        public int? ValueCountLimit => null;

        public int? KeyLengthLimit => null;

        public int? ValueLengthLimit => null;

        public int? MultipartBoundaryLengthLimit => null;

        public int? MultipartHeadersCountLimit => null;

        public int? MultipartHeadersLengthLimit => null;

        public long? MultipartBodyLengthLimit => bytes;
    }

    /// <summary>
    /// Checks the files' sizes in the browser before sending (the server checks again): a refused upload of 250 MB
    /// is minutes lost on a slow line. The limits come from the form's data attributes, so this text never changes
    /// and the Content-Security-Policy allows it by its hash.
    /// </summary>
    public const string SizeCheckScript = """
        (function () {
          document.querySelectorAll('form[data-max-file]').forEach(function (form) {
            form.addEventListener('submit', function (event) {
              var input = form.querySelector('input[type=file]');
              var box = form.querySelector('[data-size-message]');
              if (!input || !input.files || !box) { return; }
              var maxFile = Number(form.getAttribute('data-max-file'));
              var maxTotal = Number(form.getAttribute('data-max-total'));
              var maxFiles = Number(form.getAttribute('data-max-files'));
              var total = 0;
              var problem = null;
              Array.prototype.forEach.call(input.files, function (file) {
                total += file.size;
                if (!problem && file.size > maxFile) { problem = 'Filen "' + file.name + '" er for stor (højst ' + Math.floor(maxFile / 1048576) + ' MB).'; }
              });
              if (!problem && input.files.length > maxFiles) { problem = 'Der kan højst vedhæftes ' + maxFiles + ' filer.'; }
              if (!problem && total > maxTotal) { problem = 'Filerne fylder tilsammen for meget (højst ' + Math.floor(maxTotal / 1048576) + ' MB).'; }
              if (problem) {
                event.preventDefault();
                box.textContent = problem + ' Vælg færre eller mindre filer.';
                box.hidden = false;
                input.focus();
              } else {
                box.hidden = true;
              }
            });
          });
        })();
        """;

    private static async Task<IResult> RenderAsync(
        HttpContext http, string token, PartyTaskRow task, HearingReader reader, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts,
        IClock clock, DateTimeZone zone, string? message, CancellationToken cancellationToken, int status = StatusCodes.Status200OK, TypedAnswer? typed = null)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<AnswersOptions>>().Value;
        var sizeAttributes = $"data-max-file=\"{limits.MaxFileBytes}\" data-max-total=\"{limits.TotalBytes}\" data-max-files=\"{limits.MaxFiles}\"";
        const string sizeMessage = "<p data-size-message role=\"alert\" class=\"error\" hidden></p>";
        var typedText = Html.Encode(typed?.Text ?? "");
        var typedName = Html.Encode(typed?.Name ?? "");
        var fileHint = $"Højst {limits.MaxFiles} filer på højst {Megabytes(limits.MaxFileBytes)} MB hver, i alt højst {Megabytes(limits.TotalBytes)} MB.";
        var hearing = await reader.StateOfAsync(task, cancellationToken);
        if (hearing is null)
        {
            return Unavailable(expired: false);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var current = await db.Answers.AsNoTracking().Where(a => a.PartyTaskId == task.Id && a.ReplacedBy == null && a.HeldReason == null).OrderByDescending(a => a.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
        var files = current is null ? [] : await db.Attachments.AsNoTracking().Where(a => a.AnswerId == current.Id).Select(a => a.FileName).ToListAsync(cancellationToken);

        var now = clock.GetCurrentInstant();
        var deadline = Deadline.FromInstant(task.Deadline, zone);
        var passed = now > task.Deadline;
        var open = HearingRules.IsOpenFor(hearing, task.Deadline, now);
        var af = antiforgery.GetAndStoreTokens(http);
        var antiforgeryField = $"<input type=\"hidden\" name=\"{Html.Encode(af.FormFieldName)}\" value=\"{Html.Encode(af.RequestToken!)}\">";
        var action = $"/svar/{Html.Encode(token)}";

        var ask = hearing.Ask;
        var html = new StringBuilder();
        if (message is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div role=\"alert\" class=\"error\"><p>{Html.Encode(message)}</p></div>");
        }
        if (ask != "answer")
        {
            html.Append(ask == "accession"
                ? "<p>Aftalen er sendt til tiltrædelse. Meddel jeres beslutning her, når den er truffet.</p>"
                : "<p>Sagen er sendt til godkendelse. Meddel jeres beslutning her, når den er truffet.</p>");
            if (hearing.EffectiveAt is { } effectiveAt)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>Ikrafttræden: {Html.Encode(DanishText.Date(effectiveAt.InZone(zone).Date))}.</p>");
            }
        }
        html.Append("<dl>");
        Term(html, "Høringspart", task.PartyName);
        Term(html, "Sagsnummer", hearing.CaseNumber ?? "");
        Term(html, "Afsender", hearing.Sender ?? "");
        Term(html, "Frist", $"Senest {deadline.Text}");
        html.Append("</dl>");
        html.Append(passed
            ? "<p role=\"status\"><strong>Fristen er overskredet.</strong></p>"
            : $"<p>Der er {Html.Encode(DanishText.Period(Period.Between(now.InZone(zone).Date, deadline.Local.Date, PeriodUnits.Days)))} til fristen.</p>");
        if (hearing.Message is { Length: > 0 } note)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Html.Encode(note)}</p>");
        }
        if (hearing.Material.Count > 0)
        {
            html.Append("<h2>Materiale</h2><ul>");
            foreach (var item in hearing.Material)
            {
                var itemTitle = Html.Encode(item.Title);
                html.Append(item.Url is { Length: > 0 } url ? $"<li><a href=\"{Html.Encode(url)}\">{itemTitle}</a></li>" : $"<li>{itemTitle}</li>");
            }
            html.Append("</ul>");
        }

        if (current is not null)
        {
            html.Append("<h2>Jeres svar</h2>");
            html.Append(CultureInfo.InvariantCulture, $"<p role=\"status\">Modtaget {Html.Encode(DanishText.DateTime(current.ReceivedAt.InZone(zone).LocalDateTime))}{(current.Late ? " (efter fristen)" : "")}.</p>");
            if (current.NoComments)
            {
                html.Append("<p>Ingen bemærkninger.</p>");
            }
            if (current.Decision is { } recorded)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>Beslutning: <strong>{Html.Encode(DecisionText(ask, recorded))}</strong></p>");
            }
            if (current.Text is { } text)
            {
                html.Append(CultureInfo.InvariantCulture, $"<blockquote class=\"answer\">{Html.Encode(text)}</blockquote>");
            }
            if (files.Count > 0)
            {
                html.Append("<p>Vedhæftet: ").AppendJoin(", ", files.Select(f => Html.Encode(f))).Append("</p>");
            }
        }

        if (!open)
        {
            html.Append("<p>Høringen modtager ikke flere svar.</p>");
            return Page(status, hearing.Title, html.ToString());
        }

        html.Append(current is not null
            ? "<h2>Erstat jeres svar</h2><p>Et nyt svar erstatter det forrige. Det kan gøres indtil fristen.</p>"
            : ask == "answer" ? "<h2>Afgiv høringssvar</h2>" : "<h2>Meddel jeres beslutning</h2>");
        if (passed)
        {
            html.Append("<p>Fristen er overskredet. Svaret modtages, men registreres som for sent.</p>");
        }
        if (ask != "answer")
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" enctype="multipart/form-data" {sizeAttributes}>
                  {antiforgeryField}
                  <fieldset><legend>Jeres beslutning</legend>
                    <p><input id="decision-approved" name="decision" type="radio" value="approved" required> <label for="decision-approved">{DecisionText(ask, "approved")}</label></p>
                    <p><input id="decision-rejected" name="decision" type="radio" value="rejected"> <label for="decision-rejected">{DecisionText(ask, "rejected")}</label></p>
                  </fieldset>
                  <p><label for="text">Bemærkninger (valgfrit)</label><br><textarea id="text" name="text" rows="5" cols="70">{typedText}</textarea></p>
                  <p><label for="attachments">Vedhæft fx beslutningsprotokol eller underskrevet aftale (PDF, Word, ODT eller Excel)</label><br><input id="attachments" name="attachments" type="file" multiple accept=".pdf,.docx,.odt,.xlsx" aria-describedby="file-hint"><br><span id="file-hint">{fileHint}</span></p>
                  {sizeMessage}
                  <p><label for="name">Jeres navn (valgfrit)</label><br><input id="name" name="name" type="text" autocomplete="name" value="{typedName}"></p>
                  <p><button type="submit">Send beslutning</button></p>
                </form>
                """);
            return Page(status, hearing.Title, html.ToString());
        }
        html.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="{action}" enctype="multipart/form-data" {sizeAttributes}>
              {antiforgeryField}
              <p><label for="text">Høringssvar</label><br><textarea id="text" name="text" rows="10" cols="70">{typedText}</textarea></p>
              <p><label for="attachments">Vedhæft filer (PDF, Word, ODT eller Excel)</label><br><input id="attachments" name="attachments" type="file" multiple accept=".pdf,.docx,.odt,.xlsx" aria-describedby="file-hint"><br><span id="file-hint">{fileHint}</span></p>
              {sizeMessage}
              <p><label for="name">Jeres navn (valgfrit)</label><br><input id="name" name="name" type="text" autocomplete="name" value="{typedName}"></p>
              <p><button type="submit">Send høringssvar</button></p>
            </form>
            <form method="post" action="{action}">
              {antiforgeryField}
              <input type="hidden" name="noComments" value="true">
              <p><button type="submit">Vi har ingen bemærkninger</button></p>
            </form>
            <h2>Brug for længere tid?</h2>
            <form method="post" action="{action}/fristforlaengelse">
              {antiforgeryField}
              <p><label for="reason">Begrundelse</label><br><textarea id="reason" name="reason" rows="3" cols="70"></textarea></p>
              <p><label for="date">Ønsket frist (ÅÅÅÅ-MM-DD, valgfrit)</label><br><input id="date" name="date" type="date"></p>
              <p><button type="submit">Anmod om fristforlængelse</button></p>
            </form>
            """);
        return Page(status, hearing.Title, html.ToString());
    }

    /// <summary>How a party's decision reads in Danish, for an approval or an accession.</summary>
    public static string DecisionText(string ask, string decision) => (ask, decision) switch
    {
        ("accession", "approved") => "Vi tiltræder aftalen",
        ("accession", _) => "Vi tiltræder ikke aftalen",
        (_, "approved") => "Godkendt",
        _ => "Ikke godkendt",
    };

    /// <summary>The receipt of one stored answer of this link's party, as shown right after submitting it.</summary>
    public static async Task<IResult> ShowReceiptAsync(
        string token, Guid answerId, HearingReader reader, IDbContextFactory<ProcesFlowDbContext> contexts, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var (task, expired) = await reader.FindByTokenAsync(token, cancellationToken);
        if (task is null || expired)
        {
            return Unavailable(expired);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var answer = await db.Answers.AsNoTracking().FirstOrDefaultAsync(a => a.Id == answerId && a.PartyTaskId == task.Id && a.HeldReason == null, cancellationToken);
        if (answer is null)
        {
            return Unavailable(expired: false);
        }
        // It replaced an answer received before it, or one that names it as its replacement (both at the same instant).
        var replaced = await db.Answers.AnyAsync(
            a => a.PartyTaskId == task.Id && a.Id != answer.Id && (a.ReceivedAt < answer.ReceivedAt || a.ReplacedBy == answer.Id), cancellationToken);
        var files = await db.Attachments.AsNoTracking().Where(a => a.AnswerId == answer.Id).OrderBy(a => a.Id).Select(a => a.FileName).ToListAsync(cancellationToken);
        return Receipt(token, task, new AnswerOutcome.Accepted(answer.Id, answer.ReceivedAt, answer.Late, replaced, files, answer.Decision), zone);
    }

    private static IResult Receipt(string token, PartyTaskRow task, AnswerOutcome.Accepted accepted, DateTimeZone zone)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p role=\"status\">Tak. Vi har modtaget {(accepted.Decision is null ? "høringssvaret" : "beslutningen")} fra {Html.Encode(task.PartyName)} {Html.Encode(DanishText.DateTime(accepted.ReceivedAt.InZone(zone).LocalDateTime))}.</p>");
        if (accepted.Late)
        {
            html.Append("<p>Svaret er modtaget efter fristen og er registreret som for sent.</p>");
        }
        if (accepted.Replaced)
        {
            html.Append("<p>Svaret erstatter jeres tidligere svar.</p>");
        }
        if (accepted.FileNames.Count > 0)
        {
            html.Append("<p>Vedhæftede filer:</p><ul>");
            foreach (var file in accepted.FileNames)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Html.Encode(file)}</li>");
            }
            html.Append("</ul>");
        }
        html.Append("<p>En kvittering er sendt til jeres postkasse.</p>");
        // The way back to the answer (to read it, or replace it until the deadline) without the mail at hand.
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/svar/{Html.Encode(token)}\">Tilbage til høringen</a></p>");
        return Page(StatusCodes.Status200OK, accepted.Decision is null ? "Høringssvar modtaget" : "Beslutning modtaget", html.ToString());
    }

    private static IResult Unavailable(bool expired) => expired
        ? Page(StatusCodes.Status410Gone, "Linket er udløbet", "<p>Høringen er afsluttet, og linket virker ikke længere. Kontakt afsenderen, hvis I har spørgsmål.</p>")
        : Page(StatusCodes.Status404NotFound, "Linket findes ikke", "<p>Linket er ikke gyldigt. Kontrollér, at hele linket fra e-mailen er kopieret.</p>");

    private static void Term(StringBuilder html, string term, string value)
    {
        if (value.Length > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>{Html.Encode(term)}</dt><dd>{Html.Encode(value)}</dd>");
        }
    }

    /// <summary>The status that tells the sender's browser what kind of refusal this is.</summary>
    internal static int StatusOf(AnswerOutcome.Refused refused) => refused.Kind switch
    {
        AnswerRefusalKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        AnswerRefusalKind.UnsupportedFile => StatusCodes.Status415UnsupportedMediaType,
        AnswerRefusalKind.NoSuchTask => StatusCodes.Status404NotFound,
        AnswerRefusalKind.Late => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    private static IResult Page(int status, string title, string body) =>
        Results.Content(
            $$"""
            <!DOCTYPE html>
            <html lang="da">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{Html.Encode(title)}} – ProcesFlow</title>
            <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}dt{font-weight:600}dd{margin:0 0 .5rem}
            .error{border-left:4px solid #b00020;padding:.25rem 1rem;background:#fdecee}.answer{white-space:pre-wrap;border-left:4px solid #ccc;margin:0;padding:.25rem 1rem}
            label{font-weight:600}button{font-size:1rem;padding:.5rem 1rem}textarea{max-width:100%}</style></head>
            <body><main><h1>{{Html.Encode(title)}}</h1>{{body}}</main><script>{{SizeCheckScript}}</script></body>
            </html>
            """,
            "text/html; charset=utf-8",
            Encoding.UTF8,
            status);
}
