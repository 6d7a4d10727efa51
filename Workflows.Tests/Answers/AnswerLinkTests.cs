using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;
using NodaTime.Testing;
using Workflows.Host.Answers;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Answers;

/// <summary>
/// A party's answer link is signed, not stored: the mail carries it, and nothing in the database holds a working link.
/// The key ring is in the database, so another host on it (a restart, another node) reads the same links.
/// </summary>
public abstract partial class AnswerLinkTests : IDisposable
{
    private readonly TestDatabase database;
    private readonly ProcesFlowApiFactory factory;

    protected AnswerLinkTests(TestDatabase database)
    {
        this.database = database;
        factory = new(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    [Fact]
    public async Task TheMailedLink_Works_IsStoredNowhere_RefusesTampering_AndWorksOnAnotherHostOfTheDatabase()
    {
        var api = factory.CreateApiClient();
        var id = (await (await api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Praksisplan 2019", parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;
        var link = await MailedLinkAsync("postkasse@aarhus.kommune.example");
        var token = link["/svar/".Length..];

        var browser = factory.CreateClient();
        var page = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<dd>Aarhus Kommune</dd>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync())
        {
            var state = await db.Instances.Where(i => i.Id == id).Select(i => i.State).SingleAsync();
            var journal = await db.Journal.Where(j => j.InstanceId == id).Select(j => j.Message + j.Data).ToListAsync();
            var models = await db.Outbox.Where(o => o.InstanceId == id).Select(o => o.Model!).ToListAsync();
            Assert.DoesNotContain(token, state, StringComparison.Ordinal);
            Assert.All(journal, line => Assert.DoesNotContain(token, line, StringComparison.Ordinal));
            Assert.All(models, model => Assert.DoesNotContain(token, model, StringComparison.Ordinal));
            Assert.DoesNotContain("tokens", state, StringComparison.Ordinal);
            Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
        }

        var tampered = "/svar/" + token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(tampered)).StatusCode);

        using var other = ProcesFlowApiFactory.Reopen(database, factory.Folder);
        other.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        var elsewhere = await other.CreateClient().GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Contains("<dd>Aarhus Kommune</dd>", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALinkSentBeforeLinksWereSigned_StillOpensItsPartysPage()
    {
        var api = factory.CreateApiClient();
        var id = (await (await api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new { title = "Praksisplan 2019", parties = new[] { "aarhus", "skive" }, deadline = new { date = "2019-10-31", at = "12:00" } },
        })).ReadAsync<InstanceStarted>()).InstanceId;
        // Such a task stored the SHA-256 of the random token its mails carried.
        const string legacy = "Zm9yLWVuLWtvbW11bmUtZnJhLWbDuHItc2lnbmVyaW5n";
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync())
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(legacy)));
            await db.PartyTasks.Where(t => t.InstanceId == id && t.PartyId == "skive").ExecuteUpdateAsync(set => set.SetProperty(t => t.LegacyTokenHash, hash));
        }

        var page = await factory.CreateClient().GetAsync($"/svar/{legacy}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<dd>Skive Kommune</dd>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync($"/svar/{legacy[..^1]}A")).StatusCode);
    }

    [Fact]
    public void ALink_ExpiresAfterItsLifetime_OnTheEnginesClock()
    {
        var clock = new FakeClock(Instant.FromUtc(2019, 10, 1, 8, 0));
        var links = new AnswerLinks(new EphemeralDataProtectionProvider(), clock);
        var partyTaskId = Guid.CreateVersion7();
        var token = links.Create(partyTaskId);

        Assert.Equal(new SignedLink(partyTaskId, Expired: false), links.Read(token));
        clock.Advance(AnswerLinks.Lifetime - Duration.FromSeconds(1));
        Assert.False(links.Read(token)!.Expired);
        clock.Advance(Duration.FromSeconds(1));
        Assert.True(links.Read(token)!.Expired);
        Assert.Null(links.Read("not-a-token-of-ours-at-all"));
    }

    /// <summary>The answer link in the mail the party got (the pickup folder's .eml), as a path.</summary>
    private async Task<string> MailedLinkAsync(string to)
    {
        var pickup = Path.Combine(factory.Folder, "mail-outbox");
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < TimeSpan.FromSeconds(30))
        {
            var mail = (Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml") : []).Select(path => MimeMessage.Load(path))
                .FirstOrDefault(m => m.To.Mailboxes.Any(a => a.Address == to));
            if (mail is not null)
            {
                return new Uri(AnswerLink().Match(mail.TextBody ?? "").Value).PathAndQuery;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"No mail to {to} in {pickup}.");
        return "";
    }

    public void Dispose() => factory.Dispose();

    [GeneratedRegex(@"https?://\S+/svar/[A-Za-z0-9_\-]+")]
    private static partial Regex AnswerLink();
}

[Trait("Database", "Sqlite")]
public sealed class AnswerLinkTestsOnSqlite() : AnswerLinkTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class AnswerLinkTestsOnPostgreSql() : AnswerLinkTests(TestDatabase.PostgreSql);
