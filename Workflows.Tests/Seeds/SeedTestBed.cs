using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Parties;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Tests.Support;

namespace Workflows.Tests.Seeds;

/// <summary>
/// The real host on a SQLite file with the definitions from <c>definitions-json/</c>, the simulated clock, and a real
/// SMTP server on loopback: a seed process is started through the API and driven as the secretariat would drive it.
/// Mails are taken in batches ("the next 19 mails"), and a batch is only complete when the outbox is empty, so a test
/// sees exactly what was sent, not a prefix of it.
/// </summary>
public sealed class SeedTestBed : IAsyncDisposable
{
    public static readonly PartyDirectory Directory = PartyDirectory.LoadReference();

    private static readonly DateTimeZone Copenhagen = DateTimeZoneProviders.Tzdb["Europe/Copenhagen"];

    private int seen;

    private SeedTestBed(SmtpSink smtp, ProcesFlowApiFactory factory)
    {
        Smtp = smtp;
        Factory = factory;
        Client = factory.CreateApiClient();
    }

    public SmtpSink Smtp { get; }

    public ProcesFlowApiFactory Factory { get; }

    public HttpClient Client { get; }

    /// <summary>Starts the host with its simulated clock at <paramref name="start"/> (local Danish time, e.g. "2019-10-21T09:00").</summary>
    public static async Task<SeedTestBed> StartAsync(TestDatabase database, string start)
    {
        var smtp = await SmtpSink.StartAsync();
        var factory = new ProcesFlowApiFactory(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = start;
        factory.Settings["ProcesFlow:Mail:Smtp:Host"] = smtp.Host;
        factory.Settings["ProcesFlow:Mail:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture);
        factory.Settings["ProcesFlow:Mail:Smtp:From"] = "sekretariat@kkr.example";
        return new SeedTestBed(smtp, factory);
    }

    public async Task<Guid> StartAsync(string definitionId, object input)
    {
        var response = await Client.PostJsonAsync("/api/instances", new { definitionId, input });
        return (await response.ReadAsync<InstanceStarted>()).InstanceId;
    }

    /// <summary>Moves the simulated clock to <paramref name="local"/> (Danish time); every timer due by then has fired.</summary>
    public async Task AdvanceToAsync(string local)
    {
        var instant = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm").Parse(local).Value.InZoneLeniently(Copenhagen).ToInstant();
        await (await Client.PostJsonAsync("/api/clock/advance", new { to = InstantPattern.ExtendedIso.Format(instant) })).ReadAsync<JsonObject>();
    }

    /// <summary>
    /// The next <paramref name="count"/> mails: waits until the outbox is empty and the server holds them, then checks
    /// that no more than that were sent.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMail>> NextMailsAsync(int count)
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < TimeSpan.FromSeconds(30))
        {
            var messages = Smtp.Messages();
            if (messages.Count >= seen + count && await OutboxEmptyAsync())
            {
                var batch = messages.Skip(seen).ToList();
                Assert.True(batch.Count == count, $"Expected {count} mails, got {batch.Count}: {string.Join("; ", batch.Select(m => $"{Recipient(m)}: {m.Message.Subject}"))}");
                seen = messages.Count;
                return batch;
            }
            await Task.Delay(50);
        }
        var got = Smtp.Messages().Skip(seen).ToList();
        Assert.Fail($"Expected {count} mails, got {got.Count}: {string.Join("; ", got.Select(m => $"{Recipient(m)}: {m.Message.Subject}"))}\n{Smtp.Output}");
        return [];
    }

    /// <summary>Asserts that nothing was sent since the last batch.</summary>
    public async Task NoMailsAsync() => await NextMailsAsync(0);

    public async Task<InstanceDetails> DetailsAsync(Guid id) => await (await Client.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>();

    public async Task<List<string>> JournalAsync(Guid id) =>
        (await (await Client.GetAsync($"/api/instances/{id}/journal")).ReadAsync<List<JournalLine>>()).Select(l => l.Message).ToList();

    public async Task DecideAsync(Guid id, string activityId, string outcome, string? note = null) =>
        await (await Client.PostJsonAsync($"/api/instances/{id}/decisions/{activityId}", new { outcome, note })).ReadAsync<SignalResult>();

    public async Task CompleteTaskAsync(Guid id, string activityId, string? note = null) =>
        await (await Client.PostJsonAsync($"/api/instances/{id}/tasks/{activityId}/complete", new { note })).ReadAsync<SignalResult>();

    /// <summary>Registers a party's answer as staff would (received on paper or by phone); a decision in an approval round.</summary>
    public async Task AnswerAsync(Guid id, string partyId, string? text, string? decision = null) =>
        await (await Client.PostJsonAsync($"/api/instances/{id}/parties/{partyId}/answer", new { text, decision })).ReadAsync<SignalResult>();

    /// <summary>Where the instance waits: the activity ids of its signal waits (decisions, tasks, hearings).</summary>
    public async Task<List<string>> WaitingAtAsync(Guid id) =>
        (await DetailsAsync(id)).WaitingFor.Where(w => w.Kind == "signal").Select(w => w.ActivityId).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Asserts where the instance waits; on failure the message carries its status and journal.</summary>
    public async Task AssertWaitingAtAsync(Guid id, params string[] activityIds)
    {
        var waiting = await WaitingAtAsync(id);
        if (!waiting.SequenceEqual(activityIds.Order(StringComparer.Ordinal)))
        {
            var details = await DetailsAsync(id);
            Assert.Fail($"Expected the instance to wait at [{string.Join(", ", activityIds)}], but it waits at [{string.Join(", ", waiting)}] (status {details.Status}).\n"
                + string.Join("\n", await JournalAsync(id)));
        }
    }

    public static string Recipient(ReceivedMail mail) => mail.Message.To.Mailboxes.Single().Address;

    /// <summary>The contact addresses of the parties a selector names (a group id or a party id).</summary>
    public static IReadOnlyList<string> ContactsOf(params string[] selectors) =>
        selectors.SelectMany(s => Directory.Groups.FirstOrDefault(g => g.Id == s)?.MemberIds ?? [s])
            .SelectMany(id => Directory.Find(id)!.Contacts).Order(StringComparer.Ordinal).ToList();

    private async Task<bool> OutboxEmptyAsync()
    {
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        return !await db.Outbox.AnyAsync(o => o.Status == Workflows.Host.Persistence.Rows.OutboxStatus.Pending);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
