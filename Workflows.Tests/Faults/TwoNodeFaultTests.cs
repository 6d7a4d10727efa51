using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Api;
using Workflows.Host.Persistence.Rows;
using Workflows.Tests.Support;
using Xunit.Abstractions;

namespace Workflows.Tests.Faults;

/// <summary>
/// The fault-injection harness (issue 15): two real host processes on one PostgreSQL database, a real SMTP server, the
/// simulated clock. One node is killed with SIGKILL at seeded random moments and started again; the SMTP server and
/// PostgreSQL are stopped and started again. Then the promises are checked on what the SMTP server received and on the
/// database. The seed is printed; set <c>PROCESFLOW_FAULT_SEED</c> to run a schedule again.
/// </summary>
[Trait("Database", "PostgreSql")]
public sealed partial class TwoNodeFaultTestsOnPostgreSql(ITestOutputHelper output)
{
    /// <summary>The 29 kommuner of Region Hovedstaden.</summary>
    private const int PartiesPerHearing = 29;

    private const string Deadline = "2026-03-31";

    /// <summary>After every reminder (3 working days before the deadline, 09:00) and before the deadline.</summary>
    private const string AfterReminders = "2026-03-30T12:00:00Z";

    private const string AfterDeadline = "2026-04-01T12:00:00Z";

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("PROCESFLOW_FAULT_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : 20261207;

    [Fact]
    public async Task TwoNodes_OneKilledAtRandom_EveryMailOnceButInKillWindows_EveryAnswerOnce_NoInstanceStuck()
    {
        const int hearings = 200;
        const int answeredPerHearing = 4;
        var random = new Random(Seed);
        output.WriteLine($"Seed {Seed} (PROCESFLOW_FAULT_SEED={Seed} runs this schedule again)");
        await using var cluster = await FaultCluster.StartAsync(output);

        using var stopKilling = new CancellationTokenSource();
        var killer = KillAtRandomAsync(cluster, new Random(random.Next()), stopKilling.Token);
        List<Guid> answered;
        int retried;
        try
        {
            await StartHearingsAsync(cluster, hearings);
            await WaitForOutboxAsync(cluster, "the invitations", hearings * PartiesPerHearing);
            (answered, retried) = await AnswerAsync(cluster, new Random(random.Next()), answeredPerHearing);
            await AdvanceDayByDayAsync(cluster, AfterReminders);
            await WaitForOutboxAsync(cluster, "the reminders", null);
        }
        finally
        {
            await stopKilling.CancelAsync();
            await killer;
        }
        await AdvanceAsync(cluster, AfterDeadline);
        await WaitForOutboxAsync(cluster, "the last mails", null);

        await using var db = cluster.Database();
        // No instance is stuck: every hearing ran to its deadline and finished.
        var statuses = await db.Instances.AsNoTracking().GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Assert.Equal([("Finished", hearings)], statuses.Select(s => (s.Key, s.Count)));
        var tasks = await db.PartyTasks.AsNoTracking().Select(t => new { t.Id, t.Status }).ToListAsync();
        Assert.Equal(hearings * PartiesPerHearing, tasks.Count);
        Assert.Equal(answered.Order(), tasks.Where(t => t.Status == "Answered").Select(t => t.Id).Order());
        Assert.All(tasks.Where(t => !answered.Contains(t.Id)), t => Assert.Equal("Overdue", t.Status));

        // Every submitted answer stored once, also those whose request died with its node and was sent again.
        var answers = await db.Answers.AsNoTracking().Select(a => a.PartyTaskId).ToListAsync();
        Assert.Equal(answered.Order(), answers.Order());

        // Every party one invitation, every party without an answer one reminder; every mail sent.
        var outbox = await db.Outbox.AsNoTracking().Select(o => new { o.Id, o.Template, o.PartyTaskId, o.Status }).ToListAsync();
        Assert.All(outbox, o => Assert.Equal(OutboxStatus.Sent, o.Status));
        var invitations = outbox.Where(o => o.Template == "invitation").ToList();
        Assert.Equal(hearings * PartiesPerHearing, invitations.Count);
        Assert.Equal(invitations.Count, invitations.Select(o => o.PartyTaskId).Distinct().Count());
        var reminders = outbox.Where(o => o.Template == "reminder").ToList();
        Assert.Equal(hearings * (PartiesPerHearing - answeredPerHearing), reminders.Count);
        Assert.Equal(reminders.Count, reminders.Select(o => o.PartyTaskId).Distinct().Count());
        Assert.DoesNotContain(reminders, r => answered.Contains(r.PartyTaskId!.Value));

        // At the SMTP server: every mail's Message-ID, and a second delivery only inside a kill's window.
        var deliveries = Deliveries(cluster);
        Assert.Equal(outbox.Select(o => o.Id).Order(), deliveries.Keys.Order());
        var windows = cluster.Kills.Sum(k => Windows(k, deliveries).Count);
        var duplicates = deliveries.Values.Sum(d => d.Count - 1);
        foreach (var (id, delivered) in deliveries.Where(d => d.Value.Count > 1))
        {
            // Every delivery but the last went over a connection of a process killed before it could commit the row
            // sent; each kill accounts for at most one of them.
            var explained = delivered.SkipLast(1).Select(d => cluster.Kills.FirstOrDefault(k => InWindow(k, id, d))?.Number).ToList();
            Assert.True(explained.All(k => k is not null) && explained.Distinct().Count() == explained.Count,
                $"Message {id:N} was delivered {delivered.Count} times ({string.Join(", ", delivered.Select(d => $"{d.File} from {d.Peer}"))}), not only in kill windows; "
                + $"kills: {string.Join("; ", cluster.Kills.Select(k => $"{k.Number} at {k.At}, ports {string.Join(",", k.VictimSmtpPorts)}, first delivery accepted then: {k.DeliveredFiles.Contains(delivered[0].File)}, committed then: {k.CommittedSent.Contains(id)}"))}.");
        }

        var conflicts = cluster.AllOutput().Count(line => line.Contains("Concurrency conflict on instance", StringComparison.Ordinal));
        output.WriteLine($"Result: {cluster.Kills.Count} kills; {outbox.Count} mails, {duplicates} delivered twice, {windows} kill windows; "
            + $"{answered.Count} answers ({retried} sent again after their node died); {conflicts} concurrency conflicts; {cluster.Elapsed:mm\\:ss}.");
        Assert.True(cluster.Kills.Count >= 3, $"Only {cluster.Kills.Count} kills: the run was too short to prove anything.");
        Assert.True(duplicates <= windows);
    }

    [Fact]
    public async Task SmtpDownAndPostgresRestarted_NothingLost_EverythingCompletes_TheOutageIsRecorded()
    {
        const int hearings = 20;
        await using var cluster = await FaultCluster.StartAsync(output);
        using var api = FaultCluster.Api(cluster.Steady);

        await cluster.Smtp.StopAsync();
        await StartHearingsAsync(cluster, hearings);
        // Invitations are tried and fail (a down server is tried a batch at a time, the oldest first).
        var failed = new List<Guid>();
        await WaitUntilAsync(cluster, "invitations to fail", async () =>
        {
            await using var db = cluster.Database();
            failed = await db.Outbox.Where(o => o.Status == OutboxStatus.Pending && o.LastError != null && o.LastError.Contains("Could not connect")).Select(o => o.Id).ToListAsync();
            return failed.Count > 0;
        });
        // Readiness names the mail as down, but the node stays in service.
        var ready = JsonNode.Parse(await (await api.GetAsync("/health/ready")).Content.ReadAsStringAsync())!;
        Assert.Equal(["mail"], ready["down"]!.AsArray().Select(d => d!.GetValue<string>()));

        await cluster.Postgres.StopAsync();
        cluster.Log("PostgreSQL stopped");
        var down = await api.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("database", JsonNode.Parse(await down.Content.ReadAsStringAsync())!["down"]!.AsArray().Select(d => d!.GetValue<string>()));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.Postgres.StartAgainAsync();
        cluster.Log("PostgreSQL started again");
        await cluster.Smtp.StartAgainAsync();
        cluster.Log("SMTP started again");

        // The mails that failed wait out their back-off (up to hours on the engine's clock): the clock moves an hour at a time.
        await WaitForOutboxAsync(cluster, "the invitations after the outage", hearings * PartiesPerHearing, stallStep: "PT1H");
        await AdvanceDayByDayAsync(cluster, AfterReminders);
        await WaitForOutboxAsync(cluster, "the reminders", null);
        await AdvanceAsync(cluster, AfterDeadline);
        await WaitForOutboxAsync(cluster, "the last mails", null);

        await using var check = cluster.Database();
        Assert.Equal(hearings, await check.Instances.CountAsync(i => i.Status == "Finished"));
        Assert.Equal(hearings, await check.Instances.CountAsync());
        var outbox = await check.Outbox.AsNoTracking().Select(o => new { o.Id, o.Template, o.Status, o.Attempts }).ToListAsync();
        Assert.Equal(hearings * PartiesPerHearing, outbox.Count(o => o.Template == "invitation"));
        Assert.Equal(hearings * PartiesPerHearing, outbox.Count(o => o.Template == "reminder"));
        Assert.All(outbox, o => Assert.Equal(OutboxStatus.Sent, o.Status));
        // The outage is on each mail that failed in it: its failed attempts are counted; none was given up.
        Assert.All(outbox.Where(o => failed.Contains(o.Id)), o => Assert.True(o.Attempts >= 2, $"Invitation {o.Id} was sent at attempt {o.Attempts}."));
        Assert.Empty(await check.Incidents.ToListAsync());
        // No node was killed: every mail exactly once at the SMTP server.
        var deliveries = Deliveries(cluster);
        Assert.Equal(outbox.Select(o => o.Id).Order(), deliveries.Keys.Order());
        Assert.All(deliveries, d => Assert.Single(d.Value));
        output.WriteLine($"Result: {outbox.Count} mails, each delivered once after the outage; {cluster.Elapsed:mm\\:ss}.");
    }

    /// <summary>Kills the victim after a random 2–7 s of work, leaves it down 0.2–2 s, starts it again; until stopped.</summary>
    private static async Task KillAtRandomAsync(FaultCluster cluster, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(random.Next(2_000, 7_000), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // The moments worth a kill are those in which it is sending: wait up to 5 s for one.
            await cluster.WaitUntilVictimSendsAsync(TimeSpan.FromSeconds(5));
            await cluster.KillVictimAsync();
            await Task.Delay(random.Next(200, 2_000), CancellationToken.None);
            await cluster.RestartVictimAsync();
        }
    }

    /// <summary>Starts the hearings on the steady node (a start that died with its node could not be told from one that did not).</summary>
    private static async Task StartHearingsAsync(FaultCluster cluster, int count)
    {
        using var api = FaultCluster.Api(cluster.Steady);
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (n, _) =>
        {
            var started = await (await api.PostJsonAsync("/api/instances", new
            {
                definitionId = "standard-hearing",
                input = new JsonObject
                {
                    ["title"] = $"Sundhedsaftale {n}",
                    ["caseNumber"] = $"FAULT-{n:D3}",
                    ["parties"] = "hovedstaden",
                    ["deadline"] = new JsonObject { ["date"] = Deadline, ["at"] = "12:00" },
                    ["reminders"] = new JsonArray(new JsonObject { ["workingDaysBefore"] = 3, ["at"] = "09:00" }),
                },
            })).ReadAsync<InstanceStarted>();
            Assert.NotEqual(Guid.Empty, started.InstanceId);
        });
        cluster.Log($"{count} hearings started");
    }

