using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Host.Audit;
using Workflows.Host.Pages;
using Workflows.Host.Security;

namespace Workflows.Host.Staff;

/// <summary>
/// The staff side of the web UI: sign-in and sign-out, and the routes of the dashboard pages (the overview
/// <c>/</c>, a hearing, a party in a hearing, a party across hearings, everything overdue). Server-rendered, in
/// Danish, usable without JavaScript; every page but the sign-in page is for signed-in staff only.
/// </summary>
public static class StaffPages
{
    /// <summary>The sign-in form's own rate limit, apart from the answer pages'.</summary>
    public const string SignInRateLimitPolicy = "sign-in";

    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", ShowSignIn).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/login", SignInAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(SignInRateLimitPolicy);
        app.MapPost("/logout", (Func<HttpContext, IAntiforgery, Task<IResult>>)SignOutAsync).RequireAuthorization(SecuritySetup.StaffPolicy).ExcludeFromDescription().DisableAntiforgery();
        var pages = app.MapGroup("").RequireAuthorization(SecuritySetup.StaffPolicy).ExcludeFromDescription();
        RoutePermissions.ApplyToStaffPages(pages);
        pages.MapGet("/", OverviewPage.ShowAsync);
        pages.MapGet("/hoeringer/{instanceId:guid}", HearingRoutes.ShowAsync);
        // Each form handler checks the anti-forgery token itself and answers a stale form with the page and a message.
        pages.MapPost("/hoeringer/{instanceId:guid}/paamind", HearingRoutes.RemindAllAsync).DisableAntiforgery().WithName("PageRemindAll");
        pages.MapPost("/hoeringer/{instanceId:guid}/fristforlaengelser/{requestId:guid}/{decision}", HearingRoutes.DecideExtensionAsync).DisableAntiforgery().WithName("PageDecideExtension");
        pages.MapPost("/hoeringer/{instanceId:guid}/svar/{answerId:guid}/behandlet", HearingRoutes.MarkHeldAnswerHandledAsync).DisableAntiforgery().WithName("PageMarkHeldAnswerHandled");
        pages.MapPost("/hoeringer/{instanceId:guid}/beslutninger/{activityId}", HearingRoutes.RecordDecisionAsync).DisableAntiforgery().WithName("PageRecordDecision");
        pages.MapPost("/hoeringer/{instanceId:guid}/opgaver/{activityId}", HearingRoutes.CompleteTaskAsync).DisableAntiforgery().WithName("PageCompleteTask");
        pages.MapGet("/hoeringer/{instanceId:guid}/parter/{partyId}", HearingPartyRoutes.ShowAsync);
        pages.MapPost("/hoeringer/{instanceId:guid}/parter/{partyId}/{action}", HearingPartyRoutes.ActAsync).DisableAntiforgery().WithName("PagePartyAction");
        pages.MapGet("/parter", PartyPage.ListAsync);
        pages.MapGet("/parter/{partyId}", PartyPage.ShowAsync);
        pages.MapGet("/overskredet", OverduePage.ShowAsync);
        return app;
    }

    public static IResult ShowSignIn(string? returnUrl) =>
        SignInPage(returnUrl, error: null, StatusCodes.Status200OK);

    public static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, AuditTrail audit, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return SignInPage(returnUrl, "Siden var udløbet. Prøv igen.", StatusCodes.Status400BadRequest);
        }
        var email = form["email"].ToString().Trim();
        var result = await accounts.SignInAsync(email, form["password"], cancellationToken);
        switch (result)
        {
            case SignInResult.LockedOut locked:
                await audit.RecordAsync(http, new AuditEntry("SignInLockedOut", Actor: email));
                return SignInPage(returnUrl,
                    $"Kontoen er midlertidigt låst efter for mange forkerte forsøg. Prøv igen efter {DanishText.DateTime(locked.Until.InZone(zone).LocalDateTime)}.", StatusCodes.Status423Locked);
            case SignInResult.Failed failed:
                await audit.RecordAsync(http, new AuditEntry(failed.LockedNow ? "SignInFailedLocked" : "SignInFailed", Actor: email));
                return SignInPage(returnUrl, "E-mail eller adgangskode er forkert.", StatusCodes.Status401Unauthorized);
        }
        var (user, identity) = (SignInResult.Success)result;
        await http.SignInAsync(SecuritySetup.StaffScheme, new ClaimsPrincipal(identity));
        await audit.RecordAsync(http, new AuditEntry("SignIn", Actor: user.Email));
        // Only local paths: a sign-in link must never send anyone to another site.
        return Results.Redirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
    }

    public static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await FormTokens.IsGenuineAsync(http, antiforgery))
        {
            return PagesSetup.Page<MessagePage>(new { Title = "Siden er udløbet", Text = "Formularen var for gammel. Gå til forsiden, og prøv igen.", LinkHref = "/", LinkText = "Til forsiden" }, StatusCodes.Status400BadRequest);
        }
        await http.SignOutAsync(SecuritySetup.StaffScheme);
        return Results.Redirect("/login");
    }

    private static IResult SignInPage(string? returnUrl, string? error, int status) =>
        PagesSetup.Page<SignInPage>(new { ReturnUrl = returnUrl, Error = error }, status);
}
