using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Workflows.Tests.Browser;

/// <summary>axe-core, run inside the page by Deque.AxeCore.Playwright.</summary>
internal static class Accessibility
{
    private static readonly string[] Blocking = ["serious", "critical"];

    /// <summary>Fails with every serious or critical violation axe-core finds on the page as it is now.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => Blocking.Contains(v.Impact, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.True(blocking.Count == 0, $"axe-core on the {what} ({page.Url}):\n" + string.Join('\n', blocking.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
        // Passes and lesser findings are not asserted, but the run must have checked something.
        Assert.NotEmpty(result.Passes);
    }
}
