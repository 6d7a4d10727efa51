using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;

namespace Workflows.Host.Staff;

/// <summary>
/// The frame of every staff page (header, navigation, styles, the optional refresh script) and the small helpers
/// the pages share: encoding, Danish names and numbers, the anti-forgery field, messages.
/// </summary>
internal static class StaffLayout
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string? text) => Encoder.Encode(text ?? "");

    /// <summary>Encoded, with its line breaks kept (the encoder writes them as character references).</summary>
    public static string EncodeLines(string? text) => Encode(text?.ReplaceLineEndings("\n")).Replace("&#xA;", "\n", StringComparison.Ordinal);

    public static string AntiforgeryField(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"""<input type="hidden" name="{Encode(tokens.FormFieldName)}" value="{Encode(tokens.RequestToken!)}">""";
    }

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

    public static string Error(string message) => $"""<div role="alert" class="error"><p>{Encode(message)}</p></div>""";

    public static string Done(string message) => $"""<div role="status" class="done"><p>{Encode(message)}</p></div>""";

    /// <summary>A page for a signed-in member of staff, with the navigation and the sign-out button.</summary>
    public static IResult Page(HttpContext http, IAntiforgery antiforgery, string title, string body, int status = StatusCodes.Status200OK, bool refresh = false)
    {
        var path = http.Request.Path.Value ?? "/";
        string Link(string href, string text, bool current) =>
            $"""<li><a href="{href}"{(current ? " aria-current=\"page\"" : "")}>{text}</a></li>""";
        var navigation = $"""
            <nav aria-label="Hovedmenu"><ul>
            {Link("/", "Overblik", path == "/" || path.StartsWith("/hoeringer", StringComparison.Ordinal))}
            {Link("/overskredet", "Overskredne svar", path == "/overskredet")}
            {Link("/parter", "Parter", path.StartsWith("/parter", StringComparison.Ordinal))}
            {Link("/designer", "Designer", false)}
            {(http.User.IsInRole(Security.StaffRoles.Administrator) ? Link("/admin", "Administration", path.StartsWith("/admin", StringComparison.Ordinal)) : "")}
            </ul></nav>
            <form method="post" action="/logout" class="signout">{AntiforgeryField(http, antiforgery)}<span>{Encode(http.User.Identity?.Name)}</span> <button type="submit">Log ud</button></form>
            """;
        return Layout(title, body, navigation, status, refresh);
    }

    /// <summary>The whole document. <paramref name="refresh"/> adds a small script that refreshes the live parts; the page reads the same without it.</summary>
    public static IResult Layout(string title, string body, string? navigation, int status, bool refresh = false) =>
        Results.Content(Document(title, body, navigation, refresh), "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string Document(string title, string body, string? navigation, bool refresh) =>
            $$"""
            <!DOCTYPE html>
            <html lang="da">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{Encode(title)}} – ProcesFlow</title>
            <style>{{Styles}}</style></head>
            <body><a class="skip" href="#indhold">Gå til indhold</a><header><a href="/" class="brand">ProcesFlow</a>{{navigation}}</header>
            <main id="indhold" tabindex="-1"><h1>{{Encode(title)}}</h1>{{body}}</main>{{(refresh ? $"<script>{RefreshScript}</script>" : "")}}</body>
            </html>
            """;

    private const string Styles = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.5}
        header{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;align-items:center;padding:.5rem 1.5rem;background:#0b3d6e;color:#fff}
        header a{color:#fff}header nav ul{display:flex;gap:1.25rem;list-style:none;margin:0;padding:0}header a[aria-current]{font-weight:700;text-decoration-thickness:3px}
        .brand{font-weight:700}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#0b3d6e;padding:.5rem;z-index:1}
        main{padding:1rem 1.5rem;max-width:90rem}a{color:#0b57a4}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f2a900;outline-offset:2px}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ccc;vertical-align:top}
        thead th{background:#eef2f6}caption{text-align:left;font-weight:600;padding:.5rem 0}.num{text-align:right}
        .error{border-left:4px solid #b00020;padding:.25rem 1rem;background:#fdecee}.done{border-left:4px solid #1b6e20;padding:.25rem 1rem;background:#e8f5e9}
        label{font-weight:600}button,input,select,textarea{font-size:1rem;font-family:inherit}button{padding:.4rem 1rem}.signout{display:inline}
        .filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;margin:0 0 1rem;padding:.75rem;background:#f4f6f8;border:1px solid #ccc}
        .filters p{margin:0}.filters label{display:block}
        .ok{color:#1b5e20}.bad{color:#a00018;font-weight:600}.warn{color:#7a4b00}.neutral{color:#1a1a1a}
        .matrix td,.matrix th{white-space:nowrap}.matrix td a{display:block}.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}.facts dt{font-weight:600}.facts dd{margin:0}
        .actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}.actions form{border:1px solid #ccc;padding:.75rem}.actions h3{margin-top:0}
        blockquote{white-space:pre-wrap;border-left:4px solid #0b57a4;margin:.5rem 0;padding:.25rem 1rem;background:#f4f6f8}
        .chart{max-width:100%;height:auto}.pages{display:flex;gap:1rem;list-style:none;padding:0}.muted{color:#555}
        """;

    /// <summary>
    /// Progressive enhancement: every 60 seconds the parts marked <c>data-live</c> are fetched again and replaced,
    /// unless the visitor is typing in a form. Without JavaScript the page simply stays as it was loaded.
    /// </summary>
    public const string RefreshScript = """
        (function () {
          var parts = document.querySelectorAll('[data-live]');
          if (!parts.length || !window.fetch || !window.DOMParser) { return; }
          setInterval(function () {
            var active = document.activeElement;
            if (active && /INPUT|TEXTAREA|SELECT/.test(active.tagName)) { return; }
            fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
              .then(function (r) { return r.ok ? r.text() : null; })
              .then(function (html) {
                if (!html) { return; }
                var fresh = new DOMParser().parseFromString(html, 'text/html');
                parts.forEach(function (part) {
                  var next = fresh.getElementById(part.id);
                  if (next) { part.innerHTML = next.innerHTML; }
                });
              })
              .catch(function () { });
          }, 60000);
        })();
        """;
}
