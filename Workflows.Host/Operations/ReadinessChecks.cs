using System.Net.Sockets;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Workflows.Host.Mail;
using Workflows.Host.Persistence;

namespace Workflows.Host.Operations;

/// <summary>This process among the nodes: the name its Hangfire server announces, and what its log lines carry.</summary>
public sealed class NodeIdentity
{
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
}

/// <summary>The engine database answers a query on the instances table (not merely a connection: a broken file opens too).</summary>
internal sealed class DatabaseReadiness(IDbContextFactory<ProcesFlowDbContext> contexts, ILogger<DatabaseReadiness> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.Instances.AsNoTracking().Select(i => i.Id).FirstOrDefaultAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            logger.LogWarning(exception, "Readiness: the database does not answer");
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}

/// <summary>Hangfire's storage answers and this node's Hangfire server has announced itself there (it runs timers and mail).</summary>
internal sealed class HangfireReadiness(JobStorage storage, NodeIdentity node, ILogger<HangfireReadiness> logger) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            return Task.FromResult(servers.Any(s => s.Name.StartsWith(node.Name, StringComparison.OrdinalIgnoreCase))
                ? HealthCheckResult.Healthy($"This node's Hangfire server runs ({servers.Count} in all).")
                : HealthCheckResult.Unhealthy("This node's Hangfire server has not announced itself."));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            logger.LogWarning(exception, "Readiness: Hangfire's storage does not answer");
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire's storage does not answer."));
        }
    }
}

/// <summary>
/// The SMTP server accepts a connection, or the pickup directory exists. Mail that cannot go out waits in the outbox
/// and is retried, and every node shares the same SMTP server, so this degrades readiness but never fails it: taking
/// nodes out of the load balancer would stop the answer pages too and bring no mail through.
/// </summary>
internal sealed class MailReadiness(IOptions<MailOptions> options, ILogger<MailReadiness> logger) : IHealthCheck
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var mail = options.Value;
        if (!mail.UsesSmtp)
        {
            return Directory.Exists(mail.PickupDirectory) || TryCreate(mail.PickupDirectory)
                ? HealthCheckResult.Healthy("Mail is written to the pickup directory.")
                : HealthCheckResult.Degraded("The pickup directory cannot be created.");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            using var client = new TcpClient();
            await client.ConnectAsync(mail.Smtp.Host!, mail.Smtp.Port, timeout.Token);
            return HealthCheckResult.Healthy("The SMTP server accepts connections.");
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            logger.LogWarning("Readiness: the SMTP server {Host}:{Port} does not accept connections: {Error}", mail.Smtp.Host, mail.Smtp.Port, exception.Message);
            return HealthCheckResult.Degraded("The SMTP server does not accept connections; mail waits in the outbox.");
        }
    }

    private static bool TryCreate(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
