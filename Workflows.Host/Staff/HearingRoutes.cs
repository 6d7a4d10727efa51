using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;
using Workflows.Host.Api;
using Workflows.Host.Hearings;
using Workflows.Host.Pages;
using Workflows.Host.Pages.Shared;
using Workflows.Host.Persistence;
using Workflows.Host.Security;
using static Workflows.Host.Pages.FormTokens;

namespace Workflows.Host.Staff;

/// <summary>
/// The handlers of one hearing's page, <c>/hoeringer/{instanceId}</c> (<see cref="HearingPage"/>): showing it, and
/// its forms — remind all who have not answered, decide a request for more time, mark a held answer handled, record a
/// body's decision, finish a task. Each form is a POST followed by a redirect back; a refused one shows the page
/// again with the reason. The decision and the task go through the same handlers as the API.
/// </summary>
public static class HearingRoutes
{
    /// <summary>What the page says after a redirect, by the <c>udfoert</c> query value.</summary>
    private static readonly Dictionary<string, string> DoneMessages = new(StringComparer.Ordinal)
    {
        ["paamindet"] = "Påmindelsen er sendt til alle, der ikke har svaret.",
        ["imoedekommet"] = "Fristforlængelsen er givet, og parten har fået besked pr. mail.",
        ["afslaaet"] = "Anmodningen om fristforlængelse er afslået.",
        ["behandlet"] = "Svaret er markeret som behandlet.",
        ["beslutning"] = "Beslutningen er registreret, og forløbet er gået videre.",
        ["opgave"] = "Opgaven er markeret som løst, og forløbet er gået videre.",
    };

    /// <summary>The services every rendering of the page needs, bound from the request by the endpoint.</summary>
    public sealed record PageServices(
        IDbContextFactory<ProcesFlowDbContext> Contexts, PartyDirectory Directory, HearingReader Reader, DefinitionCatalog Catalog, IClock Clock);

    public static async Task<IResult> ShowAsync(Guid instanceId, HttpContext http, [AsParameters] PageServices services, CancellationToken cancellationToken)
    {
        var done = DoneMessages.GetValueOrDefault(http.Request.Query["udfoert"].ToString());
        return await RenderAsync(instanceId, services, done, AlertKind.Success, StatusCodes.Status200OK, cancellationToken);
    }

