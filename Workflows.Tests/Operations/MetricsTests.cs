using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Text;
using Workflows.Host.Api;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Tests.Mail;
using Workflows.Tests.Support;

namespace Workflows.Tests.Operations;

/// <summary>
/// The ProcesFlow meter, read with a <see cref="MeterListener"/> as an OpenTelemetry exporter would read it: instances
/// started, timers fired with their lateness, mails sent and failed, answers received, each matching what the database
/// holds afterwards.
/// </summary>
public abstract class MetricsTests(TestDatabase database) : IDisposable
{
    private readonly ProcesFlowApiFactory factory = Simulated(new ProcesFlowApiFactory(database));

    private static ProcesFlowApiFactory Simulated(ProcesFlowApiFactory host)
    {
        host.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        host.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
        return host;
    }

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task AHearingRunToItsDeadline_CountsItsStartTimersMailsAndAnswer_AsTheDatabaseRecordsThem()
    {
        var client = factory.CreateApiClient();
        using var meters = new MeterRecorder(factory.Services.GetRequiredService<IMeterFactory>());
        var id = (await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = JsonNode.Parse("""
                { "title": "Rammeaftale", "parties": ["aarhus", "skive"], "deadline": { "date": "2019-10-31", "at": "12:00" },
                  "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ] }
                """),
        })).ReadAsync<InstanceStarted>()).InstanceId;
        await (await client.PostJsonAsync($"/api/instances/{id}/parties/aarhus/answer", new { text = "Aarhus tiltræder." })).ReadAsync<SignalResult>();
        await (await client.PostJsonAsync("/api/clock/advance", new { to = "2019-10-31T12:00:00Z" })).ReadAsync<JsonObject>();
        var outbox = await SentOutboxAsync();

        Assert.Equal(1, meters.Sum("procesflow.instances.started"));
        Assert.Equal("standard-hearing", Assert.Single(Assert.Single(meters.Tags("procesflow.instances.started")), t => t.Key == "procesflow.definition").Value);
        Assert.Equal(1, meters.Sum("procesflow.answers.received"));
        // The reminder (to Skive only) and the deadline; on the simulated clock each fires at its due instant exactly.
        var journal = await (await client.GetAsync($"/api/instances/{id}/journal")).ReadAsync<List<JournalLine>>();
        var fired = journal.Where(j => j.Kind == "TimerFired").ToList();
        Assert.Equal(2, fired.Count);
        Assert.All(fired, j => Assert.Equal(j.At, InstantPattern.ExtendedIso.Parse(j.Data!["dueAt"]!.GetValue<string>()).Value));
        Assert.Equal(2, meters.Sum("procesflow.timers.fired"));
        Assert.Equal([0d, 0d], meters.Values("procesflow.timers.lateness"));
        // Two invitations, Aarhus's receipt, Skive's reminder: every row the outbox sent, counted once.
        Assert.Equal(4, outbox.Count);
        Assert.Equal(outbox.Count, meters.Sum("procesflow.mails.sent"));
        Assert.Equal(0, meters.Sum("procesflow.mails.failed"));
    }

    [Fact]
    public async Task MailsTheSmtpServerDoesNotTake_AreCountedAsFailedAttempts_NotAsSent()
    {
        await using var bed = (await MailTestBed.CreateAsync(database)).UseSmtp("127.0.0.1", LoopbackPort.Free());
        using var meters = new MeterRecorder(bed.Meters);
        await bed.QueueAsync(subject: "A");
        await bed.QueueAsync(subject: "B");
        using var dispatcher = bed.Dispatcher();

        var result = await dispatcher.SendDueAsync(CancellationToken.None);

        Assert.Equal((0, 2), (result.Sent, result.Failed));
        Assert.Equal(2, meters.Sum("procesflow.mails.failed"));
        Assert.Equal(0, meters.Sum("procesflow.mails.sent"));
        Assert.All(await bed.RowsAsync(), row => Assert.Equal((OutboxStatus.Pending, 1), (row.Status, row.Attempts)));
    }

    /// <summary>The outbox once Hangfire's send job has emptied it: every row, all of them sent.</summary>
    private async Task<List<OutboxRow>> SentOutboxAsync()
    {
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync();
            var rows = await db.Outbox.AsNoTracking().ToListAsync();
            if (rows.All(r => r.Status == OutboxStatus.Sent) || waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.All(rows, r => Assert.Equal(OutboxStatus.Sent, r.Status));
                return rows;
            }
            await Task.Delay(50);
        }
    }
}

[Trait("Database", "Sqlite")]
public sealed class MetricsTestsOnSqlite() : MetricsTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class MetricsTestsOnPostgreSql() : MetricsTests(TestDatabase.PostgreSql);
