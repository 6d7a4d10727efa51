using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using NodaTime.Text;
using Workflows.Host.Hosting;
using Workflows.Host.Mail;

namespace Workflows.Host.Demo;

/// <summary>
/// Demo mode for newcomers (<c>--demo</c> or <c>ProcesFlow:Demo=true</c>): its own SQLite file and mail folder
/// beside the normal ones (so demo data never mixes with a developer's own), no SMTP or IMAP, the simulated
/// clock in autumn 2019, and on a fresh database a few real hearings with answers already in.
/// </summary>
public static class DemoSetup
{
    /// <summary>The command-line switch; it stands for <see cref="ConfigurationKey"/> = true.</summary>
    public const string Switch = "--demo";

    public const string ConfigurationKey = "ProcesFlow:Demo";

    /// <summary>The demo database's file name, in the folder of the configured SQLite file (by default <c>data/demo.db</c>).</summary>
    public const string DatabaseFileName = "demo.db";

    /// <summary>The demo's pickup folder, beside the configured one (by default <c>data/demo-mail-outbox</c>).</summary>
    public const string MailFolderName = "demo-mail-outbox";

    public const string AttachmentsFolderName = "demo-attachments";

    /// <summary>The administrator's password in demo mode, unless <c>ProcesFlow:Admin:Password</c> is set.</summary>
    public const string AdminPassword = "procesflow-demo";

    /// <summary>The API key in demo mode, unless <c>ProcesFlow:ApiKeys</c> has keys.</summary>
    public const string ApiKey = "demo-key";

    /// <summary>
    /// The command line with <c>--demo</c> written as <c>--ProcesFlow:Demo=true</c>. A bare <c>--demo</c> would
    /// otherwise take the next argument as its value (<c>--demo --urls …</c> would lose the URLs).
    /// </summary>
    public static string[] WithDemoSwitch(string[] args) =>
        args.Select(a => a == Switch ? $"--{ConfigurationKey}=true" : a).ToArray();

    /// <summary>Whether demo mode is on.</summary>
    public static bool IsDemo(IConfiguration configuration) => configuration[ConfigurationKey] switch
    {
        null or "" => false,
        var text when bool.TryParse(text, out var on) => on,
        var text => throw new InvalidOperationException($"{ConfigurationKey} must be true or false, not '{text}'."),
    };

    /// <summary>In demo mode, lays the demo's settings over the configuration; always registers the seeder.</summary>
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(DemoScenarios.Autumn2019);
        builder.Services.AddSingleton<DemoSeeder>();
        if (IsDemo(builder.Configuration))
        {
            // Added last, so these win over appsettings.json, environment variables and the command line.
            builder.Configuration.AddInMemoryCollection(Settings(builder.Configuration, DemoScenarios.Autumn2019));
        }
        return builder;
    }

    /// <summary>
    /// Starts the demo hearings on a fresh demo database (one without instances), and tells the console where
    /// the demo runs and how to sign in. Does nothing unless demo mode is on.
    /// </summary>
    public static async Task SeedDemoAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        if (!IsDemo(app.Configuration))
        {
            return;
        }
        var seeder = app.Services.GetRequiredService<DemoSeeder>();
        await seeder.SeedAsync(cancellationToken);
        var server = app.Services.GetRequiredService<IServer>();
        app.Lifetime.ApplicationStarted.Register(() => seeder.Welcome(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []));
    }

    /// <summary>The settings demo mode lays over <paramref name="configuration"/>.</summary>
    internal static Dictionary<string, string?> Settings(IConfiguration configuration, DemoScenario scenario)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Workflows"] = $"Data Source={Path.Combine(SqliteFolder(configuration), DatabaseFileName)}",
            ["ProcesFlow:Database:Provider"] = nameof(DatabaseProvider.Sqlite),
            ["ProcesFlow:Mail:PickupDirectory"] = Beside(configuration["ProcesFlow:Mail:PickupDirectory"] ?? MailOptions.DefaultPickupDirectory, MailFolderName),
            ["ProcesFlow:Answers:AttachmentsFolder"] = Beside(configuration["ProcesFlow:Answers:AttachmentsFolder"] ?? "data/attachments", AttachmentsFolderName),
            // A demo never mails anyone and never reads anyone's inbox, whatever else is configured.
            ["ProcesFlow:Mail:Smtp:Host"] = "",
            ["ProcesFlow:Mail:Imap:Host"] = "",
        };
        if (string.IsNullOrWhiteSpace(configuration["ProcesFlow:Clock:Mode"]))
        {
            settings["ProcesFlow:Clock:Mode"] = nameof(ClockMode.Simulated);
        }
        if (string.IsNullOrWhiteSpace(configuration["ProcesFlow:Clock:Start"]))
        {
            settings["ProcesFlow:Clock:Start"] = LocalDateTimePattern.ExtendedIso.Format(scenario.ClockStart);
        }
        if (string.IsNullOrEmpty(configuration["ProcesFlow:Admin:Password"]))
        {
            settings["ProcesFlow:Admin:Password"] = AdminPassword;
        }
        if (!configuration.GetSection("ProcesFlow:ApiKeys").GetChildren().Any())
        {
            settings["ProcesFlow:ApiKeys:0"] = ApiKey;
        }
        return settings;
    }

    /// <summary>The folder of the configured SQLite file; <c>data</c> for the default, PostgreSQL or an in-memory database.</summary>
    private static string SqliteFolder(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Workflows");
        var provider = configuration["ProcesFlow:Database:Provider"];
        if (string.IsNullOrWhiteSpace(connectionString) || string.Equals(provider, nameof(DatabaseProvider.PostgreSql), StringComparison.OrdinalIgnoreCase))
        {
            return "data";
        }
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return file is "" or ":memory:" ? "data" : Path.GetDirectoryName(file) ?? "";
    }

    private static string Beside(string folder, string name) =>
        Path.Combine(Path.GetDirectoryName(folder.TrimEnd('/', '\\')) ?? "", name);
}
