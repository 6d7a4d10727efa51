using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Host.Api;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Designer;

/// <summary>
/// The designer in real Chromium against the real host (Kestrel, SQLite, simulated clock at tirsdag 1 October 2019
/// 10:00, every file of definitions-json/ published at start). axe-core checks the designer and its dialogs.
/// </summary>
public sealed partial class DesignerBrowserTests(BrowserFixture browser, HearingHost host, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    private static readonly string DefinitionsFolder = Path.Combine(RepositoryRoot(), "definitions-json");

    private async Task<IPage> SignInAsync(string path)
    {
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1600, 1000);
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, path).ToString());
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path.Split('?')[0]) + "$"));
        return page;
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/designer").ToString());
        await Expect(page).ToHaveURLAsync(LoginUrl());
        Assert.Equal(200, response!.Status);
        await Expect(page.GetByLabel("Adgangskode")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task KeyboardOnly_StartHearingFinish_SjaellandIn10WorkingDays_DanglingPortRefused_Fixed_Published_InstanceView()
    {
        var page = await SignInAsync("/designer/ny");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nyt forløb" })).ToBeVisibleAsync();
        await page.GetByLabel("Id (små bogstaver, tal og bindestreger)").FillAsync("tastatur-hoering");
        await page.GetByLabel("Forløbets navn").FillAsync("Høring bygget med tastaturet");

        // Start → Send i høring → Afslut, added from the palette with Enter.
        var palette = page.GetByRole(AriaRole.Complementary, new() { Name = "Aktiviteter" });
        await PressAsync(page, palette.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }), "Enter");
        await page.GetByLabel("Søg aktivitet").FillAsync("høring");
        await Expect(palette.GetByRole(AriaRole.Button, new() { Name = "Afslut", Exact = true })).ToHaveCountAsync(0);
        await PressAsync(page, palette.GetByRole(AriaRole.Button, new() { Name = "Send i høring", Exact = true }), "Enter");
        await page.GetByLabel("Søg aktivitet").FillAsync("");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Egenskaber for Send i høring" })).ToBeVisibleAsync();

        // The hearing's properties: title, Region Sjælland (17 kommuner), 10 working days at 12:00 with its Danish date.
        await page.GetByLabel("Titel (skal udfyldes) (Liquid-tekst)").FillAsync("Høring om rammeaftale");
        await page.GetByLabel("Region", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Region Sjælland" });
        await Expect(page.GetByTestId("party-summary")).ToHaveTextAsync("Region Sjælland: 17 kommuner");
        var deadline = page.GetByRole(AriaRole.Group, new() { Name = "Frist (skal udfyldes)" });
        await deadline.GetByLabel("Antal arbejdsdage").FillAsync("10");
        await deadline.GetByLabel("Klokkeslæt (tt:mm)").FillAsync("12:00");
        // Sent tirsdag 1 October 2019 10:00 (the simulated clock): 10 working days later is tirsdag 15 October.
        await Expect(deadline.GetByTestId("deadline-preview")).ToHaveTextAsync("Fristen bliver tirsdag den 15. oktober 2019 kl. 12.00");

        // A reminder plan as rows, not JSON: 2 working days before the deadline at 09:00.
        await PressAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Tilføj påmindelse" }), "Enter");
        await page.GetByLabel("Påmindelse 1: antal").FillAsync("2");
        await Expect(page.GetByLabel("Påmindelse 1: enhed")).ToHaveValueAsync("workingDaysBefore");
        await Expect(page.GetByLabel("Påmindelse 1: klokkeslæt")).ToHaveValueAsync("09:00");

        await PressAsync(page, palette.GetByRole(AriaRole.Button, new() { Name = "Afslut", Exact = true }), "Enter");
        await page.GetByLabel("Navn", new() { Exact = true }).FillAsync("Slut");

        // Connect through the "Forbind … til" menus: Start → hearing, hearing (Alle har svaret) → Slut; the
        // hearing's "Fristen er udløbet" is left dangling on purpose.
        await page.GetByLabel("Vælg aktivitet").SelectOptionAsync("start");
        await page.GetByLabel("Forbind »Færdig« til …").SelectOptionAsync("hearing");
        await page.GetByLabel("Vælg aktivitet").SelectOptionAsync("hearing");
        await page.GetByLabel("Forbind »Alle har svaret« til …").SelectOptionAsync("finish");
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(2);

        // The server's check of the connected flow is in (it redraws the nodes' ports): the dangling port is its one error.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Problemer (1 fejl)" })).ToBeVisibleAsync();

        // Arrow keys move the focused node; Delete removes it; undo brings it back.
        var finishNode = page.Locator(".react-flow__node[data-id='finish']");
        var before = await finishNode.GetAttributeAsync("style");
        // Focus selects the node; the arrow keys move a selected node only, so wait until it is marked selected,
        // as a person waits for the selection ring (a key pressed earlier is lost under load).
        await finishNode.FocusAsync();
        await Expect(finishNode).ToHaveClassAsync(new Regex(@"\bselected\b"));
        await Expect(finishNode).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        // Two steps of 20 px down, nothing sideways.
        var (x, y) = Translation(before!);
        await Expect(finishNode).ToHaveAttributeAsync("style", new Regex(Regex.Escape(string.Create(CultureInfo.InvariantCulture, $"translate({x}px, {y + 40}px)"))));
        await page.Keyboard.PressAsync("Delete");
        await Expect(finishNode).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Control+z");
        await Expect(finishNode).ToHaveCountAsync(1);
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(2);

        // Copy and paste give the copy a new id; undo takes it away again.
        await Expect(finishNode).ToBeVisibleAsync();
        await finishNode.FocusAsync();
        await Expect(finishNode).ToHaveClassAsync(new Regex(@"\bselected\b"));
        await page.Keyboard.PressAsync("Control+c");
        await page.Keyboard.PressAsync("Control+v");
        await Expect(page.Locator(".react-flow__node[data-id='finish-2']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".react-flow__node[data-id='finish-2']")).ToContainTextAsync("Slut");
        await page.Keyboard.PressAsync("Control+z");
        await Expect(page.Locator(".react-flow__node[data-id='finish-2']")).ToHaveCountAsync(0);
        await Expect(page.Locator(".react-flow__node-activity")).ToHaveCountAsync(3);

        // Publishing is refused: the problem is listed in Danish and marked on the hearing's node.
        await PressAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Udgiv" }), "Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Forløbet kan ikke udgives: 1 fejl. Se listen over problemer.");
        var problem = page.GetByTestId("problems").GetByRole(AriaRole.Button);
        await Expect(problem).ToHaveTextAsync("Send i høring: Udgangen »Fristen er udløbet« er ikke forbundet til nogen aktivitet.");
        await Expect(page.Locator(".react-flow__node[data-id='hearing'] .activity-problems")).ToHaveTextAsync("1 problem");
        await Expect(page.Locator(".react-flow__node[data-id='finish'] .activity-problems")).ToHaveCountAsync(0);
        await page.GetByLabel("Vælg aktivitet").SelectOptionAsync("start");
        await PressAsync(page, problem, "Enter");
        await Expect(page.GetByLabel("Vælg aktivitet")).ToHaveValueAsync("hearing");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "designer with a problem");

        // Fix, publish.
        await page.GetByLabel("Forbind »Fristen er udløbet« til …").SelectOptionAsync("finish");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Problemer (0 fejl)" })).ToBeVisibleAsync();
        await PressAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Udgiv" }), "Enter");
        await Expect(page.GetByTestId("designer-status")).ToHaveTextAsync("Version 1 er udgivet.");

        var stored = await (await host.Api.GetAsync("/api/definitions/tastatur-hoering")).ReadAsync<DefinitionDocument>();
        Assert.True(stored.IsPublished);
        var hearing = stored.Definition["root"]!["activities"]!.AsArray().Single(a => (string?)a!["id"] == "hearing")!;
        Assert.Equal("sjaelland", (string?)hearing["parties"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "workingDays": 10, "at": "12:00" }"""), hearing["deadline"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[ { "workingDaysBefore": 2, "at": "09:00" } ]"""), hearing["reminders"]), hearing.ToJsonString());
        Assert.Equal(3, stored.Definition["root"]!["connections"]!.AsArray().Count);

        // Start an instance of it and see it on the same diagram: the hearing waits, "0 af 17 svar".
        var started = await (await host.Api.PostJsonAsync("/api/instances", new { definitionId = "tastatur-hoering", input = new { } })).ReadAsync<InstanceStarted>();
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, $"/designer/instances/{started.InstanceId}").ToString());
        var hearingNode = page.Locator(".react-flow__node[data-id='hearing']");
        await Expect(hearingNode.Locator(".activity-status")).ToHaveTextAsync("Venter · 0 af 17 svar");
        await Expect(page.Locator(".react-flow__node[data-id='start'] .activity-status")).ToHaveTextAsync("Færdig");
        await Expect(page.Locator(".react-flow__node[data-id='finish'] .activity-status")).ToHaveTextAsync("Ikke startet");
        await Expect(page.GetByTestId("journal").Locator("li")).Not.ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "instance view");
    }

    [Fact]
    public async Task EveryShippedDefinition_OpensAndSavesBackSemanticallyUnchanged()
    {
        var page = await SignInAsync("/designer");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Designer", Level = 1 })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "designer list");
        var files = Directory.GetFiles(DefinitionsFolder, "*.json").Where(f => !f.EndsWith("definition.schema.json", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(8, files.Count);
        foreach (var file in files)
        {
            var original = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
            var id = (string)original["definitionId"]!;
            var before = await (await host.Api.GetAsync($"/api/definitions/{id}/versions")).ReadAsync<List<DefinitionVersionSummary>>();
            await page.GotoAsync(new Uri(host.Factory.BaseAddress, $"/designer/definitions/{id}").ToString());
            await Expect(page.GetByTestId("designer-status")).ToContainTextAsync("er åbnet");
            await Expect(page.Locator(".react-flow__node-activity")).ToHaveCountAsync(original["root"]!["activities"]!.AsArray().Count);

            // Exported as it is open …
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Eksportér JSON" }).ClickAsync());
            var exported = JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!))!.AsObject();
            AssertSameDefinition(original, exported, $"{id} exported");

            // … and saved back as a new draft.
            await page.GetByRole(AriaRole.Button, new() { Name = "Gem kladde" }).ClickAsync();
            await Expect(page.GetByTestId("designer-status")).ToHaveTextAsync($"Kladden er gemt som version {before[0].Version + 1}.");
            var saved = await (await host.Api.GetAsync($"/api/definitions/{id}")).ReadAsync<DefinitionDocument>();
            Assert.Equal(before[0].Version + 1, saved.Version);
            AssertSameDefinition(original, saved.Definition, $"{id} saved");
        }
    }

    [Fact]
    public async Task TwoVersions_PlainDanishDiff_ChangedNodeMarked_TextAndPrintPage()
    {
        var original = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(DefinitionsFolder, "standard-hearing.json")))!.AsObject();
        var document = original.DeepClone().AsObject();
        document["definitionId"] = "diff-hoering";
        var hearing = document["root"]!["activities"]!.AsArray().Single(a => (string?)a!["id"] == "hearing")!.AsObject();
        hearing["deadline"] = JsonNode.Parse("""{ "workingDays": 15, "at": "12:00" }""");
        hearing["parties"] = "midtjylland";
        await (await host.Api.PostJsonAsync("/api/definitions", document)).ReadAsync<DefinitionSaved>();
        await (await host.Api.PostAsync("/api/definitions/diff-hoering/publish", null)).ReadAsync<DefinitionSaved>();
        hearing["deadline"] = JsonNode.Parse("""{ "workingDays": 20, "at": "12:00" }""");
        await (await host.Api.PostJsonAsync("/api/definitions", document)).ReadAsync<DefinitionSaved>();

        var page = await SignInAsync("/designer/definitions/diff-hoering");
        await Expect(page.GetByTestId("designer-status")).ToHaveTextAsync("Version 2 (kladde) er åbnet.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Versioner" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Versioner af diff-hoering" });
        await Expect(dialog.Locator("tbody tr")).ToHaveCountAsync(2);
        await dialog.GetByLabel("Fra version").SelectOptionAsync("1");
        await dialog.GetByLabel("Til version").SelectOptionAsync("2");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Vis forskelle" }).ClickAsync();
        await Expect(dialog.GetByTestId("diff").Locator("li")).ToHaveTextAsync(["Send i høring – Frist: 15 → 20 arbejdsdage"]);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "versions dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Luk" }).ClickAsync();
        await Expect(page.Locator(".react-flow__node[data-id='hearing'] .activity-changed")).ToHaveTextAsync("Ændret");
        await Expect(page.Locator(".react-flow__node[data-id='start'] .activity-changed")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Læs som tekst" }).ClickAsync();
        var text = page.GetByRole(AriaRole.Dialog, new() { Name = "Forløbet som tekst" });
        await Expect(text.GetByTestId("flow-text")).ToContainTextAsync(
            "2. Send i høring: sendes i høring til de 19 kommuner i Region Midtjylland med frist 20 arbejdsdage efter afsendelse kl. 12.00;");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "text dialog");
        await text.GetByRole(AriaRole.Button, new() { Name = "Luk" }).ClickAsync();

        var svg = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Eksportér SVG" }).ClickAsync());
        var svgText = await File.ReadAllTextAsync((await svg.PathAsync())!);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svgText, StringComparison.Ordinal);
        Assert.Contains(">Send i høring</text>", svgText, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Udskriftsvenlig side" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Standardhøring");
        await Expect(page.Locator(".diagram svg")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "print page");
    }

    [Fact]
    public async Task TwoPeopleEditOneDraft_BothAutoSave_TheSecondGetsAConflictNotASilentOverwrite()
    {
        await (await host.Api.PostJsonAsync("/api/definitions", DesignerApiTests.Flow("to-redaktoerer", complete: true))).ReadAsync<DefinitionSaved>();
        var anne = await SignInAsync("/designer/definitions/to-redaktoerer");
        var bo = await SignInAsync("/designer/definitions/to-redaktoerer");
        foreach (var page in new[] { anne, bo })
        {
            await Expect(page.GetByTestId("designer-status")).ToHaveTextAsync("Version 1 (kladde) er åbnet.");
        }

        await anne.GetByLabel("Vælg aktivitet").SelectOptionAsync("hearing");
        await anne.GetByLabel("Navn", new() { Exact = true }).FillAsync("Høring i Sjælland");
        await Expect(anne.GetByTestId("designer-status")).ToHaveTextAsync("Kladden er gemt som version 1.");

        await bo.GetByLabel("Vælg aktivitet").SelectOptionAsync("end");
        await bo.GetByLabel("Navn", new() { Exact = true }).FillAsync("Færdig");
        await Expect(bo.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Kladden er ændret af en anden, siden du åbnede den. Dine ændringer er ikke gemt.");
        await Accessibility.AssertNoSeriousViolationsAsync(bo, "designer with a conflict");

        var stored = await (await host.Api.GetAsync("/api/definitions/to-redaktoerer")).ReadAsync<DefinitionDocument>();
        var names = stored.Definition["root"]!["activities"]!.AsArray().Select(a => (string?)a!["name"]).ToList();
        Assert.Equal([null, "Høring i Sjælland", "Slut"], names);

        await bo.GetByRole(AriaRole.Button, new() { Name = "Hent den nyeste version" }).ClickAsync();
        await Expect(bo.GetByTestId("designer-status")).ToHaveTextAsync("Version 1 (kladde) er åbnet.");
        await Expect(bo.Locator(".react-flow__node[data-id='hearing']")).ToContainTextAsync("Høring i Sjælland");
    }

    [Fact]
    public async Task NewFlowWithTheIdOfAnExistingOne_IsNotSavedOverIt()
    {
        var page = await SignInAsync("/designer/ny");
        await page.GetByLabel("Id (små bogstaver, tal og bindestreger)").FillAsync("standard-hearing");
        var palette = page.GetByRole(AriaRole.Complementary, new() { Name = "Aktiviteter" });
        await palette.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Der findes allerede et forløb med id'et »standard-hearing«. Vælg et andet id.");
        var stored = await (await host.Api.GetAsync("/api/definitions/standard-hearing")).ReadAsync<DefinitionDocument>();
        Assert.Equal(4, stored.Definition["root"]!["activities"]!.AsArray().Count);
        Assert.True(stored.IsPublished);
    }

    [Fact]
    public async Task WithTheMouse_DragFromThePalette_ConnectByHandles_NoteOnTheCanvas()
    {
        var page = await SignInAsync("/designer/ny");
        await page.GetByLabel("Id (små bogstaver, tal og bindestreger)").FillAsync("med-musen");
        var palette = page.GetByRole(AriaRole.Complementary, new() { Name = "Aktiviteter" });
        var canvas = page.Locator(".react-flow__pane");
        await palette.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).DragToAsync(canvas, new() { TargetPosition = new() { X = 150, Y = 200 } });
        await palette.GetByRole(AriaRole.Button, new() { Name = "Afslut", Exact = true }).DragToAsync(canvas, new() { TargetPosition = new() { X = 600, Y = 200 } });
        await Expect(page.Locator(".react-flow__node-activity")).ToHaveCountAsync(2);

        // A still view (the first node makes React Flow fit the view once), then drag from port to port.
        await page.GetByRole(AriaRole.Button, new() { Name = "Tilpas visning" }).ClickAsync();
        var from = page.Locator(".react-flow__node[data-id='start'] .react-flow__handle[data-handleid='Done']");
        var to = page.Locator(".react-flow__node[data-id='finish'] .react-flow__handle[data-handleid='In']");
        await Expect(from).ToBeVisibleAsync();
        await Expect(to).ToBeVisibleAsync();
        var a = await SteadyBoxAsync(from);
        var b = await SteadyBoxAsync(to);
        await page.Mouse.MoveAsync(a.X + (a.Width / 2), a.Y + (a.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(b.X + (b.Width / 2), b.Y + (b.Height / 2), new() { Steps = 10 });
        await page.Mouse.UpAsync();
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Problemer (0 fejl)" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Tilføj note" }).ClickAsync();
        await page.GetByLabel("Notens tekst").FillAsync("Aftales med KKR-sekretariatet");
        await Expect(page.Locator(".react-flow__node-note")).ToContainTextAsync("Aftales med KKR-sekretariatet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gem kladde" }).ClickAsync();
        await Expect(page.GetByTestId("designer-status")).ToHaveTextAsync("Kladden er gemt som version 1.");

        var stored = await (await host.Api.GetAsync("/api/definitions/med-musen")).ReadAsync<DefinitionDocument>();
        Assert.Equal("Aftales med KKR-sekretariatet", (string?)stored.Definition["root"]!["metadata"]!["designer"]!["notes"]![0]!["text"]);
        var connection = Assert.Single(stored.Definition["root"]!["connections"]!.AsArray())!;
        Assert.Equal(("start", "Done", "finish"), ((string?)connection["source"]!["activity"], (string?)connection["source"]!["port"], (string?)connection["target"]!["activity"]));
        var start = stored.Definition["root"]!["activities"]![0]!;
        var finish = stored.Definition["root"]!["activities"]![1]!;
        // Dropped where the mouse let go: the view has zoomed to the first node since, so compare, not equate.
        Assert.True((double)finish["metadata"]!["designer"]!["position"]!["x"]! > (double)start["metadata"]!["designer"]!["position"]!["x"]! + 100, stored.Definition.ToJsonString());
    }

    [Fact]
    public async Task InstanceView_FailedActivity_ShowsItsIncident_AndRetries()
    {
        var flow = JsonNode.Parse("""
            { "definitionId": "fejl-i-mail", "name": "Fejl i mail",
              "root": { "activities": [
                  { "id": "start", "type": "Start", "metadata": { "designer": { "position": { "x": 0, "y": 0 } } } },
                  { "id": "mail", "type": "SendEmail", "name": "Send besked", "to": "ikke en adresse", "subject": "x", "body": "y", "metadata": { "designer": { "position": { "x": 260, "y": 0 } } } },
                  { "id": "end", "type": "Finish", "metadata": { "designer": { "position": { "x": 520, "y": 0 } } } } ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "mail" } },
                  { "source": { "activity": "mail", "port": "Done" }, "target": { "activity": "end" } } ] } }
            """)!;
        await (await host.Api.PostJsonAsync("/api/definitions", flow)).ReadAsync<DefinitionSaved>();
        await (await host.Api.PostAsync("/api/definitions/fejl-i-mail/publish?strict=true", null)).ReadAsync<DefinitionSaved>();
        var started = await (await host.Api.PostJsonAsync("/api/instances", new { definitionId = "fejl-i-mail" })).ReadAsync<InstanceStarted>();
        Assert.Equal("Faulted", started.Status);

        var page = await SignInAsync($"/designer/instances/{started.InstanceId}");
        await Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("Fejlet");
        await Expect(page.Locator(".react-flow__node[data-id='mail'] .activity-status")).ToHaveTextAsync("Fejlet");
        await Expect(page.Locator(".react-flow__node[data-id='start'] .activity-status")).ToHaveTextAsync("Færdig");
        var incidents = page.GetByRole(AriaRole.Complementary, new() { Name = "Journal og hændelser" });
        await Expect(incidents.GetByRole(AriaRole.Heading, new() { Name = "Hændelser (1)" })).ToBeVisibleAsync();
        await Expect(incidents.Locator("ul li")).ToContainTextAsync("Send besked: ");
        await Expect(incidents.Locator("ul li")).ToContainTextAsync("'ikke en adresse' is not an e-mail address");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "instance view with an incident");

        // The address is still wrong, so the retry fails again and says so.
        await incidents.GetByRole(AriaRole.Button, new() { Name = "Forsøg igen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Forsøget" })).ToHaveTextAsync("Forsøget mislykkedes igen; se hændelserne.");
        var journal = await (await host.Api.GetAsync($"/api/instances/{started.InstanceId}/journal")).ReadAsync<List<JournalLine>>();
        Assert.Contains(journal, line => line.Kind == "InstanceRetried");
    }

    [Fact]
    public async Task DecisionNode_BodyAndMeetingPickedFromTheBodysCalendar()
    {
        var page = await SignInAsync("/designer/ny");
        var palette = page.GetByRole(AriaRole.Complementary, new() { Name = "Aktiviteter" });
        await palette.GetByRole(AriaRole.Button, new() { Name = "Beslutning i et organ", Exact = true }).ClickAsync();
        await page.GetByLabel("Organ (part-id) (skal udfyldes)").SelectOptionAsync(new SelectOptionValue { Label = "KKR Midtjylland" });
        var meeting = page.GetByLabel("Mødedato");
        await Expect(meeting.Locator("option").First).ToHaveTextAsync("Organets næste møde, når forløbet når hertil");
        await meeting.SelectOptionAsync(new SelectOptionValue { Label = "fredag den 8. november 2019 kl. 10.00" });
        await Accessibility.AssertNoSeriousViolationsAsync(page, "decision properties");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Eksportér JSON" }).ClickAsync());
        var exported = JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!))!;
        var decision = exported["root"]!["activities"]![0]!;
        Assert.Equal("kkr-midtjylland", (string?)decision["body"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "date": "2019-11-08", "at": "10:00" }"""), decision["meeting"]), decision.ToJsonString());
    }

    [Fact]
    public async Task StandardHearing_Screenshot_ForTheReadme()
    {
        var page = await SignInAsync("/designer/definitions/standard-hearing");
        await Expect(page.GetByTestId("designer-status")).ToContainTextAsync("er åbnet");
        await Expect(page.Locator(".react-flow__node[data-id='hearing']")).ToBeVisibleAsync();
        await page.GetByLabel("Vælg aktivitet").SelectOptionAsync("hearing");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Egenskaber for Send i høring" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tilpas visning" }).ClickAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "designer");
        var target = Path.Combine(RepositoryRoot(), "docs", "designer.png");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await page.ScreenshotAsync(new() { Path = target });
        Assert.True(new FileInfo(target).Length > 10_000);
    }

    [Fact]
    public async Task GeneratedFlowOf300Activities_OpensAndDrags_ReportsTheTimesMeasuredInThePage()
    {
        await (await host.Api.PostJsonAsync("/api/definitions", Generated(300))).ReadAsync<DefinitionSaved>();
        var page = await SignInAsync("/designer");
        page.PageError += (_, error) => output.WriteLine($"page error: {error}");
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/designer/definitions/stor-300").ToString());
        await Expect(page.GetByTestId("designer-status")).ToHaveTextAsync("Version 1 (kladde) er åbnet.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Problemer (0 fejl)" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var open = watch.Elapsed;
        // The designer marks when the loaded flow is first drawn; its start time counts from navigation.
        var drawn = await page.EvaluateAsync<double>("() => performance.getEntriesByName('procesflow:drawn')[0].startTime");

        // Drag one node 40 steps while the page records the time between animation frames.
        await page.GetByRole(AriaRole.Button, new() { Name = "Tilpas visning" }).ClickAsync();
        var node = page.Locator(".react-flow__node[data-id='a-1']");
        await node.ScrollIntoViewIfNeededAsync();
        var box = (await node.BoundingBoxAsync())!;
        await page.EvaluateAsync("""
            () => { window.__frames = []; let last = performance.now();
              const tick = t => { window.__frames.push(t - last); last = t; if (window.__recording) requestAnimationFrame(tick); };
              window.__recording = true; requestAnimationFrame(tick); }
            """);
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + 20);
        await page.Mouse.DownAsync();
        for (var i = 1; i <= 40; i++)
        {
            await page.Mouse.MoveAsync(box.X + box.Width / 2 + (i * 5), box.Y + 20 + (i * 3));
        }
        await page.Mouse.UpAsync();
        var frames = await page.EvaluateAsync<double[]>("() => { window.__recording = false; return window.__frames.slice(1); }");

        var moved = (await node.BoundingBoxAsync())!;
        Assert.True(moved.X > box.X + 50, $"the node did not move ({box.X} → {moved.X})");
        // All 300 are in the flow (only those in view are drawn): the activity chooser lists them, plus "(forløbet)".
        await Expect(page.GetByLabel("Vælg aktivitet").Locator("option")).ToHaveCountAsync(301);

        // Auto-layout (elkjs) of all 300.
        var layoutWatch = Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ordn automatisk" }).ClickAsync();
        await Expect(page.GetByTestId("designer-status")).ToHaveTextAsync("Tegningen er ordnet automatisk.", new() { Timeout = 30_000 });
        var layout = layoutWatch.Elapsed;

        var sorted = frames.Order().ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"300 activities: drawn {drawn:0} ms after navigation (in the page), checked by the server {open.TotalMilliseconds:0} ms after navigation (test clock); drag: {frames.Length} frames, median {sorted[sorted.Length / 2]:0.0} ms, 95th percentile {sorted[(int)(sorted.Length * 0.95)]:0.0} ms, max {sorted[^1]:0.0} ms; auto-layout {layout.TotalMilliseconds:0} ms"));
    }

    /// <summary>Start, 298 hearings/delays in a chain, Afslut: every port connected, so it has no problems.</summary>
    private static JsonObject Generated(int count)
    {
        var activities = new JsonArray { Activity("start", "Start", 0, 0) };
        var connections = new JsonArray();
        var previous = ("start", "Done");
        for (var i = 1; i < count - 1; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"a-{i}");
            var activity = Activity(id, "Delay", (i % 20) * 240, (i / 20) * 140);
            activity["duration"] = "P1D";
            activities.Add(activity);
            connections.Add(Connection(previous.Item1, previous.Item2, id));
            previous = (id, "Done");
        }
        activities.Add(Activity("end", "Finish", 0, 2200));
        connections.Add(Connection(previous.Item1, previous.Item2, "end"));
        return new JsonObject
        {
            ["definitionId"] = "stor-300",
            ["name"] = "Stort genereret forløb",
            ["root"] = new JsonObject { ["type"] = "Flowchart", ["activities"] = activities, ["connections"] = connections },
        };

        static JsonObject Activity(string id, string type, int x, int y) =>
            new() { ["id"] = id, ["type"] = type, ["metadata"] = new JsonObject { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = x, ["y"] = y } } } };

        static JsonObject Connection(string from, string port, string to) =>
            new() { ["source"] = new JsonObject { ["activity"] = from, ["port"] = port }, ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" } };
    }

    /// <summary>Equal as JSON (property order aside), ignoring only the version number the server assigns.</summary>
    private static void AssertSameDefinition(JsonObject expected, JsonObject actual, string what)
    {
        var a = expected.DeepClone().AsObject();
        var b = actual.DeepClone().AsObject();
        a.Remove("version");
        b.Remove("version");
        Assert.True(JsonNode.DeepEquals(a, b), $"{what} differs:\n{a.ToJsonString()}\n{b.ToJsonString()}");
    }

    private static (int X, int Y) Translation(string style)
    {
        var match = TranslatePattern().Match(style);
        Assert.True(match.Success, style);
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"translate\((-?\d+)px, (-?\d+)px\)")]
    private static partial Regex TranslatePattern();

    /// <summary>
    /// Where an element is once the view has stopped moving: a box read while React Flow still fits or pans the
    /// view sends the mouse to where the element was, not where it is.
    /// </summary>
    private static async Task<LocatorBoundingBoxResult> SteadyBoxAsync(ILocator element)
    {
        var box = (await element.BoundingBoxAsync())!;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await Task.Delay(100);
            var again = (await element.BoundingBoxAsync())!;
            if (again.X == box.X && again.Y == box.Y && again.Width == box.Width && again.Height == box.Height)
            {
                return again;
            }
            box = again;
        }
        throw new InvalidOperationException("The element kept moving for 5 seconds.");
    }

    private static async Task PressAsync(IPage page, ILocator target, string key)
    {
        await target.FocusAsync();
        await page.Keyboard.PressAsync(key);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ProcesFlow.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("ProcesFlow.sln not found above the test output.");
    }

    [GeneratedRegex("/login")]
    private static partial Regex LoginUrl();
}