    /// <summary>
    /// Answers <paramref name="perHearing"/> parties of every hearing on its answer page, as a kommune's browser does: the
    /// page from one node, the form posted to one node (either may be the victim: the form token made on one node must
    /// hold on the other). A post that dies with its node is sent again, the same form, to the steady node.
    /// </summary>
    private static async Task<(List<Guid> Answered, int Retried)> AnswerAsync(FaultCluster cluster, Random random, int perHearing)
    {
        await using var db = cluster.Database();
        var invitations = await db.Outbox.AsNoTracking().Where(o => o.Template == "invitation")
            .Select(o => new { o.Id, o.InstanceId, PartyTaskId = o.PartyTaskId!.Value }).ToListAsync();
        // A mail delivered twice (a kill's window) carries the same link both times.
        var links = cluster.Smtp.Messages().GroupBy(m => m.MessageId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => AnswerLink().Match(g.First().Message.TextBody ?? "").Value, StringComparer.Ordinal);
        var chosen = invitations.GroupBy(i => i.InstanceId).OrderBy(g => g.Key)
            .SelectMany(g => g.OrderBy(i => i.PartyTaskId).OrderBy(_ => random.Next()).Take(perHearing))
            .Select(i => (i.PartyTaskId, Link: links.Single(l => l.Key.StartsWith(i.Id.ToString("N"), StringComparison.Ordinal)).Value, Seed: random.Next()))
            .ToList();
        int retried = 0, crossed = 0;
        await Parallel.ForEachAsync(chosen, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (answer, _) =>
        {
            var (again, acrossNodes) = await AnswerOnceAsync(cluster, answer.Link, $"Svar på {answer.PartyTaskId}.", new Random(answer.Seed));
            if (again)
            {
                Interlocked.Increment(ref retried);
            }
            if (acrossNodes)
            {
                Interlocked.Increment(ref crossed);
            }
        });
        cluster.Log($"{chosen.Count} answers given, {retried} sent again, {crossed} posted to another node than the one that made the form");
        // The key ring is shared: a form token made on one node is accepted on the other.
        Assert.True(crossed > 0, "No answer form was posted to another node than the one that made it.");
        return (chosen.Select(c => c.PartyTaskId).ToList(), retried);
    }

