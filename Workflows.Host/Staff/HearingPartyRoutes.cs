using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Host.Answers;
using Workflows.Host.Api;
using Workflows.Host.Audit;
using Workflows.Host.Hearings;
using Workflows.Host.Pages;
using Workflows.Host.Pages.Shared;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;
using static Workflows.Host.Pages.FormTokens;

namespace Workflows.Host.Staff;

/// <summary>
/// The handlers of the page of one party in one hearing, <c>/hoeringer/{instanceId}/parter/{partyId}</c>
/// (<see cref="HearingPartyPage"/>): showing it, and its actions, each a POST form followed by a redirect: remind now,
/// extend the deadline, register an answer received on paper, send the invitation again to a new address. A refused
/// action shows the page again with the reason and what was typed.
/// </summary>
public static class HearingPartyRoutes
{
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("H:mm");

    public static async Task<IResult> ShowAsync(
        Guid instanceId, string partyId, HttpContext http, IDbContextFactory<ProcesFlowDbContext> contexts, HearingReader reader, IClock clock,
        CancellationToken cancellationToken)
    {
        var message = http.Request.Query["udfoert"].ToString() switch
        {
            "paamindet" => "Påmindelsen er sendt.",
            "frist" => "Fristen er ændret, og parten har fået besked pr. mail.",
            "svar" => "Svaret er registreret, og parten har fået en kvittering pr. mail.",
            "invitation" => "Invitationen er sendt igen til den nye adresse.",
            _ => null,
        };
        return await RenderAsync(instanceId, partyId, contexts, reader, clock, message, AlertKind.Success, form: null, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> ActAsync(
        Guid instanceId, string partyId, string action, HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts,
        HearingCommands commands, HearingReader reader, DeadlineCalculator deadlines, IClock clock, CancellationToken cancellationToken)
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
            return await RenderAsync(instanceId, partyId, contexts, reader, clock, null, AlertKind.Error, null, StatusCodes.Status404NotFound, cancellationToken);
        }
        var actor = http.User.Actor();
        // The same target as the API's routes for the party.
        string Target() => $"instanceId={instanceId}, partyId={partyId}";
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
                    // The same before and after as the API's ChangePartyDeadline.
                    AuditTrail.Note(http, new AuditEntry("ChangePartyDeadline", Target(), Before: InstantPattern.ExtendedIso.Format(task.Deadline), After: json.ToJsonString()));
                    return outcome == HearingCommandOutcome.Done ? Back("frist") : await FailAsync(Explain(outcome, "Fristen"), form, StatusCodes.Status409Conflict);
                }
            case "svar":
                {
                    IResult Registered(AnswerOutcome.Accepted accepted)
                    {
                        AuditTrail.Note(http, new AuditEntry(accepted.Replaced ? "AnswerReplaced" : "RegisterAnswer", Target(),
                            Before: task.AnsweredAt is { } answeredAt ? $"besvaret {InstantPattern.ExtendedIso.Format(answeredAt)}" : "ubesvaret",
                            After: $"answerId={accepted.AnswerId}{(accepted.Replaced ? ", erstatter det tidligere svar" : "")}"));
                        return Back("svar");
                    }

                    var text = form["tekst"].ToString();
                    var noComments = form["ingenBemaerkninger"].ToString() == "true";
                    var files = form.Files.Where(f => f.Length > 0).Select(f => new AnswerFile(f.FileName, f.OpenReadStream())).ToList();
                    try
                    {
                        var outcome = await commands.SubmitAnswerAsync(task.Id, new AnswerSubmission(text, noComments, files, "staff", actor), cancellationToken);
                        return outcome switch
                        {
                            AnswerOutcome.Accepted accepted => Registered(accepted),
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
            RenderAsync(instanceId, partyId, contexts, reader, clock, error, AlertKind.Error, values, status, cancellationToken);
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
        Guid instanceId, string partyId, IDbContextFactory<ProcesFlowDbContext> contexts, HearingReader reader, IClock clock,
        string? message, AlertKind kind, IFormCollection? form, int status, CancellationToken cancellationToken)
    {
        var view = await HearingPartyView.LoadAsync(instanceId, partyId, contexts, reader, clock, cancellationToken);
        if (view is null)
        {
            return PagesSetup.Page<MessagePage>(new
            {
                Title = "Parten findes ikke i høringen",
                Text = message is null ? "Parten er ikke med i denne høring, eller høringen findes ikke." : $"{message} Parten er ikke med i denne høring, eller høringen findes ikke.",
                Kind = message is null ? (AlertKind?)null : AlertKind.Error,
                LinkHref = $"/hoeringer/{instanceId}",
                LinkText = "Til høringen",
            }, status == StatusCodes.Status200OK ? StatusCodes.Status404NotFound : status);
        }
        // A refused form keeps what was typed; the file inputs cannot be filled again.
        var values = form?.Keys.Where(k => k != "__RequestVerificationToken").ToDictionary(k => k, k => form[k].ToString(), StringComparer.Ordinal);
        return PagesSetup.Page<HearingPartyPage>(new { View = view, Message = message, MessageKind = kind, Values = values }, status);
    }
}
