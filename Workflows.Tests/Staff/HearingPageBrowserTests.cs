using Microsoft.Playwright;
using Workflows.Definitions.Parties;
using Workflows.Host.Api;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Staff;

/// <summary>
/// The hearing page of a standard hearing to the 19 Midtjylland kommuner in real Chromium at 1400 × 900: the matrix
/// fits without sideways scrolling, the timeline's date labels do not overlap and its legend names every mark.
/// </summary>
public sealed class HearingPageBrowserTests(BrowserFixture browser, HearingHost host) : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    [Fact]
    public async Task At1400Pixels_TheMatrixFits_TheTimelineLabelsDoNotOverlap_AndTheLegendExplainsEveryMark()
    {
        var started = await (await host.Api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new
            {
                title = "Rammeaftale 2020 for det specialiserede socialområde",
                caseNumber = "SAG-2019-08002",
                sender = "KKR Midtjylland",
                parties = "midtjylland",
                deadline = new { date = "2019-12-20", at = "12:00" },
            },
        })).ReadAsync<InstanceStarted>();
        foreach (var party in HearingHost.Parties.InRegion(DanishRegion.Midtjylland).Take(3))
        {
            await (await host.Api.PostJsonAsync($"/api/instances/{started.InstanceId}/parties/{party.Id}/answer", new { text = $"Svar fra {party.Name}." })).ReadAsync<SignalResult>();
        }
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1400, 900);
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/login").ToString());
        await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, $"/hoeringer/{started.InstanceId}").ToString());

        await Expect(page.Locator("table.matrix tbody tr")).ToHaveCountAsync(19);
        var overflow = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth, document.querySelector('table.matrix').scrollWidth, document.querySelector('table.matrix').parentElement.clientWidth]");
        Assert.True(overflow[0] <= overflow[1], $"The page scrolls sideways: {overflow[0]} px wide in a {overflow[1]} px window.");
        Assert.True(overflow[2] <= overflow[3], $"The matrix is {overflow[2]} px wide in {overflow[3]} px.");

        // 81 days from 1 October to 20 December: the labels are spaced, none touches the next.
        var labels = await page.Locator("svg.timeline-chart g > text").EvaluateAllAsync<double[][]>(
            "texts => texts.map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; })");
        Assert.True(labels.Length >= 5, $"Only {labels.Length} date labels.");
        for (var i = 1; i < labels.Length; i++)
        {
            Assert.True(labels[i][0] > labels[i - 1][1], $"Date label {i} starts at {labels[i][0]:0} px, before label {i - 1} ends at {labels[i - 1][1]:0} px.");
        }
        var chart = await page.Locator("svg.timeline-chart").BoundingBoxAsync();
        Assert.True(chart!.Width > 900, $"The timeline is only {chart.Width:0} px wide at 1400 px.");
        var legend = await page.GetByRole(AriaRole.List, new() { Name = "Forklaring til tidslinjen" }).Locator("li").AllInnerTextsAsync();
        Assert.Equal(["Svar modtaget den dag", "Påmindelser og rykkere sendt den dag", "Invitationer sendt den dag", "Frist (en forlænget frist får sin egen streg)", "I dag"], legend);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "hearing page at 1400 px");
    }
}
