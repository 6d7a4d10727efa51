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

/// <summary>A staff account as the pages and the audit trail see it: the Identity user with its one role.</summary>
public sealed record StaffAccount(Guid Id, string Email, string Name, string Role, string? Team, Instant CreatedAt, Instant? DeactivatedAt, Instant? LockedUntil);

/// <summary>What a sign-in attempt came to.</summary>
public abstract record SignInResult
{
    private SignInResult()
    {
    }

    /// <summary>Signed in: the account and the claims of its session.</summary>
    public sealed record Success(StaffAccount User, ClaimsIdentity Identity) : SignInResult;

    /// <summary>Wrong e-mail or password (the same answer for both); <paramref name="LockedNow"/> when this attempt locked the account.</summary>
    public sealed record Failed(bool LockedNow) : SignInResult;

    public sealed record LockedOut(Instant Until) : SignInResult;
}

/// <summary>
/// Staff accounts on ASP.NET Core Identity (<see cref="UserManager{TUser}"/> over the engine database): the first
/// administrator, checking a password at sign-in (with Identity's lockout fields after repeated failures), and the
/// administration of accounts (create, role and team, deactivate). Each account has exactly one Identity role.
/// </summary>
/// <remarks>
/// Lockout is counted in Identity's <c>AccessFailedCount</c> and <c>LockoutEnd</c>, but against the engine's
/// <see cref="IClock"/>: <see cref="UserManager{TUser}.AccessFailedAsync"/> reads the wall clock, which a simulated
/// clock cannot move. The session is the application's own cookie (<see cref="SecuritySetup.StaffScheme"/>) rather
/// than <c>SignInManager</c>'s, so the API-key scheme, the Danish failure pages and the audit stay as they were; the
/// cookie carries Identity's security stamp, and a session whose stamp, role or team no longer match ends.
/// </remarks>
public sealed class StaffAccounts(IDbContextFactory<ProcesFlowDbContext> contexts, IServiceScopeFactory scopes, IOptions<AdminOptions> options, IOptions<Security.SignInOptions> signIn, IOptions<IdentityOptions> identityOptions, IClock clock, ILogger<StaffAccounts> logger)
{
    public const int MinimumPasswordLength = 12;

