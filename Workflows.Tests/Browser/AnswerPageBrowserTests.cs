using Microsoft.Playwright;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Browser;

/// <summary>
/// The answer page <c>/svar/{token}</c> in real Chromium, reached the way a kommune reaches it: through the
/// personal link in its invitation mail. The pages are used with JavaScript switched off, because they must work
/// without it; axe-core checks each page in a second, ordinary page while the test goes on.
/// </summary>
public sealed class AnswerPageBrowserTests(BrowserFixture browser, HearingHost host) : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    private const string Title = "Rammeaftale 2020 for det specialiserede socialområde";

    private static readonly string[] Kommuner = ["aarhus", "skive", "holbaek"];

    [Fact]
    public async Task AnswerLinkFromInvitationMail_TextAndPdf_ReceiptPageReceiptMailAndPartyAnswered()
    {
        var id = await host.StartHearingAsync(Title, "SAG-2019-07311", Kommuner);
        var link = await host.AnswerLinkAsync(id, "aarhus");
        var page = await browser.NewPageAsync(javaScript: false);

        var opened = await page.GotoAsync(link.ToString());
        Assert.Equal(200, opened!.Status);
        var answerPageAccessible = AccessibleAsync(opened, "answer page");
        await Expect(page).ToHaveTitleAsync($"{Title} – ProcesFlow");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Title);
        var main = page.GetByRole(AriaRole.Main);
        await Expect(main).ToContainTextAsync("Aarhus Kommune");
        await Expect(main).ToContainTextAsync("SAG-2019-07311");
        await Expect(main).ToContainTextAsync("Senest torsdag den 31. oktober 2019 kl. 12.00");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Udkast til rammeaftale" })).ToHaveAttributeAsync("href", "https://www.kl.dk/udkast.pdf");

        await page.GetByLabel("Høringssvar", new() { Exact = true }).FillAsync("Aarhus Kommune støtter rammeaftalen.\nSe også vedhæftede notat.");
        await page.GetByLabel("Vedhæft filer").SetInputFilesAsync(new FilePayload
        {
            Name = "høringssvar-aarhus.pdf",
            MimeType = "application/pdf",
            Buffer = MinimalPdf.Create("Hoeringssvar fra Aarhus Kommune"),
        });
        await page.GetByLabel("Jeres navn").FillAsync("Sekretariatet, Aarhus Kommune");
        var submitted = await SubmitAsync(page, "Send høringssvar");

        Assert.Equal(200, submitted.Status);
        var receiptPageAccessible = AccessibleAsync(submitted, "receipt page");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Høringssvar modtaget");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Tak. Vi har modtaget høringssvaret fra Aarhus Kommune tirsdag den 1. oktober 2019 kl. 10.00.");
        await Expect(page.GetByRole(AriaRole.Listitem)).ToHaveTextAsync("høringssvar-aarhus.pdf");
        await Expect(main).ToContainTextAsync("En kvittering er sendt til jeres postkasse.");
        await Expect(main).Not.ToContainTextAsync("erstatter");

        var receipt = Assert.Single(await host.MailsAsync(id, "aarhus", "receipt"));
        Assert.Equal($"Kvittering for modtaget høringssvar: {Title}", receipt.Subject);
        Assert.Contains("Kære Aarhus Kommune", receipt.TextBody, StringComparison.Ordinal);
        Assert.Contains("Aarhus Kommune støtter rammeaftalen.", receipt.TextBody, StringComparison.Ordinal);
        Assert.Contains("- høringssvar-aarhus.pdf", receipt.TextBody, StringComparison.Ordinal);
        Assert.Contains("<li>høringssvar-aarhus.pdf</li>", receipt.HtmlBody, StringComparison.Ordinal);

        var aarhus = await host.PartyAsync(id, "aarhus");
        Assert.Equal(("Answered", HearingHost.Start), (aarhus.Status, aarhus.AnsweredAt!.Value));
        Assert.Equal(HearingHost.Start, await host.NowAsync());
        var skive = await host.PartyAsync(id, "skive");
        Assert.Equal(("Sent", (Instant?)null), (skive.Status, skive.AnsweredAt));

        // From the receipt back to the hearing: the page shows what was received.
        await page.GetByRole(AriaRole.Link, new() { Name = "Tilbage til høringen" }).ClickAsync();
        await Expect(page.Locator("blockquote")).ToHaveTextAsync("Aarhus Kommune støtter rammeaftalen.\nSe også vedhæftede notat.");
        await Expect(main).ToContainTextAsync("Vedhæftet: høringssvar-aarhus.pdf");

        // The staff start page counts the answer.
        var staff = await browser.NewPageAsync(javaScript: false);
        await staff.GotoAsync(new Uri(host.Factory.BaseAddress, "/").ToString());
        await staff.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await staff.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Row).Filter(new() { HasText = "SAG-2019-07311" })).ToContainTextAsync("1 af 3 svar");

        await Task.WhenAll(answerPageAccessible, receiptPageAccessible);
    }

    [Fact]
    public async Task NoComments_AfterConfirming_ReceiptPageReceiptMailAndPartyNoComments()
    {
        var id = await host.StartHearingAsync(Title, "SAG-2019-07312", Kommuner);
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync((await host.AnswerLinkAsync(id, "skive")).ToString());

        // "Vi har ingen bemærkninger" only opens the confirmation (no JavaScript needed); nothing is sent yet.
        var confirm = page.GetByRole(AriaRole.Button, new() { Name = "Bekræft: ingen bemærkninger" });
        await Expect(confirm).Not.ToBeVisibleAsync();
        await page.GetByText("Vi har ingen bemærkninger", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Bekræft, at Skive Kommune ikke har bemærkninger til høringen.");
        Assert.Equal("Sent", (await host.PartyAsync(id, "skive")).Status);

        var submitted = await SubmitAsync(page, "Bekræft: ingen bemærkninger");

        Assert.Equal(200, submitted.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Høringssvar modtaget");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Tak. Vi har modtaget høringssvaret fra Skive Kommune");
        var receipt = Assert.Single(await host.MailsAsync(id, "skive", "receipt"));
        Assert.Contains("Kære Skive Kommune", receipt.TextBody, StringComparison.Ordinal);
        Assert.Contains("I har meddelt, at I ingen bemærkninger har.", receipt.TextBody, StringComparison.Ordinal);

        var skive = await host.PartyAsync(id, "skive");
        Assert.Equal(("NoComments", HearingHost.Start), (skive.Status, skive.AnsweredAt!.Value));
        Assert.Equal("Sent", (await host.PartyAsync(id, "aarhus")).Status);
        await page.GetByRole(AriaRole.Link, new() { Name = "Tilbage til høringen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Ingen bemærkninger.");
    }

    [Fact]
    public async Task ReplaceAnswerBeforeDeadline_PageSaysItReplaces_OnlyTheNewAnswerIsShown()
    {
        var id = await host.StartHearingAsync(Title, "SAG-2019-07313", Kommuner);
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync((await host.AnswerLinkAsync(id, "holbaek")).ToString());
        await page.GetByLabel("Høringssvar", new() { Exact = true }).FillAsync("Foreløbigt svar: vi vender tilbage.");
        Assert.Equal(200, (await SubmitAsync(page, "Send høringssvar")).Status);
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("erstatter");

        var withAnswer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Link, new() { Name = "Tilbage til høringen" }).ClickAsync(),
            response => response.Request.IsNavigationRequest && response.Request.Method == "GET");
        var withAnswerAccessible = AccessibleAsync(withAnswer, "answer page with an answer");
        await Expect(page.Locator("blockquote")).ToHaveTextAsync("Foreløbigt svar: vi vender tilbage.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Erstat jeres svar" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Et nyt svar erstatter det forrige. Det kan gøres indtil fristen.");
        await page.GetByLabel("Høringssvar", new() { Exact = true }).FillAsync("Holbæk Kommune kan tilslutte sig rammeaftalen.");
        await page.GetByLabel("Vedhæft filer").SetInputFilesAsync(new FilePayload
        {
            Name = "endeligt-svar.pdf",
            MimeType = "application/pdf",
            Buffer = MinimalPdf.Create("Endeligt svar fra Holbaek Kommune"),
        });
        var replaced = await SubmitAsync(page, "Send høringssvar");

        Assert.Equal(200, replaced.Status);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Svaret erstatter jeres tidligere svar.");
        await Expect(page.GetByRole(AriaRole.Listitem)).ToHaveTextAsync("endeligt-svar.pdf");
        await page.GetByRole(AriaRole.Link, new() { Name = "Tilbage til høringen" }).ClickAsync();
        await Expect(page.Locator("blockquote")).ToHaveTextAsync("Holbæk Kommune kan tilslutte sig rammeaftalen.");
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("Foreløbigt svar");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Vedhæftet: endeligt-svar.pdf");

        var receipts = await host.MailsAsync(id, "holbaek", "receipt", count: 2);
        Assert.Contains("Foreløbigt svar: vi vender tilbage.", receipts[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("Holbæk Kommune kan tilslutte sig rammeaftalen.", receipts[1].TextBody, StringComparison.Ordinal);
        Assert.Contains("- endeligt-svar.pdf", receipts[1].TextBody, StringComparison.Ordinal);
        Assert.Equal("Answered", (await host.PartyAsync(id, "holbaek")).Status);
        await withAnswerAccessible;
    }

    [Fact]
    public async Task ExpiredLink_HearingClosedPlusGracePeriod_ShowsExpiryPageWithStatus410()
    {
        // Its own host: moving the clock past the deadline would close the other tests' hearings.
        var own = new HearingHost();
        await own.InitializeAsync();
        try
        {
            var id = await own.StartHearingAsync(Title, "SAG-2019-07314", Kommuner);
            var link = (await own.AnswerLinkAsync(id, "holbaek")).ToString();
            var page = await browser.NewPageAsync(javaScript: false);
            Assert.Equal(200, (await page.GotoAsync(link))!.Status);

            // Closed, but within the grace period: the link still shows the hearing, and takes no answers.
            var expiry = HearingHost.Deadline + HearingRules.TokenGrace;
            await own.AdvanceClockAsync(expiry - Duration.FromSeconds(1));
            Assert.Equal(200, (await page.GotoAsync(link))!.Status);
            await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Høringen modtager ikke flere svar.");
            await Expect(page.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

            await own.AdvanceClockAsync(expiry);
            var expired = await page.GotoAsync(link);

            Assert.Equal(410, expired!.Status);
            var expiredAccessible = AccessibleAsync(expired, "expiry page");
            await Expect(page).ToHaveTitleAsync("Linket er udløbet – ProcesFlow");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Linket er udløbet");
            await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Høringen er afsluttet, og linket virker ikke længere.");
            await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("Holbæk");
            await expiredAccessible;
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    /// <summary>Clicks the button and returns the response to the form's POST: the page it leads to.</summary>
    /// <summary>
    /// Clicks a submit button and returns the page the submission ends on: an accepted answer redirects to its
    /// receipt (post/redirect/get), a refused one answers the POST itself with the form and the reason.
    /// </summary>
    private static Task<IResponse> SubmitAsync(IPage page, string button) =>
        page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync(),
            response => response.Request.IsNavigationRequest && response.Status is < 300 or >= 400);

    /// <summary>
    /// Starts axe-core on the page a response delivered. axe-core needs JavaScript, which the page under test runs
    /// without, so a second, ordinary page loads the very same document (status and HTML) at the same address,
    /// without asking the server again. It runs while the test goes on; await the task before the test ends.
    /// </summary>
    private async Task AccessibleAsync(IResponse response, string what)
    {
        var html = await response.TextAsync();
        var checker = await browser.NewPageAsync();
        try
        {
            await checker.RouteAsync(response.Url, route => route.FulfillAsync(new RouteFulfillOptions
            {
                Status = response.Status,
                ContentType = "text/html; charset=utf-8",
                Body = html,
            }));
            await checker.GotoAsync(response.Url);
            await Accessibility.AssertNoSeriousViolationsAsync(checker, what);
        }
        finally
        {
            await checker.Context.CloseAsync();
        }
    }
}
