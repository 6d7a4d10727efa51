using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Host.Audit;
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
        pages.MapGet("/hoeringer/{instanceId:guid}", HearingPage.ShowAsync);
        // Each form handler checks the anti-forgery token itself and answers a stale form with the page and a message.
        pages.MapPost("/hoeringer/{instanceId:guid}/paamind", HearingPage.RemindAllAsync).DisableAntiforgery().WithName("PageRemindAll");
        pages.MapPost("/hoeringer/{instanceId:guid}/fristforlaengelser/{requestId:guid}/{decision}", HearingPage.DecideExtensionAsync).DisableAntiforgery().WithName("PageDecideExtension");
        pages.MapPost("/hoeringer/{instanceId:guid}/svar/{answerId:guid}/behandlet", HearingPage.MarkHeldAnswerHandledAsync).DisableAntiforgery().WithName("PageMarkHeldAnswerHandled");
        pages.MapGet("/hoeringer/{instanceId:guid}/parter/{partyId}", HearingPartyPage.ShowAsync);
        pages.MapPost("/hoeringer/{instanceId:guid}/parter/{partyId}/{action}", HearingPartyPage.ActAsync).DisableAntiforgery().WithName("PagePartyAction");
        pages.MapGet("/parter", PartyPage.ListAsync);
        pages.MapGet("/parter/{partyId}", PartyPage.ShowAsync);
        pages.MapGet("/overskredet", OverduePage.ShowAsync);
        return app;
    }

    public static IResult ShowSignIn(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        SignInPage(http, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);

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
            return SignInPage(http, antiforgery, returnUrl, "Siden var udløbet. Prøv igen.", StatusCodes.Status400BadRequest);
        }
        var email = form["email"].ToString().Trim();
        var result = await accounts.SignInAsync(email, form["password"], cancellationToken);
        switch (result)
        {
            case SignInResult.LockedOut locked:
                await audit.RecordAsync(http, new AuditEntry("SignInLockedOut", Actor: email));
                return SignInPage(http, antiforgery, returnUrl,
                    $"Kontoen er midlertidigt låst efter for mange forkerte forsøg. Prøv igen efter {DanishText.DateTime(locked.Until.InZone(zone).LocalDateTime)}.", StatusCodes.Status423Locked);
            case SignInResult.Failed failed:
                await audit.RecordAsync(http, new AuditEntry(failed.LockedNow ? "SignInFailedLocked" : "SignInFailed", Actor: email));
                return SignInPage(http, antiforgery, returnUrl, "E-mail eller adgangskode er forkert.", StatusCodes.Status401Unauthorized);
        }
        var user = ((SignInResult.Success)result).User;
        await http.SignInAsync(SecuritySetup.StaffScheme, new ClaimsPrincipal(StaffAccounts.IdentityOf(user)));
        await audit.RecordAsync(http, new AuditEntry("SignIn", Actor: user.Email));
        // Only local paths: a sign-in link must never send anyone to another site.
        return Results.Redirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
    }

    public static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await StaffLayout.IsGenuineAsync(http, antiforgery))
        {
            return StaffLayout.Layout("Siden er udløbet", "<p>Formularen var for gammel. <a href=\"/\">Gå til forsiden</a> og prøv igen.</p>", navigation: null, StatusCodes.Status400BadRequest);
        }
        await http.SignOutAsync(SecuritySetup.StaffScheme);
        return Results.Redirect("/login");
    }

    private static IResult SignInPage(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var body = new StringBuilder();
        if (error is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<div role=\"alert\" class=\"error\"><p>{StaffLayout.Encode(error)}</p></div>");
        }
        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="/login">
              <input type="hidden" name="{StaffLayout.Encode(tokens.FormFieldName)}" value="{StaffLayout.Encode(tokens.RequestToken!)}">
              <input type="hidden" name="returnUrl" value="{StaffLayout.Encode(returnUrl ?? "/")}">
              <p><label for="email">E-mail</label><br><input id="email" name="email" type="email" autocomplete="username" required></p>
              <p><label for="password">Adgangskode</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
              <p><button type="submit">Log ind</button></p>
            </form>
            """);
        return StaffLayout.Layout("Log ind", body.ToString(), navigation: null, status);
    }
}
