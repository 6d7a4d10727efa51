using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;
using Workflows.Host.Mail.Inbox;
using Workflows.Tests.Browser;
using Workflows.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.Inbox;

/// <summary>
/// <c>/indbakke</c> in real Chromium against the real host: a reply the inbox could not match waits there, and the
/// secretariat assigns it to the kommune it came from, which then counts as answered. axe-core checks the page before
/// and after.
/// </summary>
public sealed class InboxBrowserTests(BrowserFixture browser, HearingHost host) : IClassFixture<BrowserFixture>, IClassFixture<HearingHost>
{
    [Fact]
    public async Task AssigningAnUnmatchedReplyToAParty_OnThePage_CountsItAsAnswered()
    {
        var instanceId = await host.StartHearingAsync("Rammeaftale 2020", "SAG-2019-12", "aarhus", "skive");
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress("Jens Jensen", "jj@aarhus.example"));
        mail.To.Add(MailboxAddress.Parse("hoering@kkr.example"));
        mail.Subject = "Aarhus' høringssvar";
        mail.MessageId = "browser-unmatched@aarhus.example";
        mail.Body = new BodyBuilder
        {
            TextBody = "Aarhus Kommune kan tilslutte sig rammeaftalen.",
            Attachments = { { "aarhus.pdf", InboxTestBed.MinimalPdf(), ContentType.Parse("application/pdf") } },
        }.ToMessageBody();
        using var raw = new MemoryStream();
        await mail.WriteToAsync(raw);
        Assert.Equal(InboxResult.Unmatched, (await host.Factory.Services.GetRequiredService<InboxProcessor>().ProcessAsync(raw.ToArray(), CancellationToken.None)).Result);

        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.Factory.BaseAddress, "/login?returnUrl=/indbakke").ToString());
        await page.GetByLabel("E-mail").FillAsync(HearingHost.StaffEmail);
        await page.GetByLabel("Adgangskode").FillAsync(HearingHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mails, der venter på en sagsbehandler");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Aarhus' høringssvar");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Indbakke" })).ToHaveAttributeAsync("aria-current", "page");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "unmatched-mail page");

        await page.GetByLabel("Høring og part").SelectOptionAsync($"{instanceId}/aarhus");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tildel som svar" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mailen er registreret som høringssvar fra Aarhus Kommune med 1 vedhæftet fil");
        await Expect(page.GetByText("Der er ingen mails, der venter.")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "unmatched-mail page after assigning");

        var parties = (await (await host.Api.GetAsync($"/api/instances/{instanceId}")).ReadAsync<JsonNode>())["parties"]!.AsArray();
        Assert.Equal("Answered", parties.Single(p => p!["partyId"]!.GetValue<string>() == "aarhus")!["status"]!.GetValue<string>());
        Assert.Equal("Sent", parties.Single(p => p!["partyId"]!.GetValue<string>() == "skive")!["status"]!.GetValue<string>());
    }
}
