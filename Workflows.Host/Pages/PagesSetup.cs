using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Workflows.Host.Pages;

/// <summary>
/// The web pages are Razor components rendered on the server (<see cref="RazorComponentResult"/>): no interactivity,
/// no JavaScript needed, and the framework encodes every value, so nothing is escaped by hand. They are styled by
/// Det Fælles Designsystem, which the host serves itself (<see cref="DesignSystemAssets"/>).
/// </summary>
public static class PagesSetup
{
    public static IHostApplicationBuilder AddProcesFlowPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        // The renderer's encoder: leave æ, ø and å (and every other letter) as they are, encode what HTML needs.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return builder;
    }

    /// <summary>A page with its status code: the component and its parameters (an anonymous object of property values).</summary>
    public static IResult Page<TPage>(object? parameters = null, int status = StatusCodes.Status200OK)
        where TPage : IComponent => new RazorComponentResult<TPage>(parameters ?? new { }) { StatusCode = status };
}
