using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Workflows.Tests.Support;

/// <summary>
/// The real host in-process on <see cref="Database"/> (a real SQLite file in a temporary folder, or a database of its
/// own on the test run's PostgreSQL server), with an API key. Settings come from <see cref="Settings"/>, never from the
/// repository's appsettings.json.
/// </summary>
public class ProcesFlowApiFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-key-5f1c";

    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    public ProcesFlowApiFactory(TestDatabase database)
        : this(database, Directory.CreateTempSubdirectory("procesflow-test-").FullName, ownsFolder: true)
    {
    }

    protected ProcesFlowApiFactory(TestDatabase database, string folder, bool ownsFolder)
    {
        Database = database;
        Folder = folder;
        this.ownsFolder = ownsFolder;
    }

    private readonly bool ownsFolder;

    /// <summary>A second host on an existing folder's database (a "restart"); the folder is left for its owner.</summary>
    public static ProcesFlowApiFactory Reopen(TestDatabase database, string folder) => new(database, folder, ownsFolder: false);

    public TestDatabase Database { get; }

    /// <summary>The temporary folder holding the files and the SQLite database (deleted on dispose).</summary>
    public string Folder { get; }

    /// <summary>Configuration for this host; subclasses and tests add to it before the first client is created.</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in TestDatabases.Settings(Database, Folder))
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("ProcesFlow:ApiKeys:0", ApiKey);
        builder.UseSetting("ProcesFlow:PublicBaseUrl", "http://127.0.0.1:5080");
        builder.UseSetting("ProcesFlow:Mail:PickupDirectory", Path.Combine(Folder, "mail-outbox"));
        builder.UseSetting("ProcesFlow:Answers:AttachmentsFolder", Path.Combine(Folder, "attachments"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && ownsFolder)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestDatabases.Drop(Database, Folder);
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a background thread; the temp folder is cleaned by the OS eventually.
            }
        }
    }
}

/// <summary>The host on SQLite, for <c>IClassFixture</c>.</summary>
public sealed class SqliteApiFactory() : ProcesFlowApiFactory(TestDatabase.Sqlite);

/// <summary>The host on PostgreSQL, for <c>IClassFixture</c>.</summary>
public sealed class PostgreSqlApiFactory() : ProcesFlowApiFactory(TestDatabase.PostgreSql);

/// <summary>JSON helpers with the same NodaTime settings as the host.</summary>
public static class HttpJson
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, ProcesFlowApiFactory.Json)!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string url, T value) =>
        client.PostAsJsonAsync(url, value, ProcesFlowApiFactory.Json);
}
