using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Workflows.Host.Pages;
using Workflows.Host.Pages.Shared;
using Workflows.Host.Security;

namespace Workflows.Host.Hosting;

/// <summary>
/// What a person's browser gets when a page cannot be shown: a Danish page (unknown address, refused role, an
/// unexpected error) with the status code kept and never a stack trace. API clients (<c>/api</c>, the OpenAPI
/// document, or a request that does not ask for HTML) keep the problem details JSON.
/// </summary>
public static class ErrorPages
{
    /// <summary>The Danish page for an empty error response (404, 403, 405 …), problem details for API clients.</summary>
    public static IApplicationBuilder UseDanishStatusCodePages(this IApplicationBuilder app)
    {
        // The framework's own handler (problem details when the service is registered), for everything that is not a page.
        var problemDetails = new StatusCodePagesOptions().HandleAsync;
        return app.UseStatusCodePages(new StatusCodePagesOptions
        {
            HandleAsync = async context =>
            {
                if (!WantsPage(context.HttpContext.Request))
                {
                    await problemDetails(context);
                    return;
                }
                var status = context.HttpContext.Response.StatusCode;
                await WriteAsync(context.HttpContext, status);
            },
        });
    }

    /// <summary>The "Adgang nægtet" page with status 403 (the staff cookie's access-denied event uses it).</summary>
    public static Task WriteForbiddenAsync(HttpContext http) => WriteAsync(http, StatusCodes.Status403Forbidden);

    /// <summary>True for a browser asking for a page: not the API or its document, and HTML accepted.</summary>
    public static bool WantsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/openapi")
        && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private static async Task WriteAsync(HttpContext http, int status)
    {
        // An unknown address has no endpoint and so no authorization: read the staff cookie here, so a signed-in member
        // of staff keeps the menu (and a visitor gets the plain frame).
        if (http.User.Identity?.IsAuthenticated != true && await http.AuthenticateAsync(SecuritySetup.StaffScheme) is { Succeeded: true } staff)
        {
            http.User = staff.Principal;
        }
        var signedIn = http.User.Identity?.IsAuthenticated == true;
        var (title, text, kind) = status switch
        {
            StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed or StatusCodes.Status410Gone =>
                ("Siden findes ikke", "Der er ingen side på denne adresse. Måske er linket forældet, eller adressen er skrevet forkert.", AlertKind.Info),
            StatusCodes.Status403Forbidden =>
                ("Adgang nægtet", "Din rolle giver ikke adgang til denne side eller handling. Kontakt en administrator, hvis du skal have en anden rolle.", AlertKind.Warning),
            StatusCodes.Status429TooManyRequests =>
                ("For mange forsøg", "Der er kommet for mange forespørgsler fra din adresse på kort tid. Vent et minut, og prøv igen.", AlertKind.Warning),
            >= 500 =>
                ("Der skete en fejl", "Siden kunne ikke vises på grund af en fejl hos os. Fejlen er skrevet i loggen. Prøv igen om lidt, og kontakt en administrator, hvis den bliver ved.", AlertKind.Error),
            _ =>
                ("Siden kunne ikke vises", "Forespørgslen kunne ikke behandles. Gå tilbage, og prøv igen.", AlertKind.Warning),
        };
        await PagesSetup.Page<MessagePage>(new
        {
            Title = title,
            Text = text,
            Kind = (AlertKind?)kind,
            LinkHref = "/",
            LinkText = signedIn ? "Til overblikket" : "Til forsiden",
            Public = !signedIn,
        }, status).ExecuteAsync(http);
    }

    /// <summary>An unexpected error on a page: the Danish 500 page; the API's errors go on to the problem details handler.</summary>
    internal sealed class PageExceptionHandler(ILogger<PageExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (!WantsPage(httpContext.Request))
            {
                return false;
            }
            logger.LogError(exception, "An unexpected error on page {Path}.", httpContext.Request.Path);
            await WriteAsync(httpContext, StatusCodes.Status500InternalServerError);
            return true;
        }
    }
}
