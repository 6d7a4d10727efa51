using System.Globalization;

namespace Workflows.Benchmarks.Support;

/// <summary>
/// Where a scenario's hosts run: one process on a SQLite file, as shipped, or several processes on one PostgreSQL
/// database (figure 8), each node its own process on its own port, as an operator runs them.
/// </summary>
public sealed class Deployment : IAsyncDisposable
{
    private readonly Func<int, IReadOnlyDictionary<string, string>> settings;
    private readonly PostgresServer? server;
    private readonly bool keepFiles;
    private readonly int[] ports;
    private readonly HostProcess?[] nodes;

    private Deployment(string folder, int nodeCount, PostgresServer? server, Func<int, IReadOnlyDictionary<string, string>> settings, bool keepFiles)
    {
        Folder = folder;
        this.server = server;
        this.settings = settings;
        this.keepFiles = keepFiles;
        ports = Enumerable.Range(0, nodeCount).Select(_ => HostProcess.FreePort()).ToArray();
        nodes = new HostProcess?[nodeCount];
    }

    public string Folder { get; }

    public IReadOnlyList<HostProcess> Nodes => nodes.Select(n => n ?? throw new InvalidOperationException("The deployment is not running.")).ToList();

    public HostProcess First => Nodes[0];

    /// <summary>The database as the host is configured for it, for tools that open it beside the host (answer links).</summary>
    public IReadOnlyDictionary<string, string> DatabaseSettings => server is null
        ? new Dictionary<string, string> { ["ConnectionStrings:Workflows"] = $"Data Source={SqlitePath}" }
        : new Dictionary<string, string>
        {
            ["ConnectionStrings:Workflows"] = server.ConnectionString,
            ["ProcesFlow:Database:Provider"] = "PostgreSql",
        };

    public string SqlitePath => Path.Combine(Folder, "procesflow.db");

    public string Description => server is null ? "SQLite file, 1 node" : $"PostgreSQL, {nodes.Length} nodes";

    public Sql OpenSql() => server is null ? Sql.Sqlite(SqlitePath) : Sql.PostgreSql(server.ConnectionString);

    /// <summary>
    /// Starts the hosts. <c>settings</c> gives a node's configuration for the port it listens on (the database is added
    /// here); <c>name</c> names the run's temporary folder.
    /// </summary>
    public static async Task<Deployment> StartSqliteAsync(string name, Func<int, IReadOnlyDictionary<string, string>> settings, bool keepFiles)
    {
        var deployment = new Deployment(Directory.CreateTempSubdirectory($"bench-{name}-").FullName, 1, null, settings, keepFiles);
        await deployment.StartNodesAsync();
        return deployment;
    }

    public static async Task<Deployment> StartPostgreSqlAsync(string name, int nodeCount, Func<int, IReadOnlyDictionary<string, string>> settings, bool keepFiles)
    {
        var server = await PostgresServer.StartAsync();
        var deployment = new Deployment(Directory.CreateTempSubdirectory($"bench-{name}-").FullName, nodeCount, server, settings, keepFiles);
        await deployment.StartNodesAsync();
        return deployment;
    }

    /// <summary>Kills every node like a power cut and starts them again on the same ports.</summary>
    public async Task RestartAsync()
    {
        foreach (var node in nodes.OfType<HostProcess>())
        {
            await node.DisposeAsync();
        }
        Array.Clear(nodes);
        await StartNodesAsync();
    }

    public double PeakWorkingSetMb() => Nodes.Max(n => n.PeakWorkingSetMb());

    public TimeSpan CpuTime() => Nodes.Aggregate(TimeSpan.Zero, (sum, n) => sum + n.CpuTime());

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes.OfType<HostProcess>())
        {
            await node.DisposeAsync();
        }
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        if (!keepFiles)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>The first node alone (it migrates the database), then the others together.</summary>
    private async Task StartNodesAsync()
    {
        nodes[0] = await StartNodeAsync(0);
        var others = await Task.WhenAll(Enumerable.Range(1, nodes.Length - 1).Select(StartNodeAsync));
        others.CopyTo(nodes, 1);
    }

    private Task<HostProcess> StartNodeAsync(int index)
    {
        var folder = nodes.Length == 1 ? Folder : Directory.CreateDirectory(Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"node-{index + 1}"))).FullName;
        var configuration = settings(ports[index]).Concat(DatabaseSettings).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        return HostProcess.StartAsync(folder, configuration, ports[index]);
    }
}
