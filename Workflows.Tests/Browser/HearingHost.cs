using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Parties;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Browser;

/// <summary>
/// The host for the browser tests: real Kestrel on 127.0.0.1, a real SQLite file, the simulated clock at
/// 1 October 2019 10:00, and real mail written to the pickup directory as <c>.eml</c> files. Standard hearings
/// are started through the API; mails are read back from the files with MimeKit.
/// </summary>
public sealed partial class HearingHost : IAsyncLifetime
{
    public static readonly Instant Start = Instant.FromUtc(2019, 10, 1, 8, 0);

    /// <summary>31 October 2019 12:00 in Copenhagen.</summary>
    public static readonly Instant Deadline = Instant.FromUtc(2019, 10, 31, 11, 0);

    public static readonly PartyDirectory Parties = PartyDirectory.LoadReference();

    /// <summary>The administrator from configuration, for the staff pages.</summary>
    public const string StaffEmail = "sekretariat@kkr-midtjylland.example";

    public const string StaffPassword = "Korrekt-Hest-Batteri-42";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // The browser tests drive the pages; the database behind them is covered on both providers by the API and page tests.
    public KestrelApiFactory Factory { get; } = new(TestDatabase.Sqlite);

    public HttpClient Api { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        Factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
        Factory.Settings["ProcesFlow:Admin:Email"] = StaffEmail;
        Factory.Settings["ProcesFlow:Admin:Password"] = StaffPassword;
        Factory.Start();
        Api = Factory.CreateApiClient();
        return Task.CompletedTask;
    }

    /// <summary>Starts the shipped standard hearing with a deadline of 31 October 2019 12:00.</summary>
    public async Task<Guid> StartHearingAsync(string title, string caseNumber, params string[] parties)
    {
        var started = await (await Api.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = new
            {
                title,
                caseNumber,
                sender = "KKR Midtjylland",
                parties,
                deadline = new { date = "2019-10-31", at = "12:00" },
                material = new[] { new { title = "Udkast til rammeaftale", url = "https://www.kl.dk/udkast.pdf" } },
            },
        })).ReadAsync<InstanceStarted>();
        return started.InstanceId;
    }

    /// <summary>The personal answer link, as the party's invitation mail carries it (text and HTML alike).</summary>
    public async Task<Uri> AnswerLinkAsync(Guid instanceId, string partyId)
    {
        var invitation = Assert.Single(await MailsAsync(instanceId, partyId, "invitation"));
        var link = AnswerLink().Match(invitation.TextBody ?? "");
        Assert.True(link.Success, $"No answer link in the invitation:\n{invitation.TextBody}");
        var url = new Uri(link.Value);
        Assert.Equal(Factory.BaseAddress.Authority, url.Authority);
        Assert.Contains($"href=\"{link.Value}\"", invitation.HtmlBody, StringComparison.Ordinal);
        return url;
    }

    /// <summary>
    /// Waits until <paramref name="count"/> mails of <paramref name="template"/> to the party have been queued and
    /// delivered to the pickup directory, and returns them as MimeKit reads the files, oldest first. Each is
    /// addressed to exactly the party's contacts.
    /// </summary>
    public async Task<IReadOnlyList<MimeMessage>> MailsAsync(Guid instanceId, string partyId, string template, int count = 1)
    {
        var contexts = Factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        var rows = await EventuallyAsync($"{count} {template} mail(s) to {partyId} queued", async () =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var queued = await db.Outbox.AsNoTracking().Where(o => o.InstanceId == instanceId && o.Template == template).ToListAsync();
            var mine = queued.Where(o => JsonNode.Parse(o.Model ?? "{}")?["partyId"]?.GetValue<string>() == partyId)
                .OrderBy(o => o.QueuedAt).ThenBy(o => o.Id).ToList();
            return mine.Count >= count ? mine : null;
        });

        var mails = new List<MimeMessage>();
        foreach (var row in rows)
        {
            var file = Path.Combine(Factory.MailFolder, $"{row.Id}.eml");
            await EventuallyAsync($"{file} written", () => Task.FromResult(File.Exists(file) ? file : null));
            var mail = await MimeMessage.LoadAsync(file);
            Assert.Equal(Parties.Find(partyId)!.Contacts.Order(), mail.To.Mailboxes.Select(m => m.Address).Order());
            mails.Add(mail);
        }
        return mails;
    }

    public async Task<PartyStatus> PartyAsync(Guid instanceId, string partyId)
    {
        var details = await (await Api.GetAsync($"/api/instances/{instanceId}")).ReadAsync<InstanceDetails>();
        return details.Parties.Single(p => p.PartyId == partyId);
    }

    public async Task<Instant> NowAsync() => (await (await Api.GetAsync("/api/clock")).ReadAsync<ClockReading>()).Now;

    public async Task AdvanceClockAsync(Instant to)
    {
        var reading = await (await Api.PostJsonAsync("/api/clock/advance", new { to = InstantPattern.ExtendedIso.Format(to) })).ReadAsync<ClockReading>();
        Assert.Equal(to, reading.Now);
    }

    public Task DisposeAsync()
    {
        Api?.Dispose();
        Factory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Polls <paramref name="probe"/> every 50 ms until it gives a value, for at most 20 s.</summary>
    private static async Task<T> EventuallyAsync<T>(string what, Func<Task<T?>> probe)
        where T : class
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (elapsed.Elapsed > Patience)
            {
                Assert.Fail($"Waited {Patience.TotalSeconds:0} s for: {what}.");
            }
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/svar/[A-Za-z0-9_\-]+")]
    private static partial Regex AnswerLink();
}
