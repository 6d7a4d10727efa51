using Microsoft.Playwright;

namespace Workflows.Tests.Support;

/// <summary>
/// One headless Debian Chromium (<c>/usr/bin/chromium</c>, from apt) per test class, driven by Playwright. The
/// browser Playwright would download is never used: <c>playwright install</c> cannot work on these machines.
/// Each test takes its own context (cookies, storage) from <see cref="NewPageAsync"/>; the contexts close with
/// the browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? playwright;
    private IBrowser? browser;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing; the browser tests need the Debian package chromium (scripts/test.sh installs it). Do not run `playwright install`.");
        }
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Arguments,
        });
    }

    /// <summary>A page in a fresh context, as a Danish user would have it; <paramref name="javaScript"/> off proves a page needs none.</summary>
    public async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "da-DK",
            TimezoneId = "Europe/Copenhagen",
            JavaScriptEnabled = javaScript,
        });
        context.SetDefaultTimeout(15_000);
        // Expectations wait for a state (the designer's 2 MB module parsed and opened, a list refreshed), never
        // measure speed: on a loaded 2-core runner the default 5 s is too short for the first, so they wait as long
        // as actions do.
        Assertions.SetDefaultExpectTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }
        playwright?.Dispose();
    }
}