    /// <summary>"Påmind alle, der ikke har svaret".</summary>
    public static async Task<IResult> RemindAllAsync(
        Guid instanceId, HttpContext http, IAntiforgery antiforgery, HearingCommands commands, [AsParameters] PageServices services, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await FailAsync(instanceId, services, "Siden var udløbet, så intet blev sendt. Prøv igen.", StatusCodes.Status400BadRequest, cancellationToken);
        }
        var outcome = await commands.RemindAsync(instanceId, partyId: null, http.User.Actor(), cancellationToken);
        return outcome == HearingCommandOutcome.Done
            ? Back(instanceId, "paamindet")
            : await FailAsync(instanceId, services, HearingPartyRoutes.Explain(outcome, "Påmindelsen"), StatusCodes.Status409Conflict, cancellationToken);
    }

    /// <summary>"Markér som behandlet" for an answer the hearing could not take.</summary>
    public static async Task<IResult> MarkHeldAnswerHandledAsync(
        Guid instanceId, Guid answerId, HttpContext http, IAntiforgery antiforgery, HearingCommands commands, [AsParameters] PageServices services,
        CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await FailAsync(instanceId, services, "Siden var udløbet, så intet blev ændret. Prøv igen.", StatusCodes.Status400BadRequest, cancellationToken);
        }
        return await commands.MarkHeldAnswerHandledAsync(answerId, http.User.Actor(), cancellationToken)
            ? Back(instanceId, "behandlet")
            : await FailAsync(instanceId, services, "Svaret er allerede markeret som behandlet.", StatusCodes.Status409Conflict, cancellationToken);
    }

    /// <summary>Grants (with the date the party asked for) or refuses a pending request for a longer deadline.</summary>
    public static async Task<IResult> DecideExtensionAsync(
        Guid instanceId, Guid requestId, string decision, HttpContext http, IAntiforgery antiforgery, HearingCommands commands,
        [AsParameters] PageServices services, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(http, antiforgery))
        {
            return await FailAsync(instanceId, services, "Siden var udløbet, så intet blev ændret. Prøv igen.", StatusCodes.Status400BadRequest, cancellationToken);
        }
        IResult result = decision switch
        {
            "imoedekom" => (await ExtensionRequestsApi.GrantAsync(requestId, null, commands, services.Contexts, services.Clock, http, cancellationToken)).Result,
            "afslaa" => (await ExtensionRequestsApi.RefuseAsync(requestId, commands, services.Contexts, services.Clock, http, cancellationToken)).Result,
            _ => TypedResults.NotFound(),
        };
        if (result is Ok<ExtensionDecision>)
        {
            return Back(instanceId, decision == "imoedekom" ? "imoedekommet" : "afslaaet");
        }
        var (message, status) = result switch
        {
            ProblemHttpResult { StatusCode: StatusCodes.Status409Conflict } =>
                ("Anmodningen er allerede afgjort, eller høringen er lukket, så fristen ikke kan ændres.", StatusCodes.Status409Conflict),
            ValidationProblem =>
                ("Anmodningen nævner ingen gyldig ønsket frist. Sæt en ny frist på partens side i stedet.", StatusCodes.Status400BadRequest),
            _ => ("Anmodningen findes ikke.", StatusCodes.Status404NotFound),
        };
        return await FailAsync(instanceId, services, message, status, cancellationToken);
    }

    /// <summary>A body's decision on the item the process waits at, with an optional note (the API's <c>RecordDecision</c>).</summary>
    public static async Task<IResult> RecordDecisionAsync(
        Guid instanceId, string activityId, HttpContext http, IAntiforgery antiforgery, WorkflowRuntime runtime, [AsParameters] PageServices services,
        CancellationToken cancellationToken)
    {
        if (await ReadFormAsync(http, cancellationToken) is not { } form || !await IsGenuineAsync(http, antiforgery))
        {
            return await FailAsync(instanceId, services, "Siden var udløbet, så intet blev registreret. Prøv igen.", StatusCodes.Status400BadRequest, cancellationToken);
        }
        var outcome = form["udfald"].ToString();
        var note = form["bemaerkning"].ToString();
        var request = new DecisionRequest(outcome.Length == 0 ? null : outcome, note.Trim().Length == 0 ? null : note);
        var result = (await DecisionsApi.RecordDecisionAsync(instanceId, activityId, request, runtime, services.Contexts, http, cancellationToken)).Result;
        return result switch
        {
            Ok<SignalResult> => Back(instanceId, "beslutning"),
            ValidationProblem => await FailAsync(instanceId, services, "Vælg beslutningen: godkendt, ikke godkendt, udsat eller drøftet, som punktet tillader.", StatusCodes.Status400BadRequest, cancellationToken),
            _ => await FailAsync(instanceId, services, "Forløbet venter ikke længere på denne beslutning. Den kan være registreret af en anden; se forløbet nedenfor.", StatusCodes.Status409Conflict, cancellationToken),
        };
    }

    /// <summary>Marks the task the process waits at as done, with an optional note (the API's <c>CompleteTask</c>).</summary>
    public static async Task<IResult> CompleteTaskAsync(
        Guid instanceId, string activityId, HttpContext http, IAntiforgery antiforgery, WorkflowRuntime runtime, [AsParameters] PageServices services,
        CancellationToken cancellationToken)
    {
        if (await ReadFormAsync(http, cancellationToken) is not { } form || !await IsGenuineAsync(http, antiforgery))
        {
            return await FailAsync(instanceId, services, "Siden var udløbet, så intet blev registreret. Prøv igen.", StatusCodes.Status400BadRequest, cancellationToken);
        }
        var note = form["bemaerkning"].ToString();
        var result = (await DecisionsApi.CompleteTaskAsync(instanceId, activityId, new CompleteTaskRequest(note.Trim().Length == 0 ? null : note), runtime, services.Contexts, http, cancellationToken)).Result;
        return result is Ok<SignalResult>
            ? Back(instanceId, "opgave")
            : await FailAsync(instanceId, services, "Forløbet venter ikke længere på denne opgave. Den kan være markeret som løst af en anden; se forløbet nedenfor.", StatusCodes.Status409Conflict, cancellationToken);
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return http.Request.HasFormContentType ? await http.Request.ReadFormAsync(cancellationToken) : null;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            return null;
        }
    }

    private static RedirectHttpResult Back(Guid instanceId, string done) => TypedResults.Redirect($"/hoeringer/{instanceId}?udfoert={done}");

    private static Task<IResult> FailAsync(Guid instanceId, PageServices services, string message, int status, CancellationToken cancellationToken) =>
        RenderAsync(instanceId, services, message, AlertKind.Error, status, cancellationToken);

    private static async Task<IResult> RenderAsync(Guid instanceId, PageServices services, string? message, AlertKind kind, int status, CancellationToken cancellationToken)
    {
        var view = await HearingView.LoadAsync(instanceId, services.Contexts, services.Directory, services.Reader, services.Catalog, services.Clock, cancellationToken);
        if (view is null)
        {
            return PagesSetup.Page<MessagePage>(new
            {
                Title = "Høringen findes ikke",
                Text = "Der er ingen høring med dette nummer. Den kan være slettet, eller linket kan være forkert.",
                LinkHref = "/",
                LinkText = "Til overblikket",
            }, StatusCodes.Status404NotFound);
        }
        return PagesSetup.Page<HearingPage>(new { View = view, Message = message, MessageKind = kind }, status);
    }
}
