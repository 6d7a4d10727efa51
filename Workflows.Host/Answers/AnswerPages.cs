using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Calendar;
using Workflows.Host.Audit;
using Workflows.Host.Hearings;
using Workflows.Host.Mail;
using Workflows.Host.Pages;
using Workflows.Host.Pages.Shared;
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
                MessageId: SubmissionKey(form["submission"].ToString()),
                Decision: form["decision"].ToString() is { Length: > 0 } decision ? decision : null), cancellationToken);

            switch (outcome)
            {
                case AnswerOutcome.Accepted accepted:
                    AuditTrail.Note(http, new AuditEntry(accepted.Replaced ? "AnswerReplaced" : "AnswerSubmitted",
                        $"instanceId={task.InstanceId}, partyId={task.PartyId}", After: $"answerId={accepted.AnswerId}", Actor: PartyActor(task)));
                    // Post/redirect/get: refreshing the receipt shows it again instead of sending the answer twice.
                    return Results.Redirect($"/svar/{token}/kvittering/{accepted.AnswerId}");
                case AnswerOutcome.Duplicate duplicate:
                    // The same form sent again: the answer it stored the first time, not a replacement by itself.
                    return Results.Redirect($"/svar/{token}/kvittering/{duplicate.AnswerId}");
                case AnswerOutcome.Held:
                    // The truth: the answer is kept and staff will see it, but the hearing did not count it.
                    return Message(StatusCodes.Status409Conflict, "Høringen er afsluttet",
                        "Høringen modtog ikke flere svar, da jeres svar kom frem, så det er ikke talt med i høringen. "
                        + "Svaret er gemt, og sekretariatet har fået besked om det. Kontakt afsenderen, hvis I har spørgsmål.", AlertKind.Warning);
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
        if (form["date"].ToString().Trim() is { Length: > 0 } typedDate)
        {
            if (RequestedDate(typedDate) is not { } date)
            {
                return await RenderAsync(http, token, task, reader, antiforgery, contexts, clock, zone,
                    $"Datoen for den ønskede frist (\"{typedDate}\") er ikke en gyldig dato. Vælg den i kalenderen, eller skriv den som dag.måned.år, fx 14.11.2019.",
                    cancellationToken, StatusCodes.Status400BadRequest);
            }
            deadline = new JsonObject { ["date"] = LocalDatePattern.Iso.Format(date) };
        }
        var outcome = await commands.RequestExtensionAsync(task.Id, form["reason"].ToString(), deadline, cancellationToken);
        if (outcome is AnswerOutcome.Refused refused)
        {
            return await RenderAsync(http, token, task, reader, antiforgery, contexts, clock, zone, refused.Reason, cancellationToken, StatusOf(refused));
        }
        AuditTrail.Note(http, new AuditEntry("ExtensionRequested", $"instanceId={task.InstanceId}, partyId={task.PartyId}", After: deadline?["date"]?.ToString(), Actor: PartyActor(task)));
        return Message(StatusCodes.Status200OK, "Anmodning om fristforlængelse modtaget",
            $"Tak. Jeres anmodning om længere frist er sendt til sekretariatet, som svarer jer på mail. Indtil da gælder fristen {Deadline.FromInstant(task.Deadline, zone).Text}.",
            AlertKind.Success, $"/svar/{token}", "Tilbage til høringen");
    }

    /// <summary>
    /// The date field's value: ISO (what a date picker sends) or typed the Danish way (14.11.2019, 14-11-2019,
    /// 14/11/2019), for a browser that shows a plain text field.
    /// </summary>
    internal static LocalDate? RequestedDate(string text) =>
        DeadlineJson.TryParseDate(text) ?? DanishDates.Select(p => p.Parse(text)).FirstOrDefault(r => r.Success)?.Value;

    private static readonly LocalDatePattern[] DanishDates =
        [.. new[] { "d.M.uuuu", "d-M-uuuu", "d/M/uuuu" }.Select(p => LocalDatePattern.CreateWithInvariantCulture(p))];

    private static async Task<IResult?> ValidateFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!http.Request.HasFormContentType)
        {
            return Message(StatusCodes.Status400BadRequest, "Formularen kunne ikke læses", "Send svaret fra formularen på siden.", AlertKind.Error);
        }
        try
        {
            await http.Request.ReadFormAsync();
        }
        catch (InvalidDataException)
        {
            return Message(StatusCodes.Status413PayloadTooLarge, "Svaret er for stort", TooLargeText(http), AlertKind.Error);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Message(StatusCodes.Status413PayloadTooLarge, "Svaret er for stort", TooLargeText(http), AlertKind.Error);
        }
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Message(StatusCodes.Status400BadRequest, "Siden er udløbet", "Formularen er for gammel eller blev ikke sendt fra siden. Åbn linket fra e-mailen igen, og send svaret på ny.", AlertKind.Error);
        }
    }

    /// <summary>A request far beyond the limits is cut off before its text can be read: the page says so and leads back.</summary>
    private static string TooLargeText(HttpContext http)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<AnswersOptions>>().Value;
        return $"Filerne er samlet for store: højst {limits.MaxFiles} filer på højst {Megabytes(limits.MaxFileBytes)} MB, i alt højst {Megabytes(limits.TotalBytes)} MB. "
            + "Svaret er ikke modtaget. Gå tilbage i browseren (jeres tekst står normalt stadig i formularen), og send færre eller mindre filer.";
    }

    internal static string Megabytes(long bytes) => (bytes / 1024 / 1024).ToString(CultureInfo.InvariantCulture);

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

    private static async Task<IResult> RenderAsync(
        HttpContext http, string token, PartyTaskRow task, HearingReader reader, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts,
        IClock clock, DateTimeZone zone, string? message, CancellationToken cancellationToken, int status = StatusCodes.Status200OK, TypedAnswer? typed = null)
    {
        var hearing = await reader.StateOfAsync(task, cancellationToken);
        if (hearing is null)
        {
            return Unavailable(expired: false);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var current = await db.Answers.AsNoTracking().Where(a => a.PartyTaskId == task.Id && a.ReplacedBy == null && a.HeldReason == null).OrderByDescending(a => a.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
        var files = current is null ? [] : await db.Attachments.AsNoTracking().Where(a => a.AnswerId == current.Id).OrderBy(a => a.Id).Select(a => a.FileName).ToListAsync(cancellationToken);
        var pending = await db.ExtensionRequests.AsNoTracking().Where(r => r.PartyTaskId == task.Id && r.Status == "Pending").OrderByDescending(r => r.RequestedAt).FirstOrDefaultAsync(cancellationToken);

        var now = clock.GetCurrentInstant();
        var calendar = http.RequestServices.GetRequiredService<WorkingDayCalendar>();
        var model = new AnswerPageModel
        {
            Token = token,
            PartyName = task.PartyName,
            Title = hearing.Title,
            CaseNumber = hearing.CaseNumber is { Length: > 0 } caseNumber ? caseNumber : null,
            Sender = hearing.Sender is { Length: > 0 } sender ? sender : null,
            Contact = await reader.StarterAsync(task.InstanceId, cancellationToken),
            DeadlineText = Deadline.FromInstant(task.Deadline, zone).Text,
            DaysLeft = PageText.DaysLeft(task.Deadline, now, zone, calendar),
            Passed = now > task.Deadline,
            Open = HearingRules.IsOpenFor(hearing, task.Deadline, now),
            Ask = hearing.Ask,
            EffectiveAt = hearing.EffectiveAt is { } effectiveAt ? DanishText.Date(effectiveAt.InZone(zone).Date) : null,
            Message = hearing.Message,
            Material = hearing.Material,
            Current = current is null ? null : new AnswerPageModel.CurrentAnswer(
                DanishText.DateTime(current.ReceivedAt.InZone(zone).LocalDateTime), current.Late, current.NoComments, current.Decision, current.Text, files),
            PendingExtension = pending is null ? null : PendingText(pending, zone),
            Limits = http.RequestServices.GetRequiredService<IOptions<AnswersOptions>>().Value,
            Error = message,
            TypedText = typed?.Text ?? "",
            TypedName = typed?.Name ?? "",
        };
        return PagesSetup.Page<AnswerPage>(new { Model = model }, status);
    }

    private static string PendingText(ExtensionRequestRow request, DateTimeZone zone)
    {
        var asked = DanishText.Date(request.RequestedAt.InZone(zone).Date);
        var wanted = request.RequestedDeadline is { } json && DeadlineJson.TryParseDate(JsonNode.Parse(json)?["date"]?.GetValue<string>() ?? "") is { } date
            ? $" til {DanishText.Date(date)}"
            : "";
        return $"I bad {asked} om længere frist{wanted}. Sekretariatet har endnu ikke svaret; indtil da gælder fristen ovenfor.";
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

    private static IResult Receipt(string token, PartyTaskRow task, AnswerOutcome.Accepted accepted, DateTimeZone zone) =>
        PagesSetup.Page<ReceiptPage>(new
        {
            Model = new ReceiptModel(token, task.PartyName, DanishText.DateTime(accepted.ReceivedAt.InZone(zone).LocalDateTime), accepted.Decision is not null,
                accepted.Late, accepted.Replaced, accepted.FileNames),
        });

    /// <summary>
    /// The answer page's form key as the answer's message identity, beside the Message-IDs of answers by mail (so the
    /// store's unique index and the duplicate check of <see cref="HearingCommands.SubmitAnswerAsync"/> cover both). A
    /// form without a key, or with anything but the page's 32 hex digits, is taken as a new answer.
    /// </summary>
    internal static string? SubmissionKey(string submitted) =>
        submitted.Length == 32 && submitted.All(char.IsAsciiHexDigitLower) ? $"web-form-{submitted}" : null;

    private static IResult Unavailable(bool expired) => expired
        ? Message(StatusCodes.Status410Gone, "Linket er udløbet", "Høringen er afsluttet, og linket virker ikke længere. Kontakt afsenderen, hvis I har spørgsmål.")
        : Message(StatusCodes.Status404NotFound, "Linket findes ikke", "Linket er ikke gyldigt. Kontrollér, at hele linket fra e-mailen er kopieret.");

    /// <summary>The status that tells the sender's browser what kind of refusal this is.</summary>
    internal static int StatusOf(AnswerOutcome.Refused refused) => refused.Kind switch
    {
        AnswerRefusalKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        AnswerRefusalKind.UnsupportedFile => StatusCodes.Status415UnsupportedMediaType,
        AnswerRefusalKind.NoSuchTask => StatusCodes.Status404NotFound,
        AnswerRefusalKind.Late => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>A page for the kommune that only says something, with no staff menu.</summary>
    private static IResult Message(int status, string title, string text, AlertKind? kind = null, string? linkHref = null, string? linkText = null) =>
        PagesSetup.Page<MessagePage>(new { Title = title, Text = text, Kind = kind, LinkHref = linkHref, LinkText = linkText, Public = true }, status);
}
