namespace Workflows.Host.Security;

/// <summary>
/// Security headers on every response: a Content-Security-Policy that allows only this origin's script files (no
/// inline script), no framing, no MIME sniffing, and no referrer (an answer link carries its
/// token in the path and must never leak to a linked site). The Hangfire dashboard and the API reference are
/// third-party pages with inline scripts: they get a policy that allows those, and only administrators reach them.
/// </summary>
public static class SecurityHeaders
{
    public static readonly string ContentSecurityPolicy =
        "default-src 'self'; "
        // Our pages' scripts are files of this host (Pages/Assets): no inline script is allowed at all.
        + "script-src 'self'; "
        // React Flow positions nodes with style attributes; the pages have one <style> block each.
        + "style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>For the Hangfire dashboard and the Scalar API reference (administrators only): their inline scripts and styles.</summary>
    public static readonly string ToolsContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            var tools = http.Request.Path.StartsWithSegments("/hangfire") || http.Request.Path.StartsWithSegments("/scalar");
            headers.ContentSecurityPolicy = tools ? ToolsContentSecurityPolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }
            return Task.CompletedTask;
        });
        await next(http);
    });
}