    /// <summary>Creates the administrator on a database with no staff yet.</summary>
    public async Task EnsureAdministratorAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Users.AnyAsync(cancellationToken))
            {
                return;
            }
        }
        var password = options.Value.Password;
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15));
        }
        var (user, error) = await CreateAsync(options.Value.Email, "Administrator", StaffRoles.Administrator, team: null, password, cancellationToken);
        if (user is null)
        {
            throw new InvalidOperationException($"The administrator {options.Value.Email} could not be created: {error}");
        }
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
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var now = clock.GetCurrentInstant();
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || user.DeactivatedAt is not null)
        {
            // Spend the same effort as for a real check, so timing does not tell which emails exist.
            users.PasswordHasher.VerifyHashedPassword(Blank, DummyHash, password);
            return new SignInResult.Failed(LockedNow: false);
        }
        if (user.LockoutEnd is { } end && Instant.FromDateTimeOffset(end) > now)
        {
            return new SignInResult.LockedOut(Instant.FromDateTimeOffset(end));
        }
        // CheckPasswordAsync rehashes a password stored in an older format.
        if (!await users.CheckPasswordAsync(user, password))
        {
            var lockNow = user.AccessFailedCount + 1 >= signIn.Value.MaxFailedAttempts;
            user.AccessFailedCount = lockNow ? 0 : user.AccessFailedCount + 1;
            if (lockNow)
            {
                user.LockoutEnd = (now + Duration.FromMinutes(signIn.Value.LockoutMinutes)).ToDateTimeOffset();
            }
            await UpdateAsync(users, user);
            return new SignInResult.Failed(lockNow);
        }
        if (user.AccessFailedCount != 0 || user.LockoutEnd is not null)
        {
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            await UpdateAsync(users, user);
        }
        var account = await AccountOfAsync(users, user);
        return new SignInResult.Success(account, IdentityOf(account, user.SecurityStamp!));
    }

    /// <summary>The claims of a signed-in session of this user, with Identity's security stamp.</summary>
    private ClaimsIdentity IdentityOf(StaffAccount user, string securityStamp)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, user.Email), new Claim(ClaimTypes.GivenName, user.Name), new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(ClaimTypes.Role, user.Role), new Claim(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType, securityStamp),
            ],
            SecuritySetup.StaffScheme);
        if (user.Team is { Length: > 0 } team)
        {
            identity.AddClaim(new Claim(StaffRoles.TeamClaim, team));
        }
        return identity;
    }

    /// <summary>True while the session's account is active, its security stamp unchanged, and it still has the role and team the session carries.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return false;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.DeactivatedAt, u.Team, u.SecurityStamp, Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).ToList() })
            .FirstOrDefaultAsync(cancellationToken);
        return user is { DeactivatedAt: null }
            && user.Roles.Count == 1 && principal.IsInRole(user.Roles[0]!)
            && string.Equals(principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType), user.SecurityStamp, StringComparison.Ordinal)
            && string.Equals(principal.TeamOf(), user.Team, StringComparison.Ordinal);
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Users.AsNoTracking()
            .Select(u => new { User = u, Role = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        return rows.Select(r => AccountOf(r.User, r.Role ?? StaffRoles.Reader))
            .OrderBy(u => u.DeactivatedAt.HasValue).ThenBy(u => u.Email, StringComparer.Ordinal).ToList();
    }

    /// <summary>The teams named by accounts, API keys and hearings, in order.</summary>
    public async Task<IReadOnlyList<string>> TeamsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var teams = await db.Users.Where(u => u.Team != null).Select(u => u.Team!)
            .Union(db.ApiKeys.Where(k => k.Team != null).Select(k => k.Team!))
            .Union(db.Instances.IgnoreQueryFilters().Where(i => i.Team != null).Select(i => i.Team!))
            .ToListAsync(cancellationToken);
        return teams.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Creates an account; a Danish reason when it cannot.</summary>
    public async Task<(StaffAccount? User, string? Error)> CreateAsync(string? email, string? name, string? role, string? team, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal) || email.Trim().Length > 256)
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
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var normalized = Normalize(email);
        if (await users.FindByEmailAsync(normalized) is not null)
        {
            return (null, "Der findes allerede en bruger med den e-mailadresse.");
        }
        var user = new StaffUser
        {
            Id = Guid.CreateVersion7(),
            UserName = normalized,
            Email = normalized,
            EmailConfirmed = true,
            Name = string.IsNullOrWhiteSpace(name) ? normalized : name.Trim(),
            Team = TeamOrNull(team),
            CreatedAt = clock.GetCurrentInstant(),
        };
        var db = scope.ServiceProvider.GetRequiredService<ProcesFlowDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, "Brugeren kunne ikke oprettes: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        Check(await users.AddToRoleAsync(user, role!));
        await transaction.CommitAsync(cancellationToken);
        return (AccountOf(user, role!), null);
    }

    /// <summary>Changes role and team; returns the account as it was before, or null when there is no such account.</summary>
    public async Task<StaffAccount?> ChangeRoleAsync(Guid id, string role, string? team, CancellationToken cancellationToken)
    {
        if (!StaffRoles.IsRole(role))
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return null;
        }
        var before = await AccountOfAsync(users, user);
        var db = scope.ServiceProvider.GetRequiredService<ProcesFlowDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!string.Equals(before.Role, role, StringComparison.Ordinal))
        {
            Check(await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user)));
            Check(await users.AddToRoleAsync(user, role));
        }
        user.Team = TeamOrNull(team);
        // A new security stamp ends the account's sessions, which carry the old role and team.
        Check(await users.UpdateSecurityStampAsync(user));
        await transaction.CommitAsync(cancellationToken);
        return before;
    }

    /// <summary>Deactivates (or activates again) an account; null when there is no such account.</summary>
    public async Task<StaffAccount?> SetActiveAsync(Guid id, bool active, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return null;
        }
        user.DeactivatedAt = active ? null : clock.GetCurrentInstant();
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        Check(await users.UpdateSecurityStampAsync(user));
        return await AccountOfAsync(users, user);
    }

    private static async Task UpdateAsync(UserManager<StaffUser> users, StaffUser user) => Check(await users.UpdateAsync(user));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Identity refused the change: " + string.Join(" ", result.Errors.Select(e => e.Code)));
        }
    }

    private static async Task<StaffAccount> AccountOfAsync(UserManager<StaffUser> users, StaffUser user) =>
        AccountOf(user, (await users.GetRolesAsync(user)).FirstOrDefault() ?? StaffRoles.Reader);

    private static StaffAccount AccountOf(StaffUser user, string role) =>
        new(user.Id, user.Email!, user.Name, role, user.Team, user.CreatedAt, user.DeactivatedAt, user.LockoutEnd is { } end ? Instant.FromDateTimeOffset(end) : null);

    // Stored lower-case as typed (Identity finds it by its normalized form).
    private static string Normalize(string email) => email.Trim().ToLowerInvariant();

    private static string? TeamOrNull(string? team) => string.IsNullOrWhiteSpace(team) ? null : team.Trim();

    private static readonly StaffUser Blank = new();

    private static readonly string DummyHash = new PasswordHasher<StaffUser>().HashPassword(Blank, "not a password");
}
