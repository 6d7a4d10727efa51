using System.Diagnostics;

namespace Workflows.Tests.Support;

/// <summary>
/// A private PostgreSQL server (one per test run: <see cref="SharedPostgres"/>): initdb in a temporary folder, started on a free loopback
/// port as the <c>postgres</c> user (the server refuses to run as root), stopped and deleted on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string folder;
    private readonly string bin;

    private PostgresServer(string folder, int port, string bin)
    {
        this.folder = folder;
        Port = port;
        this.bin = bin;
    }

    public int Port { get; }

    /// <summary>
    /// Room for the many hosts a test run keeps open at once (each with its connection pool and Hangfire's), and no
    /// flush to disk: that protects against a machine crash, which a test run does not survive anyway; a killed
    /// server process still recovers from its write-ahead log.
    /// </summary>
    private const string TestSettings = $"-c {MaxConnections} -c fsync=off -c full_page_writes=off";

    /// <summary>Marks a server as one of these tests' in its <c>postmaster.opts</c>, which quotes each argument alone.</summary>
    private const string MaxConnections = "max_connections=400";

    public string ConnectionString(string database = "postgres") => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); ./scripts/test.sh installs it.");
        RemoveStoppedServers();
        var folder = Directory.CreateTempSubdirectory("procesflow-pg-").FullName;
        var port = LoopbackPort.Free();
        var server = new PostgresServer(folder, port, bin);
        await RunAsync("chown", "postgres:postgres", folder);
        await RunAsPostgresAsync($"{bin}/initdb -D {folder}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8");
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Stops the server as an operator's restart does (<c>pg_ctl stop -m fast</c>: open sessions are ended).</summary>
    public Task StopAsync() => RunAsPostgresAsync($"{bin}/pg_ctl -D {folder}/data -m fast -w stop");

    /// <summary>(Re)starts the server on the same port and data; returns once it accepts connections.</summary>
    public Task StartAgainAsync() =>
        RunAsPostgresAsync($"{bin}/pg_ctl -D {folder}/data -l {folder}/log -o \"-c listen_addresses=127.0.0.1 -p {Port} -k {folder} {TestSettings}\" -w start");

    public async ValueTask DisposeAsync()
    {
        await RunAsPostgresAsync($"{bin}/pg_ctl -D {folder}/data -m immediate -w stop");
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// The folders of earlier runs' servers that stopped without their folder being removed (the test process was ended
    /// before its exit handler finished): started with <see cref="TestSettings"/> and no longer running. Another
    /// run's live server keeps its <c>postmaster.pid</c> and is left alone; a server not started by these tests too.
    /// </summary>
    private static void RemoveStoppedServers()
    {
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), "procesflow-pg-*"))
        {
            var options = Path.Combine(stale, "data", "postmaster.opts");
            if (File.Exists(options) && File.ReadAllText(options).Contains($"\"{MaxConnections}\"", StringComparison.Ordinal) && !File.Exists(Path.Combine(stale, "data", "postmaster.pid")))
            {
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (IOException)
                {
                    // Being removed by its own run right now.
                }
            }
        }
    }

    private static Task RunAsPostgresAsync(string command) => RunAsync("su", "postgres", "-c", command);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }
}
