using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Workflows.Host.Api;
using Workflows.Tests.Support;

namespace Workflows.Tests.Operations;

/// <summary>A log line written while a request about an instance and a party runs carries both ids as scope properties.</summary>
public abstract class LogScopeTests(TestDatabase database) : IDisposable
{
    private readonly ProcesFlowApiFactory factory = new(database);

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task ARequestAboutAPartyOfAnInstance_LogsWithItsInstanceIdAndPartyId()
    {
        var capture = new CapturingLoggerProvider();
        using var host = factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging
            .AddProvider(capture)
            .AddFilter<CapturingLoggerProvider>("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Information)));
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ProcesFlowApiFactory.ApiKey);
        var id = (await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = JsonNode.Parse("""{ "title": "Rammeaftale", "parties": ["aarhus"], "deadline": { "date": "2030-10-31", "at": "12:00" } }"""),
        })).ReadAsync<InstanceStarted>()).InstanceId;

        await (await client.PostJsonAsync($"/api/instances/{id}/parties/aarhus/answer", new { text = "Aarhus tiltræder." })).ReadAsync<SignalResult>();

        var line = Assert.Single(capture.Lines, l => l.Message.StartsWith("Executing endpoint", StringComparison.Ordinal) && l.Message.Contains("/answer", StringComparison.Ordinal));
        Assert.Equal(id.ToString(), line.Scope["InstanceId"]?.ToString());
        Assert.Equal("aarhus", line.Scope["PartyId"]?.ToString());
        var start = Assert.Single(capture.Lines, l => l.Message.StartsWith("Executing endpoint", StringComparison.Ordinal) && l.Message.Contains("POST /api/instances", StringComparison.Ordinal) && !l.Message.Contains("{instanceId", StringComparison.Ordinal));
        Assert.False(start.Scope.ContainsKey("InstanceId"), "a request about no instance has no instance scope");
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Message, Dictionary<string, object?> Scope)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
                provider.scopes.ForEachScope((value, into) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object?>> properties)
                    {
                        foreach (var (key, item) in properties)
                        {
                            into[key] = item;
                        }
                    }
                }, scope);
                provider.Lines.Enqueue((formatter(state, exception), scope));
            }
        }
    }
}

[Trait("Database", "Sqlite")]
public sealed class LogScopeTestsOnSqlite() : LogScopeTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class LogScopeTestsOnPostgreSql() : LogScopeTests(TestDatabase.PostgreSql);
