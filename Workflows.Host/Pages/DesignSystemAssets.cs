using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;

namespace Workflows.Host.Pages;

/// <summary>
/// <c>/design/…</c>: Det Fælles Designsystem's stylesheet, fonts and icons, and the pages' own stylesheet, scripts
/// and icon (<c>/design/procesflow/…</c>), embedded in the host at build time. Public, like the sign-in and answer
/// pages that need them; nothing here depends on who asks.
/// </summary>
public static class DesignSystemAssets
{
    public const string Prefix = "/design";

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapDesignSystem(this IEndpointRouteBuilder app)
    {
        app.MapGet(Prefix + "/{**path}", Serve).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        // Browsers ask for /favicon.ico on their own; the pages name the SVG icon, this covers the rest.
        app.MapGet("/favicon.ico", () => Results.Redirect(Prefix + "/procesflow/favicon.svg", permanent: true)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(string path, HttpContext http)
    {
        if (!Files.TryGetValue(path, out var content))
        {
            return Results.NotFound();
        }
        // The files change only with a new build of the host: a day in the browser's cache is safe.
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.Bytes(content, ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream");
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("design/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource["design/".Length..]] = copy.ToArray();
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
