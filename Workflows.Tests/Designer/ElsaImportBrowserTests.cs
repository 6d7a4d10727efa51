using Microsoft.Playwright;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Designer;

/// <summary>"Importér fra Elsa" in the designer, in real Chromium: one of Elsa's own workflows becomes a draft on the canvas with its report.</summary>
public sealed class ElsaImportBrowserTests(BrowserFixture browser, HearingHost host) : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    [Theory]
    [InlineData("fork.json", "fork", "4 overført, 0 tilnærmet, 0 ikke understøttet. Kladden kan udgives.", 4)]
    [InlineData("fork-decision-join-waitall.json", "fork-issues", "8 overført, 0 tilnærmet, 1 ikke understøttet. Kladden kan først udgives, når pladsholderne er erstattet.", 9)]
    public async Task ElsasOwnWorkflow_OpensAsADraft_WithItsReport(string sample, string definitionId, string summary, int elsaActivities)
    {
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1600, 1000);
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/designer/ny").ToString());
        await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nyt forløb" })).ToBeVisibleAsync();

        await page.GetByLabel("Importér fra Elsa").SetInputFilesAsync(Path.Combine(Interop.Elsa.ElsaImportTests.SamplesFolder, sample));

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Import fra Elsa" });
        await Expect(dialog.GetByTestId("elsa-summary")).ToHaveTextAsync(summary);
        await Expect(dialog.GetByTestId("elsa-report").Locator("tbody tr")).ToHaveCountAsync(elsaActivities);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Elsa import report");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Luk" }).ClickAsync();
        // Every Elsa activity on the canvas, and the Start these flows lack, which the import adds (and reports).
        await Expect(page.Locator(".react-flow__node.react-flow__node-activity")).ToHaveCountAsync(elsaActivities + 1);
        // The draft is saved like any other edit: the next person finds it among the flows.
        await Expect(page.GetByTestId("designer-status")).ToHaveTextAsync("Kladden er gemt som version 1.");
        var saved = await (await host.Api.GetAsync($"/api/definitions/{definitionId}")).ReadAsync<System.Text.Json.Nodes.JsonObject>();
        Assert.Equal((1, false), (saved["version"]!.GetValue<int>(), saved["isPublished"]!.GetValue<bool>()));
    }
}
