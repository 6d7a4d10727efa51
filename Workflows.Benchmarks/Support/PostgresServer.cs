using System.Diagnostics;
using System.Globalization;

namespace Workflows.Benchmarks.Support;

/// <summary>
/// A private PostgreSQL server for figure 8 (Debian's <c>postgresql</c> package; <c>./scripts/test.sh</c> installs it):
/// initdb in the run's folder, started on a free loopback port as the <c>postgres</c> user. Unlike the tests' server it
/// keeps PostgreSQL's durable defaults (<c>fsync</c>, <c>synchronous_commit</c>): a commit is on disk, as in production.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string bin;
    private readonly string folder;

    private PostgresServer(string bin, string folder, int port)
    {
        this.bin = bin;
        this.folder = folder;
        Port = port;
    }

    /// <summary>The one database the hosts share.</summary>
    public const string Database = "procesflow";

    public int Port { get; }

    public string ConnectionString =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={Database}");

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("Figure 8 needs PostgreSQL (apt-get install postgresql); ./scripts/test.sh installs it.");
        }
        var folder = Directory.CreateTempSubdirectory("bench-pg-").FullName;
        var server = new PostgresServer(bin, folder, HostProcess.FreePort());
        await RunAsync("chown", "postgres:postgres", folder);
        await RunAsPostgresAsync($"{bin}/initdb -D {folder}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8");
        // Two hosts, each with its connection pool and Hangfire's: more than the default 100 connections.
        await RunAsPostgresAsync($"{bin}/pg_ctl -D {folder}/data -l {folder}/log -o \"-c listen_addresses=127.0.0.1 -p {server.Port} -k {folder} -c max_connections=300\" -w start");
        await RunAsPostgresAsync($"{bin}/createdb -h 127.0.0.1 -p {server.Port} -U postgres {Database}");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsPostgresAsync($"{bin}/pg_ctl -D {folder}/data -m fast -w stop");
        Directory.Delete(folder, recursive: true);
    }

    private static Task RunAsPostgresAsync(string command) => RunAsync("su", "postgres", "-c", command);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }
}
