using System.Collections.Frozen;
using System.Security.Cryptography;
using Workflows.Host.Pages;
using Workflows.Host.Security;

namespace Workflows.Host.Designer;

/// <summary>
/// <c>/designer</c>: the visual designer for signed-in staff. The page is a small server-rendered shell
/// (<see cref="DesignerShell"/>); the designer itself is the front-end module in <c>Designer/client</c>, built by Vite
/// during the MSBuild build and embedded in this assembly (see Workflows.Host.csproj), served from <c>/designer/assets/</c>.
/// </summary>
public static class DesignerPages
{
    private static readonly FrozenDictionary<string, Asset> Assets = LoadAssets();

    public static IEndpointRouteBuilder MapDesignerPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/designer").RequireAuthorization(SecuritySetup.StaffPolicy).ExcludeFromDescription();
        pages.MapGet("", Shell);
        // Deep links (a definition, an instance, the print page) are handled by the front end.
        pages.MapGet("{**rest}", (string rest) => rest.StartsWith("assets/", StringComparison.Ordinal) ? Results.NotFound() : Shell());
        pages.MapGet("assets/{name}", ServeAsset);
        return app;
    }

    /// <summary>The shell page (<see cref="DesignerShell"/>), naming each asset with its content hash.</summary>
    public static IResult Shell() => PagesSetup.Page<DesignerShell>(new
    {
        ScriptHash = Assets.GetValueOrDefault("designer.js")?.Hash,
        StyleHash = Assets.GetValueOrDefault("designer.css")?.Hash,
    });

    public static IResult ServeAsset(string name, HttpContext http)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }
        // The shell names each asset with its content hash in the query string, so a cached copy is never stale.
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> LoadAssets()
    {
        var assembly = typeof(DesignerPages).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("designer/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource["designer/".Length..];
            var type = name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            assets[name] = new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..16]);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, string ContentType, string Hash);
}
