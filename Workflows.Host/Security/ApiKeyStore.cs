using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Security;

/// <summary>
/// API keys created by administrators. A key is 32 random bytes (base64url, prefixed <c>pf_</c>); only its SHA-256 is
/// stored, so the key itself is shown once, on creation, and never again.
/// </summary>
public sealed class ApiKeyStore(IDbContextFactory<ProcesFlowDbContext> contexts, IClock clock)
{
    /// <summary>The last-used time is written at most this often per key, so a busy client does not write on every call.</summary>
    private static readonly Duration LastUsedResolution = Duration.FromMinutes(1);

    public const string Prefix = "pf_";

    /// <summary>How a key appears as an actor in the journal and the audit trail.</summary>
    public static string ActorOf(string name) => $"api-key:{name}";

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task<(ApiKeyRow Row, string Key)> CreateAsync(string name, string role, string? team, Instant? expiresAt, string createdBy, CancellationToken cancellationToken)
    {
        var key = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var row = new ApiKeyRow
        {
            Id = Guid.NewGuid(),
            Name = name,
            Role = role,
            Team = team,
            Hash = HashOf(key),
            CreatedBy = createdBy,
            CreatedAt = clock.GetCurrentInstant(),
            ExpiresAt = expiresAt,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return (row, key);
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(cancellationToken);
        return keys.OrderBy(k => k.RevokedAt.HasValue).ThenBy(k => k.Name, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>Revokes a key; false when there is no such key or it was revoked already.</summary>
    public async Task<ApiKeyRow?> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.RevokedAt == null, cancellationToken);
        if (row is null)
        {
            return null;
        }
        row.RevokedAt = clock.GetCurrentInstant();
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>The live key with this value, its last use noted; null for an unknown, expired or revoked key.</summary>
    public async Task<ApiKeyRow?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return null;
        }
        var hash = HashOf(presented);
        var now = clock.GetCurrentInstant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } expires && expires <= now))
        {
            return null;
        }
        if (row.LastUsedAt is not { } used || now - used >= LastUsedResolution)
        {
            row.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        return row;
    }
}