    /// <summary>One answer: whether its post died with its node and was sent again, and whether it went to another node than the form came from.</summary>
    private static async Task<(bool Again, bool AcrossNodes)> AnswerOnceAsync(FaultCluster cluster, string link, string text, Random random)
    {
        var cookies = new CookieContainer();
        HttpClient Browser(HostProcess host) => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(100),
        };
        HostProcess Pick() => random.Next(2) == 0 && cluster.Victim is { } victim ? victim : cluster.Steady;

        string page;
        var formFrom = Pick();
        try
        {
            using var browser = Browser(formFrom);
            page = await browser.GetStringAsync(link);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            formFrom = cluster.Steady;
            using var browser = Browser(formFrom);
            page = await browser.GetStringAsync(link);
        }
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken().Match(page).Groups[1].Value,
            ["submission"] = SubmissionKey().Match(page).Groups[1].Value,
            ["text"] = text,
        };
        HttpResponseMessage response;
        var again = false;
        var postTo = Pick();
        try
        {
            using var browser = Browser(postTo);
            response = await browser.PostAsync(link, Form(fields));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            // The browser shows an error; the kommune presses "send" again, and the same form goes to a live node.
            again = true;
            postTo = cluster.Steady;
            using var browser = Browser(postTo);
            response = await browser.PostAsync(link, Form(fields));
        }
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/kvittering/", StringComparison.Ordinal) == true,
            $"The answer at {link} got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (again, postTo != formFrom);
    }

    private static MultipartFormDataContent Form(Dictionary<string, string> fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return form;
    }

    /// <summary>Advances a day at a time, on the victim and the steady node in turn (again on the steady node when the victim dies).</summary>
    private static async Task AdvanceDayByDayAsync(FaultCluster cluster, string to)
    {
        using var api = FaultCluster.Api(cluster.Steady);
        var target = NodaTime.Text.InstantPattern.ExtendedIso.Parse(to).Value;
        var now = (await (await api.GetAsync("/api/clock")).ReadAsync<ClockReading>()).Now;
        for (var day = 0; now < target; day++)
        {
            now = NodaTime.Instant.Min(now + NodaTime.Duration.FromDays(1), target);
            var step = NodaTime.Text.InstantPattern.ExtendedIso.Format(now);
            if (day % 2 == 1 || cluster.Victim is not { } victim || !await FaultCluster.TryAdvanceAsync(victim, step))
            {
                await AdvanceAsync(cluster, step);
            }
        }
        cluster.Log($"the clock is at {to}");
    }

    private static async Task AdvanceAsync(FaultCluster cluster, string to)
    {
        Assert.True(await FaultCluster.TryAdvanceAsync(cluster.Steady, to), $"The steady node did not advance the clock to {to}.\n{cluster.Steady.Output}");
    }

    /// <summary>
    /// Waits until no mail is pending (and, when given, <paramref name="sentAtLeast"/> are sent), moving the clock on a
    /// minute when nothing moves for a while: a dead node's claims and the back-off of failed attempts run on it.
    /// </summary>
    private static async Task WaitForOutboxAsync(FaultCluster cluster, string what, int? sentAtLeast, string stallStep = "PT1M")
    {
        await WaitUntilAsync(cluster, what, stallStep, async () =>
        {
            await using var db = cluster.Database();
            var pending = await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Pending);
            var sent = await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Sent);
            return pending == 0 && sent >= (sentAtLeast ?? 0);
        });
    }

    private static Task WaitUntilAsync(FaultCluster cluster, string what, Func<Task<bool>> done) => WaitUntilAsync(cluster, what, "PT1M", done);

    private static async Task WaitUntilAsync(FaultCluster cluster, string what, string stallStep, Func<Task<bool>> done)
    {
        var started = cluster.Elapsed;
        var stalled = 0;
        while (true)
        {
            try
            {
                if (await done())
                {
                    cluster.Log($"done: {what}");
                    return;
                }
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException)
            {
                // PostgreSQL is being restarted.
            }
            Assert.True(cluster.Elapsed - started < TimeSpan.FromMinutes(10), $"Waited 10 minutes for {what}.\n{string.Join('\n', cluster.AllOutput().TakeLast(200))}");
            await Task.Delay(500);
            if (++stalled % 6 == 0)
            {
                using var api = FaultCluster.Api(cluster.Steady);
                try
                {
                    await api.PostJsonAsync("/api/clock/advance", new { by = stallStep });
                }
                catch (HttpRequestException)
                {
                    // Down with PostgreSQL for a moment.
                }
            }
        }
    }

    /// <summary>What the SMTP server received, by outbox row (the Message-ID is the row's id), oldest first.</summary>
    private static Dictionary<Guid, List<ReceivedMail>> Deliveries(FaultCluster cluster) =>
        cluster.Smtp.Messages().GroupBy(m => Guid.ParseExact(m.MessageId.Split('@')[0], "N")).ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>The mails a kill could leave to be sent again: accepted over the killed process's connections, not committed sent.</summary>
    private static List<Guid> Windows(KillRecord kill, Dictionary<Guid, List<ReceivedMail>> deliveries) =>
        deliveries.Where(d => d.Value.Any(m => InWindow(kill, d.Key, m))).Select(d => d.Key).ToList();

    private static bool InWindow(KillRecord kill, Guid id, ReceivedMail delivery) =>
        kill.DeliveredFiles.Contains(delivery.File) && !kill.CommittedSent.Contains(id) && kill.VictimSmtpPorts.Contains(PeerPort(delivery));

    /// <summary>The client port of <c>X-Peer: ('127.0.0.1', 45678)</c>.</summary>
    private static int PeerPort(ReceivedMail mail) =>
        int.Parse(mail.Peer.Split(',')[^1].Trim(' ', ')'), CultureInfo.InvariantCulture);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("name=\"submission\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex SubmissionKey();

    [GeneratedRegex(@"/svar/[A-Za-z0-9_\-]+")]
    private static partial Regex AnswerLink();
}
