using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Workflows.Host.Security;

namespace Workflows.Host.Staff;

/// <summary>
/// The staff side of the web UI: sign-in and sign-out, and the routes of the dashboard pages (the overview
/// <c>/</c>, a hearing, a party in a hearing, a party across hearings, everything overdue). Server-rendered, in
/// Danish, usable without JavaScript; every page but the sign-in page is for signed-in staff only.
/// </summary>
public static class StaffPages
{
    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", ShowSignIn).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/login", SignInAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(Answers.AnswerPages.RateLimitPolicy);
        app.MapPost("/logout", (Func<HttpContext, Task<IResult>>)SignOutAsync).RequireAuthorization(SecuritySetup.StaffPolicy).ExcludeFromDescription().DisableAntiforgery();
        var pages = app.MapGroup("").RequireAuthorization(SecuritySetup.StaffPolicy).ExcludeFromDescription();
        pages.MapGet("/", OverviewPage.ShowAsync);
        pages.MapGet("/hoeringer/{instanceId:guid}", HearingPage.ShowAsync);
        pages.MapPost("/hoeringer/{instanceId:guid}/paamind", HearingPage.RemindAllAsync).DisableAntiforgery();
        pages.MapPost("/hoeringer/{instanceId:guid}/fristforlaengelser/{requestId:guid}/{decision}", HearingPage.DecideExtensionAsync).DisableAntiforgery();
        pages.MapPost("/hoeringer/{instanceId:guid}/svar/{answerId:guid}/behandlet", HearingPage.MarkHeldAnswerHandledAsync).DisableAntiforgery();
        pages.MapGet("/hoeringer/{instanceId:guid}/parter/{partyId}", HearingPartyPage.ShowAsync);
        pages.MapPost("/hoeringer/{instanceId:guid}/parter/{partyId}/{action}", HearingPartyPage.ActAsync).DisableAntiforgery();
        pages.MapGet("/parter", PartyPage.ListAsync);
        pages.MapGet("/parter/{partyId}", PartyPage.ShowAsync);
        pages.MapGet("/overskredet", OverduePage.ShowAsync);
        return app;
    }

    public static IResult ShowSignIn(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        SignInPage(http, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);

    public static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, CancellationToken cancellationToken)
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
        var user = await accounts.VerifyAsync(form["email"], form["password"], cancellationToken);
        if (user is null)
        {
            return SignInPage(http, antiforgery, returnUrl, "E-mail eller adgangskode er forkert.", StatusCodes.Status401Unauthorized);
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Email), new Claim(ClaimTypes.GivenName, user.Name), new Claim(ClaimTypes.NameIdentifier, user.Id.ToString())],
            SecuritySetup.StaffScheme);
        if (user.IsAdministrator)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, "Administrator"));
        }
        await http.SignInAsync(SecuritySetup.StaffScheme, new ClaimsPrincipal(identity));
        // Only local paths: a sign-in link must never send anyone to another site.
        return Results.Redirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
    }

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
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
