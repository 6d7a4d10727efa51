using Microsoft.AspNetCore.Antiforgery;

namespace Workflows.Host.Pages;

/// <summary>
/// The anti-forgery check of the pages' form handlers. Each handler checks the token itself (its route disables the
/// framework's check), so a stale form is answered with the page and a Danish message instead of a bare 400.
/// </summary>
internal static class FormTokens
{
    /// <summary>True when the form carries a valid anti-forgery token for this visitor.</summary>
    public static async Task<bool> IsGenuineAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }
}
