using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Testing;
using Workflows.Host.Hosting;
using Workflows.Host.Mail;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Tests.Support;

namespace Workflows.Tests.Mail;

/// <summary>
/// A real database (a SQLite file in a temporary folder, or a database of its own on the test run's PostgreSQL server;
/// schema from that provider's migrations), a fake clock, and dispatchers built on them the way the host builds its
/// singleton.
/// </summary>
public sealed class MailTestBed : IAsyncDisposable
{
    public const string PublicBaseUrl = "https://procesflow.example.dk/";

    public static readonly Instant Start = Instant.FromUtc(2019, 10, 1, 8, 0);

    private MailTestBed(TestDatabase database, string folder)
    {
        Database = database;
        Folder = folder;
        ConnectionString = TestDatabases.Settings(database, folder)["ConnectionStrings:Workflows"];
        Contexts = ContextsWith();
    }

    public TestDatabase Database { get; }

    public string ConnectionString { get; }

    public string Folder { get; }

    public IDbContextFactory<ProcesFlowDbContext> Contexts { get; }

    public FakeClock Clock { get; } = new(Start);

    public MailOptions Options { get; } = new();

    public static async Task<MailTestBed> CreateAsync(TestDatabase database)
    {
        var folder = Directory.CreateTempSubdirectory("procesflow-mail-").FullName;
        var bed = new MailTestBed(database, folder);
        await using (var db = await bed.Contexts.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }
        }
        bed.Options.PickupDirectory = Path.Combine(folder, "mail-outbox");
        return bed;
    }

    /// <summary>Mail goes to <paramref name="sink"/>; the protocol log (one <c>EHLO</c> per connection) is <see cref="ProtocolLog"/>.</summary>
    public MailTestBed UseSmtp(Support.SmtpSink sink) => UseSmtp(sink.Host, sink.Port);

    public MailTestBed UseSmtp(string host, int port)
    {
        Options.Smtp.Host = host;
        Options.Smtp.Port = port;
        Options.Smtp.Security = MailKit.Security.SecureSocketOptions.None;
        Options.Smtp.Timeout = TimeSpan.FromSeconds(10);
        Options.Smtp.ProtocolLog = ProtocolLog;
        return this;
    }

    public string ProtocolLog => Path.Combine(Folder, "smtp.log");

    /// <summary>How many SMTP connections were opened, from the client's protocol log.</summary>
    public int SmtpConnections() => File.Exists(ProtocolLog)
        ? File.ReadLines(ProtocolLog).Count(line => line.StartsWith("C: EHLO", StringComparison.Ordinal))
        : 0;

    /// <summary>Contexts on the same database that run <paramref name="interceptors"/> (to interleave another sender).</summary>
    public IDbContextFactory<ProcesFlowDbContext> ContextsWith(params IInterceptor[] interceptors) => Database switch
    {
        TestDatabase.PostgreSql => new Factory(() => new PostgreSqlProcesFlowDbContext(
            new DbContextOptionsBuilder<PostgreSqlProcesFlowDbContext>().UseNpgsql(ConnectionString, o => o.UseNodaTime()).AddInterceptors(interceptors).Options)),
        _ => new Factory(() => new SqliteProcesFlowDbContext(
            new DbContextOptionsBuilder<SqliteProcesFlowDbContext>().UseSqlite(new SqliteConnectionStringBuilder(ConnectionString) { DefaultTimeout = 30 }.ToString()).AddInterceptors(interceptors).Options)),
    };

    public OutboxDispatcher Dispatcher(IDbContextFactory<ProcesFlowDbContext>? contexts = null) => new(
        contexts ?? Contexts, Clock, Microsoft.Extensions.Options.Options.Create(Options),
        Microsoft.Extensions.Options.Options.Create(new ProcesFlowOptions { PublicBaseUrl = PublicBaseUrl, TimeZone = "Europe/Copenhagen" }),
        new Workflows.Host.Answers.AnswerLinks(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider(), Clock),
        Bounces, Metrics,
        Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { Provider = Database == TestDatabase.PostgreSql ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite }),
        NullLogger<OutboxDispatcher>.Instance);

    /// <summary>The meter factory behind <see cref="Metrics"/>, for a <c>MeterListener</c> that counts this bed's mails only.</summary>
    public System.Diagnostics.Metrics.IMeterFactory Meters { get; } = new ServiceCollection()
        .AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    public Workflows.Host.Operations.ProcesFlowMetrics Metrics => metrics ??= new(Meters);

    private Workflows.Host.Operations.ProcesFlowMetrics? metrics;

    /// <summary>The refusals the dispatcher reported; no hearing takes them here (the bounce tests run the real host).</summary>
    public BounceLog Bounces { get; } = new();

    public sealed class BounceLog : IMailBounceRecorder
    {
        public List<(Guid PartyTaskId, string Address, string Reason)> Recorded { get; } = [];

        public Task<bool> RecordAsync(Guid partyTaskId, string address, string reason, CancellationToken cancellationToken)
        {
            Recorded.Add((partyTaskId, address, reason));
            return Task.FromResult(false);
        }
    }

    /// <summary>Queues a mail as the engine does: a Pending row due now.</summary>
    public async Task<OutboxRow> QueueAsync(string? template = null, JsonObject? model = null, string[]? to = null,
        Guid? partyTaskId = null, string subject = "Besked fra ProcesFlow", string text = "Hej.", string? html = null)
    {
        var now = Clock.GetCurrentInstant();
        var row = new OutboxRow
        {
            Id = Guid.CreateVersion7(),
            InstanceId = Guid.CreateVersion7(),
            ActivityId = "hearing",
            To = JsonSerializer.Serialize(to ?? ["postkasse@aarhus.example.dk"]),
            Subject = template is null ? subject : "",
            TextBody = template is null ? text : "",
            HtmlBody = html,
            Template = template,
            Model = model?.ToJsonString(),
            PartyTaskId = partyTaskId,
            Status = OutboxStatus.Pending,
            QueuedAt = now,
            NextAttemptAt = now,
        };
        await using var db = await Contexts.CreateDbContextAsync();
        db.Outbox.Add(row);
        await db.SaveChangesAsync();
        return row;
    }

    public async Task<OutboxRow> RowAsync(Guid id)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Outbox.AsNoTracking().SingleAsync(o => o.Id == id);
    }

    public async Task<List<OutboxRow>> RowsAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Outbox.AsNoTracking().OrderBy(o => o.QueuedAt).ToListAsync();
    }

    public async Task<List<IncidentRow>> IncidentsAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Incidents.AsNoTracking().ToListAsync();
    }

    /// <summary>The invitation model the Hearing activity writes (DESIGN's example: KKR Midtjylland to Aarhus Kommune).</summary>
    public static JsonObject HearingModel(string title = "Erhvervsfremmestrategi 2020-2023", string token = "tok-aarhus-123") => new()
    {
        ["title"] = title,
        ["caseNumber"] = "SAG-2019-05950",
        ["sender"] = "KKR Midtjylland",
        ["partyId"] = "aarhus",
        ["partyName"] = "Aarhus Kommune",
        ["deadline"] = new JsonObject
        {
            ["instant"] = "2019-10-31T11:00:00Z",
            ["local"] = "2019-10-31T12:00:00",
            ["text"] = "torsdag den 31. oktober 2019 kl. 12.00",
        },
        ["answerPath"] = $"/svar/{token}",
        ["material"] = new JsonArray(
            new JsonObject { ["title"] = "Udkast til strategi", ["url"] = "https://kkr.example.dk/materiale/strategi.pdf" },
            new JsonObject { ["title"] = "Følgebrev", ["url"] = "https://kkr.example.dk/materiale/foelgebrev.pdf" }),
        ["message"] = "Vi ser frem til jeres bemærkninger.",
        ["sequence"] = 0,
    };

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        TestDatabases.Drop(Database, Folder);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up.
        }
        return ValueTask.CompletedTask;
    }

    private sealed class Factory(Func<ProcesFlowDbContext> create) : IDbContextFactory<ProcesFlowDbContext>
    {
        public ProcesFlowDbContext CreateDbContext() => create();
    }
}
