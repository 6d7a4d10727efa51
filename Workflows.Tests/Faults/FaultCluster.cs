using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Tests.Support;
using Xunit.Abstractions;

namespace Workflows.Tests.Faults;

/// <summary>
/// What a kill left behind, taken while the killed process could do nothing more: the mails the SMTP server had accepted
/// by then, the outbox rows committed as sent by then, and the killed process's own SMTP connections (client ports).
/// A mail accepted over one of those connections whose row was not yet committed sent is a window for one resend.
/// </summary>
internal sealed record KillRecord(int Number, TimeSpan At, IReadOnlySet<string> DeliveredFiles, IReadOnlySet<Guid> CommittedSent, IReadOnlySet<int> VictimSmtpPorts);

/// <summary>
/// Two real host processes on one private PostgreSQL server, mailing a real SMTP sink, on the simulated clock: the
/// steady node, never killed, and the victim, which a test kills with SIGKILL and starts again. The PostgreSQL server is
/// this cluster's own (not the test run's shared one), so stopping it harms no other test.
/// </summary>
internal sealed class FaultCluster : IAsyncDisposable
{
    public const string ApiKey = ProcesFlowApiFactory.ApiKey;

    /// <summary>A restart competes with the other node's work for two cores (and on CI with other tests): given more time than one host alone.</summary>
    private static readonly TimeSpan StartWithin = TimeSpan.FromMinutes(3);

    private readonly string folder;
    private readonly ITestOutputHelper output;
    private readonly Stopwatch elapsed = Stopwatch.StartNew();
    private readonly List<string> victimOutputs = [];
    private readonly string connectionString;
    private HostProcess? victim;

    private FaultCluster(string folder, PostgresServer postgres, SmtpSink smtp, ITestOutputHelper output)
    {
        this.folder = folder;
        this.output = output;
        Postgres = postgres;
        Smtp = smtp;
        connectionString = $"Host=127.0.0.1;Port={postgres.Port};Username=postgres;Database=procesflow;Maximum Pool Size=40;Include Error Detail=true";
    }

    public PostgresServer Postgres { get; }

    public SmtpSink Smtp { get; }

    /// <summary>The node that is never killed: hearings are started and answers retried there.</summary>
    public HostProcess Steady { get; private set; } = null!;

    /// <summary>The node that is killed; null while it is down.</summary>
    public HostProcess? Victim => Volatile.Read(ref victim);

    public List<KillRecord> Kills { get; } = [];

    public TimeSpan Elapsed => elapsed.Elapsed;

