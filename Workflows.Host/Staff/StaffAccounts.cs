using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Staff;

/// <summary><c>ProcesFlow:Admin</c>: the first administrator, created on a fresh database.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "ProcesFlow:Admin";

    public string Email { get; set; } = "admin@procesflow.local";

    /// <summary>When empty, a password is generated and printed once to the console.</summary>
    public string? Password { get; set; }
}

/// <summary>Staff accounts: the first administrator, and checking a password at sign-in.</summary>
public sealed class StaffAccounts(IDbContextFactory<ProcesFlowDbContext> contexts, IOptions<AdminOptions> options, IClock clock, ILogger<StaffAccounts> logger)
{
    private static readonly PasswordHasher<UserRow> Hasher = new();

    /// <summary>Creates the administrator on a database with no staff yet.</summary>
    public async Task EnsureAdministratorAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }
        var password = options.Value.Password;
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15));
        }
        var user = new UserRow
        {
            Id = Guid.CreateVersion7(),
            Email = options.Value.Email.Trim().ToLowerInvariant(),
            Name = "Administrator",
            PasswordHash = "",
            IsAdministrator = true,
            CreatedAt = clock.GetCurrentInstant(),
        };
        user.PasswordHash = Hasher.HashPassword(user, password!);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        if (generated)
        {
            // Printed once, on the console only: it is not stored anywhere but as a hash.
            Console.WriteLine($"ProcesFlow: administrator {user.Email} created with password {password}  (shown only now; set ProcesFlow:Admin:Password to choose it)");
        }
        logger.LogInformation("Created the administrator {Email}", user.Email);
    }

    /// <summary>The user whose email and password these are, or null (same answer for a wrong email or a wrong password).</summary>
    public async Task<UserRow?> VerifyAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return null;
        }
        // Stored lower-case (see EnsureAdministratorAsync), so the comparison in SQL is a plain equality.
        var normalized = email.Trim().ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null)
        {
            // Spend the same effort as for a real check, so timing does not tell which emails exist.
            Hasher.VerifyHashedPassword(new UserRow { Email = "", Name = "", PasswordHash = "" }, DummyHash, password);
            return null;
        }
        return Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? null : user;
    }

    private static readonly string DummyHash = Hasher.HashPassword(new UserRow { Email = "", Name = "", PasswordHash = "" }, "not a password");
}
