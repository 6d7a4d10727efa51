using Microsoft.AspNetCore.Antiforgery;
using Workflows.Host.Answers;
using Workflows.Host.Audit;
using Workflows.Host.Pages;
using Workflows.Host.Pages.Shared;
using Workflows.Host.Security;
using static Workflows.Host.Pages.FormTokens;

namespace Workflows.Host.Mail.Inbox;

/// <summary>
/// <c>/indbakke</c>: the mails the answer inbox kept for staff, each with its sender, subject, text and files; staff assign
/// one to a party in a hearing (stored as that party's answer) or dismiss it with a reason. The page uses the same
/// <see cref="KeptMailCommands"/> as the API, and the audit trail gets the same lines.
/// </summary>
public static class InboxPages
{
    public static IEndpointRouteBuilder MapInboxPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/indbakke").RequireAuthorization(SecuritySetup.StaffPolicy).ExcludeFromDescription();
        RoutePermissions.ApplyToStaffPages(pages);
        pages.MapGet("", ShowAsync);
        // Each form handler checks the anti-forgery token itself and answers a stale form with the page and a message.
        pages.MapPost("{mailId:guid}/tildel", AssignAsync).DisableAntiforgery().WithName("PageAssignUnmatchedMail");
        pages.MapPost("{mailId:guid}/afvis", DismissAsync).DisableAntiforgery().WithName("PageDismissUnmatchedMail");
        return app;
    }

    public static Task<IResult> ShowAsync(HttpContext http, KeptMailCommands kept, CancellationToken cancellationToken) =>
        PageAsync(http, kept, null, StatusCodes.Status200OK, cancellationToken);

    public static async Task<IResult> AssignAsync(Guid mailId, HttpContext http, IAntiforgery antiforgery, KeptMailCommands kept, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, "Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        // The select's value is "{instanceId}/{partyId}": one choice names both, as the hearing groups its parties.
        var choice = form["party"].ToString().Split('/', 2);
        if (choice.Length != 2 || !Guid.TryParse(choice[0], out var instanceId) || choice[1].Length == 0)
        {
            return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, "Vælg den høring og part, mailen er svar fra.", mailId, "party"), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var decision = form["decision"].ToString() is { Length: > 0 } given ? given : null;
        var outcome = await kept.AssignAsync(mailId, instanceId, choice[1], form["withoutAttachments"] == "true", decision, http.User.Actor(), cancellationToken);
        switch (outcome)
        {
            case KeptMailOutcome.Assigned assigned:
                AuditTrail.Note(http, assigned.Audit);
                var late = assigned.Mail.Late ? " Svaret er modtaget efter fristen og er markeret for sent." : "";
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Success,
                    $"Mailen er registreret som høringssvar fra {assigned.PartyName}{FilesText(assigned.Mail.Attachments)}, og afsenderen får en kvittering.{late}"),
                    StatusCodes.Status200OK, cancellationToken);
            case KeptMailOutcome.Held:
                AuditTrail.Note(http, new AuditEntry("AssignUnmatchedMail", $"mailId={mailId}", After: $"instanceId={instanceId}, partyId={choice[1]}, held"));
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Warning,
                    "Mailen er gemt som svar, men høringen tager ikke imod svar længere (den er lukket eller standset). Svaret ligger blandt svarene til behandling på høringens side."),
                    StatusCodes.Status200OK, cancellationToken);
            case KeptMailOutcome.Refused { Answer.Field: "decision" }:
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, "Parten er i en godkendelsesrunde: vælg, om parten godkender eller ej, som mailen siger.", mailId, "decision"),
                    StatusCodes.Status400BadRequest, cancellationToken);
            case KeptMailOutcome.Refused refused:
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, $"Mailen kunne ikke registreres som svar: {refused.Answer.Reason}", mailId, refused.Answer.Field),
                    AnswerPages.StatusOf(refused.Answer), cancellationToken);
            case KeptMailOutcome.NotFound:
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, "Mailen eller parten findes ikke (længere). Vælg igen."), StatusCodes.Status404NotFound, cancellationToken);
            default:
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, "Mailen er allerede tildelt eller afvist af en anden."), StatusCodes.Status409Conflict, cancellationToken);
        }
    }

    public static async Task<IResult> DismissAsync(Guid mailId, HttpContext http, IAntiforgery antiforgery, KeptMailCommands kept, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, "Siden var udløbet. Prøv igen."), StatusCodes.Status400BadRequest, cancellationToken);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        switch (await kept.DismissAsync(mailId, form["reason"], http.User.Actor(), cancellationToken))
        {
            case KeptMailOutcome.Dismissed dismissed:
                AuditTrail.Note(http, dismissed.Audit);
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Success, "Mailen er afvist og fjernet fra listen. Den er gemt med begrundelsen."), StatusCodes.Status200OK, cancellationToken);
            case KeptMailOutcome.Invalid:
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, $"Skriv en begrundelse (højst {PageText.Number(KeptMailCommands.MaxReasonLength)} tegn).", mailId, "reason"),
                    StatusCodes.Status400BadRequest, cancellationToken);
            case KeptMailOutcome.NotFound:
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, "Mailen findes ikke."), StatusCodes.Status404NotFound, cancellationToken);
            default:
                return await PageAsync(http, kept, new InboxNotice(AlertKind.Error, "Mailen er allerede tildelt eller afvist af en anden."), StatusCodes.Status409Conflict, cancellationToken);
        }
    }

    private static async Task<IResult> PageAsync(HttpContext http, KeptMailCommands kept, InboxNotice? notice, int status, CancellationToken cancellationToken)
    {
        var mails = new List<InboxItem>();
        foreach (var mail in await kept.ListAsync(assigned: false, cancellationToken))
        {
            mails.Add(new InboxItem(mail, await kept.FilesAsync(mail, cancellationToken)));
        }
        var canAct = http.User.MayRunHearings();
        return PagesSetup.Page<InboxPage>(new { Mails = mails, Hearings = await kept.AssignableHearingsAsync(cancellationToken), Notice = notice, CanAct = canAct }, status);
    }

    private static string FilesText(IReadOnlyList<string> files) => files.Count switch
    {
        0 => "",
        1 => " med 1 vedhæftet fil",
        _ => $" med {PageText.Number(files.Count)} vedhæftede filer",
    };
}

/// <summary>A kept mail with its files and their sizes.</summary>
public sealed record InboxItem(KeptMail Mail, IReadOnlyList<KeptMailFile> Files);

/// <summary>What the page says after a form: a success or a problem, and for a problem the mail and the field it is about.</summary>
public sealed record InboxNotice(AlertKind Kind, string Text, Guid? MailId = null, string? Field = null);
