using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;

namespace Workflows.Host.Staff;

/// <summary><c>ProcesFlow:Admin</c>: the first administrator, created on a fresh database.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "ProcesFlow:Admin";

    public string Email { get; set; } = "admin@procesflow.local";

    /// <summary>When empty, a password is generated and printed once to the console.</summary>
    public string? Password { get; set; }
}

/// <summary>What a sign-in attempt came to.</summary>
public abstract record SignInResult
{
    private SignInResult()
    {
    }

    public sealed record Success(UserRow User) : SignInResult;

    /// <summary>Wrong e-mail or password (the same answer for both); <paramref name="LockedNow"/> when this attempt locked the account.</summary>
    public sealed record Failed(bool LockedNow) : SignInResult;

    public sealed record LockedOut(Instant Until) : SignInResult;
}

/// <summary>
/// Staff accounts: the first administrator, checking a password at sign-in (with lockout after repeated failures),
/// and the administration of accounts (create, role and team, deactivate). Passwords are hashed by ASP.NET Core
/// Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2).
/// </summary>
public sealed class StaffAccounts(IDbContextFactory<ProcesFlowDbContext> contexts, IOptions<AdminOptions> options, IOptions<Security.SignInOptions> signIn, IClock clock, ILogger<StaffAccounts> logger)
{
    private static readonly PasswordHasher<UserRow> Hasher = new();

    public const int MinimumPasswordLength = 12;

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
        var user = NewUser(options.Value.Email, "Administrator", StaffRoles.Administrator, team: null, password!);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        if (generated)
        {
            // Printed once, on the console only: it is not stored anywhere but as a hash.
            Console.WriteLine($"ProcesFlow: administrator {user.Email} created with password {password}  (shown only now; set ProcesFlow:Admin:Password to choose it)");
        }
        logger.LogInformation("Created the administrator {Email}", user.Email);
    }

    /// <summary>Checks an e-mail and password; counts failures, and locks the account after too many in a row.</summary>
    public async Task<SignInResult> SignInAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return new SignInResult.Failed(LockedNow: false);
        }
        var normalized = Normalize(email);
        var now = clock.GetCurrentInstant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null || user.DeactivatedAt is not null)
        {
            // Spend the same effort as for a real check, so timing does not tell which emails exist.
            Hasher.VerifyHashedPassword(Blank, DummyHash, password);
            return new SignInResult.Failed(LockedNow: false);
        }
        if (user.LockedUntil is { } until && until > now)
        {
            return new SignInResult.LockedOut(until);
        }
        var verified = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            var lockNow = user.FailedSignIns >= signIn.Value.MaxFailedAttempts;
            if (lockNow)
            {
                user.LockedUntil = now + Duration.FromMinutes(signIn.Value.LockoutMinutes);
                user.FailedSignIns = 0;
            }
            await db.SaveChangesAsync(cancellationToken);
            return new SignInResult.Failed(lockNow);
        }
        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
        }
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return new SignInResult.Success(user);
    }

    /// <summary>The claims of a signed-in session of this user.</summary>
    public static ClaimsIdentity IdentityOf(UserRow user)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Email), new Claim(ClaimTypes.GivenName, user.Name), new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(ClaimTypes.Role, user.Role)],
            SecuritySetup.StaffScheme);
        if (user.Team is { Length: > 0 } team)
        {
            identity.AddClaim(new Claim(StaffRoles.TeamClaim, team));
        }
        return identity;
    }

    /// <summary>True while the session's account is active and still has the role and team the session carries.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return false;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is { DeactivatedAt: null }
            && principal.IsInRole(user.Role)
            && string.Equals(principal.TeamOf(), user.Team, StringComparison.Ordinal);
    }

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().ToListAsync(cancellationToken);
        return users.OrderBy(u => u.DeactivatedAt.HasValue).ThenBy(u => u.Email, StringComparer.Ordinal).ToList();
    }

    /// <summary>Creates an account; a Danish reason when it cannot.</summary>
    public async Task<(UserRow? User, string? Error)> CreateAsync(string? email, string? name, string? role, string? team, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal) || email.Trim().Length > 320)
        {
            return (null, "Skriv en gyldig e-mailadresse.");
        }
        if (!StaffRoles.IsRole(role))
        {
            return (null, "Vælg en rolle.");
        }
        if (string.IsNullOrEmpty(password) || password.Length < MinimumPasswordLength)
        {
            return (null, $"Adgangskoden skal være på mindst {MinimumPasswordLength} tegn.");
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var normalized = Normalize(email);
        if (await db.Users.AnyAsync(u => u.Email == normalized, cancellationToken))
        {
            return (null, "Der findes allerede en bruger med den e-mailadresse.");
        }
        var user = NewUser(email, string.IsNullOrWhiteSpace(name) ? normalized : name.Trim(), role!, TeamOrNull(team), password);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return (user, null);
    }

    /// <summary>Changes role and team; returns the account as it was before, or null when there is no such account.</summary>
    public async Task<UserRow?> ChangeRoleAsync(Guid id, string role, string? team, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null || !StaffRoles.IsRole(role))
        {
            return null;
        }
        var before = Copy(user);
        user.Role = role;
        user.Team = TeamOrNull(team);
        await db.SaveChangesAsync(cancellationToken);
        return before;
    }

    /// <summary>Deactivates (or activates again) an account; null when there is no such account.</summary>
    public async Task<UserRow?> SetActiveAsync(Guid id, bool active, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return null;
        }
        user.DeactivatedAt = active ? null : clock.GetCurrentInstant();
        user.LockedUntil = null;
        user.FailedSignIns = 0;
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    private UserRow NewUser(string email, string name, string role, string? team, string password)
    {
        var user = new UserRow
        {
            Id = Guid.CreateVersion7(),
            Email = Normalize(email),
            Name = name,
            PasswordHash = "",
            Role = role,
            Team = team,
            CreatedAt = clock.GetCurrentInstant(),
        };
        user.PasswordHash = Hasher.HashPassword(user, password);
        return user;
    }

    // Stored lower-case, so the comparison in SQL is a plain equality.
    private static string Normalize(string email) => email.Trim().ToLowerInvariant();

    private static string? TeamOrNull(string? team) => string.IsNullOrWhiteSpace(team) ? null : team.Trim();

    private static UserRow Copy(UserRow user) => new()
    {
        Id = user.Id, Email = user.Email, Name = user.Name, PasswordHash = "", Role = user.Role, Team = user.Team, CreatedAt = user.CreatedAt, DeactivatedAt = user.DeactivatedAt,
    };

    private static readonly UserRow Blank = new() { Email = "", Name = "", PasswordHash = "", Role = StaffRoles.Reader };

    private static readonly string DummyHash = Hasher.HashPassword(Blank, "not a password");
}