    public static async Task<FaultCluster> StartAsync(ITestOutputHelper output)
    {
        var folder = Directory.CreateTempSubdirectory("procesflow-faults-").FullName;
        var definitions = Directory.CreateDirectory(Path.Combine(folder, "definitions")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "definitions-json", "standard-hearing.json"), Path.Combine(definitions, "standard-hearing.json"));
        var postgres = await PostgresServer.StartAsync();
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE procesflow", connection);
            await create.ExecuteNonQueryAsync();
        }
        var cluster = new FaultCluster(folder, postgres, await SmtpSink.StartAsync(), output);
        // One at a time on an empty database: the first applies the migrations and sets the clock.
        cluster.Steady = await HostProcess.StartAsync(folder, cluster.Settings(), healthyWithin: StartWithin);
        cluster.victim = await HostProcess.StartAsync(folder, cluster.Settings(), healthyWithin: StartWithin);
        cluster.Log("both nodes are up");
        return cluster;
    }

    public void Log(string line) => output.WriteLine($"[{elapsed.Elapsed:mm\\:ss\\.f}] {line}");

    public ProcesFlowDbContext Database() => new PostgreSqlProcesFlowDbContext(
        new DbContextOptionsBuilder<PostgreSqlProcesFlowDbContext>().UseNpgsql(connectionString, o => o.UseNodaTime()).Options);

    public static HttpClient Api(HostProcess host)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>
    /// SIGKILLs the victim and records what it left (<see cref="KillRecord"/>). The process is stopped (SIGSTOP) first, so
    /// the SMTP connections listed are all it has: it cannot open another between the listing and the kill.
    /// </summary>
    public async Task<KillRecord> KillVictimAsync()
    {
        var host = Interlocked.Exchange(ref victim, null) ?? throw new InvalidOperationException("The victim is not running.");
        await RunAsync("kill", "-STOP", host.ProcessId.ToString(CultureInfo.InvariantCulture));
        var ports = await SmtpClientPortsOfAsync(host.ProcessId);
        await host.KillAsync();
        var at = elapsed.Elapsed;
        var delivered = DeliveredFiles();
        HashSet<Guid> sent;
        await using (var db = Database())
        {
            sent = (await db.Outbox.AsNoTracking().Where(o => o.Status == OutboxStatus.Sent).Select(o => o.Id).ToListAsync()).ToHashSet();
        }
        lock (victimOutputs)
        {
            victimOutputs.Add(host.Output);
        }
        await host.DisposeAsync();
        var record = new KillRecord(Kills.Count + 1, at, delivered, sent, ports);
        Kills.Add(record);
        Log($"kill {record.Number}: the victim had {ports.Count} SMTP connection(s); {delivered.Count} mails accepted, {sent.Count} committed sent");
        return record;
    }

    /// <summary>Returns when the victim has a connection to the SMTP server, or after <paramref name="atMost"/>.</summary>
    public async Task WaitUntilVictimSendsAsync(TimeSpan atMost)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < atMost && Victim is { } host && (await SmtpClientPortsOfAsync(host.ProcessId)).Count == 0)
        {
            await Task.Delay(50);
        }
    }

    public async Task RestartVictimAsync()
    {
        var host = await HostProcess.StartAsync(folder, Settings(), healthyWithin: StartWithin);
        Volatile.Write(ref victim, host);
        Log("the victim is up again");
    }

    /// <summary>Every line any process of the cluster wrote (the killed victims' too).</summary>
    public IEnumerable<string> AllOutput()
    {
        List<string> outputs;
        lock (victimOutputs)
        {
            outputs = [.. victimOutputs];
        }
        outputs.Add(Steady.Output);
        if (Victim is { } running)
        {
            outputs.Add(running.Output);
        }
        return outputs.SelectMany(o => o.Split('\n'));
    }

    /// <summary>The Maildir's file names (the sink writes each message before it answers 250).</summary>
    public HashSet<string> DeliveredFiles() =>
        new[] { "new", "cur" }.Select(sub => Path.Combine(Smtp.Maildir, sub)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>Advances the simulated clock on <paramref name="host"/>; false when that node died meanwhile.</summary>
    public static async Task<bool> TryAdvanceAsync(HostProcess host, string to)
    {
        try
        {
            using var api = Api(host);
            var response = await api.PostJsonAsync("/api/clock/advance", new { to });
            response.EnsureSuccessStatusCode();
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Victim is { } running)
        {
            await running.DisposeAsync();
        }
        if (Steady is not null)
        {
            await Steady.DisposeAsync();
        }
        await Smtp.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await Postgres.DisposeAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS.
        }
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["ProcesFlow:Database:Provider"] = "PostgreSql",
        ["ConnectionStrings:Workflows"] = connectionString,
        ["ProcesFlow:ApiKeys:0"] = ApiKey,
        ["ProcesFlow:DefinitionsFolder"] = Path.Combine(folder, "definitions"),
        ["ProcesFlow:Clock:Mode"] = "Simulated",
        ["ProcesFlow:Clock:Start"] = "2026-03-02T08:00",
        ["ProcesFlow:Mail:Smtp:Host"] = Smtp.Host,
        ["ProcesFlow:Mail:Smtp:Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["ProcesFlow:Mail:Smtp:From"] = "hoering@procesflow.example",
        // Simulated seconds: a dead node's claimed mails are free again after the next advance of a minute.
        ["ProcesFlow:Mail:ClaimDuration"] = "00:00:30",
        // Real seconds for Hangfire's locks and jobs held by a killed node; simulated for instances it left running.
        ["ProcesFlow:Scheduling:InterruptedAfter"] = "00:00:10",
        ["ProcesFlow:Admin:Password"] = "fault-harness-password-1",
        // Every kommune of the harness answers from the one loopback address.
        ["ProcesFlow:Answers:RequestsPerMinute"] = "100000",
        ["Logging:LogLevel:Default"] = "Warning",
        // The concurrency conflicts are counted from these lines.
        ["Logging:LogLevel:Workflows.Host.Persistence.Stores"] = "Information",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
    };

    /// <summary>The client ports of <paramref name="pid"/>'s TCP connections to the SMTP sink, from <c>ss</c>.</summary>
    private async Task<HashSet<int>> SmtpClientPortsOfAsync(int pid)
    {
        var listing = await RunAsync("ss", "-tnpH", "dst", $"{Smtp.Host}:{Smtp.Port}");
        var ports = new HashSet<int>();
        foreach (var line in listing.Split('\n'))
        {
            // State, receive and send queues, our address (127.0.0.1:port or [::ffff:127.0.0.1]:port), the peer's, the process.
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 6 && line.Contains($"pid={pid},", StringComparison.Ordinal))
            {
                ports.Add(int.Parse(columns[3][(columns[3].LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
            }
        }
        return ports;
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
        }
        return text;
    }
}
