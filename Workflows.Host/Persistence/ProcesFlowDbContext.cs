using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Persistence;

/// <summary>
/// The engine's database: definitions, instances, bookmarks (timers), journal, incidents, outbox, and the staff
/// accounts in ASP.NET Core Identity's schema (the <c>identity_*</c> tables).
/// </summary>
public abstract class ProcesFlowDbContext(DbContextOptions options) : IdentityDbContext<StaffUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<DefinitionRow> Definitions => Set<DefinitionRow>();

    public DbSet<InstanceRow> Instances => Set<InstanceRow>();

    public DbSet<BookmarkRow> Bookmarks => Set<BookmarkRow>();

    public DbSet<JournalRow> Journal => Set<JournalRow>();

    public DbSet<IncidentRow> Incidents => Set<IncidentRow>();

    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();

    public DbSet<ClockRow> Clock => Set<ClockRow>();

    public DbSet<PartyTaskRow> PartyTasks => Set<PartyTaskRow>();

    public DbSet<AnswerRow> Answers => Set<AnswerRow>();

    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();

    /// <summary>The audit trail: append-only.</summary>
    public DbSet<AuditRow> Audit => Set<AuditRow>();

    public DbSet<AttachmentRow> Attachments => Set<AttachmentRow>();

    public DbSet<ExtensionRequestRow> ExtensionRequests => Set<ExtensionRequestRow>();

    public DbSet<UnmatchedMailRow> UnmatchedMails => Set<UnmatchedMailRow>();

    /// <summary>ASP.NET Core Data Protection's key ring, shared by every node (signed answer links, anti-forgery).</summary>
    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();

    /// <summary>The team the current request is restricted to (<see cref="Security.TeamScope"/>); null sees everything.</summary>
    public string? Team => Security.TeamScope.Current;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        ConfigureIdentity(builder);
        // A team member sees its team's hearings and those without a team (see Security.TeamScope).
        builder.Entity<InstanceRow>().HasQueryFilter(i => Team == null || i.Team == null || i.Team == Team);
        builder.Entity<PartyTaskRow>().HasQueryFilter(t => Team == null || Set<InstanceRow>().Any(i => i.Id == t.InstanceId && (i.Team == null || i.Team == Team)));
        builder.Entity<AnswerRow>().HasQueryFilter(a => Team == null || Set<InstanceRow>().Any(i => i.Id == a.InstanceId && (i.Team == null || i.Team == Team)));
        builder.Entity<ExtensionRequestRow>().HasQueryFilter(r => Team == null || Set<InstanceRow>().Any(i => i.Id == r.InstanceId && (i.Team == null || i.Team == Team)));
        builder.Entity<JournalRow>().HasQueryFilter(j => Team == null || Set<InstanceRow>().Any(i => i.Id == j.InstanceId && (i.Team == null || i.Team == Team)));
        builder.Entity<AttachmentRow>().HasQueryFilter(f => Team == null
            || Set<AnswerRow>().Any(a => a.Id == f.AnswerId && Set<InstanceRow>().Any(i => i.Id == a.InstanceId && (i.Team == null || i.Team == Team))));

        builder.Entity<DefinitionRow>(e =>
        {
            e.ToTable("definitions");
            e.HasKey(d => new { d.DefinitionId, d.Version });
            e.Property(d => d.DefinitionId).HasMaxLength(100);
            e.Property(d => d.Name).HasMaxLength(300);
            e.HasIndex(d => new { d.DefinitionId, d.IsPublished });
        });
        builder.Entity<InstanceRow>(e =>
        {
            e.ToTable("instances");
            e.HasKey(i => i.Id);
            e.Property(i => i.DefinitionId).HasMaxLength(100);
            e.Property(i => i.Name).HasMaxLength(500);
            e.Property(i => i.CorrelationId).HasMaxLength(200);
            e.Property(i => i.Status).HasMaxLength(20);
            e.Property(i => i.Team).HasMaxLength(100);
            e.HasIndex(i => new { i.Status, i.UpdatedAt });
            e.HasIndex(i => i.DefinitionId);
            e.HasIndex(i => i.CorrelationId);
        });
        builder.Entity<BookmarkRow>(e =>
        {
            e.ToTable("bookmarks");
            e.HasKey(b => b.Id);
            e.Property(b => b.ActivityId).HasMaxLength(200);
            e.Property(b => b.Name).HasMaxLength(200);
            e.HasIndex(b => b.InstanceId);
            e.HasIndex(b => b.ResumeAt);
            e.HasOne<InstanceRow>().WithMany().HasForeignKey(b => b.InstanceId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<JournalRow>(e =>
        {
            e.ToTable("journal");
            e.HasKey(j => j.Id);
            e.Property(j => j.Kind).HasMaxLength(40);
            e.HasIndex(j => new { j.InstanceId, j.Id });
        });
        builder.Entity<IncidentRow>(e =>
        {
            e.ToTable("incidents");
            e.HasKey(i => i.Id);
            e.HasIndex(i => new { i.ResolvedAt, i.OccurredAt });
            e.HasIndex(i => i.InstanceId);
        });
        builder.Entity<OutboxRow>(e =>
        {
            e.ToTable("outbox");
            e.HasKey(o => o.Id);
            e.Property(o => o.Status).HasMaxLength(20);
            e.HasIndex(o => new { o.Status, o.NextAttemptAt });
            e.HasIndex(o => o.InstanceId);
        });
        builder.Entity<PartyTaskRow>(e =>
        {
            e.ToTable("party_tasks");
            e.HasKey(t => t.Id);
            e.Property(t => t.ActivityId).HasMaxLength(200);
            e.Property(t => t.PartyId).HasMaxLength(100);
            e.Property(t => t.PartyName).HasMaxLength(300);
            e.Property(t => t.Status).HasMaxLength(20);
            e.Property(t => t.Decision).HasMaxLength(20);
            e.Property(t => t.LegacyTokenHash).HasColumnName("TokenHash").HasMaxLength(64);
            e.HasIndex(t => t.LegacyTokenHash).IsUnique();
            e.HasIndex(t => t.InstanceId);
            e.HasIndex(t => new { t.PartyId, t.Status });
            e.HasIndex(t => new { t.Status, t.Deadline });
            e.HasOne<InstanceRow>().WithMany().HasForeignKey(t => t.InstanceId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AnswerRow>(e =>
        {
            e.ToTable("answers");
            e.HasKey(a => a.Id);
            e.Property(a => a.Channel).HasMaxLength(20);
            e.Property(a => a.Decision).HasMaxLength(20);
            e.Property(a => a.MessageId).HasMaxLength(500);
            e.HasIndex(a => a.MessageId).IsUnique();
            e.HasIndex(a => new { a.PartyTaskId, a.ReceivedAt });
            e.Property(a => a.HeldReason).HasMaxLength(40);
            e.HasIndex(a => new { a.HeldReason, a.ReceivedAt });
            e.HasIndex(a => a.InstanceId);
            e.HasOne<PartyTaskRow>().WithMany().HasForeignKey(a => a.PartyTaskId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AttachmentRow>(e =>
        {
            e.ToTable("attachments");
            e.HasKey(a => a.Id);
            e.Property(a => a.FileName).HasMaxLength(255);
            e.Property(a => a.ContentType).HasMaxLength(100);
            e.HasIndex(a => a.AnswerId);
            e.HasOne<AnswerRow>().WithMany().HasForeignKey(a => a.AnswerId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ExtensionRequestRow>(e =>
        {
            e.ToTable("extension_requests");
            e.HasKey(r => r.Id);
            e.Property(r => r.Status).HasMaxLength(20);
            e.HasIndex(r => new { r.Status, r.RequestedAt });
            e.HasIndex(r => r.PartyTaskId);
            e.HasOne<PartyTaskRow>().WithMany().HasForeignKey(r => r.PartyTaskId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<UnmatchedMailRow>(e =>
        {
            e.ToTable("unmatched_mail");
            e.HasKey(m => m.Id);
            e.Property(m => m.MessageId).HasMaxLength(500);
            e.HasIndex(m => m.MessageId).IsUnique();
            e.HasIndex(m => new { m.AssignedToPartyTaskId, m.ReceivedAt });
            e.Property(m => m.DismissedBy).HasMaxLength(320);
            e.Property(m => m.DismissalReason).HasMaxLength(2000);
        });
        builder.Entity<ApiKeyRow>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Name).HasMaxLength(200);
            e.Property(k => k.Role).HasMaxLength(20);
            e.Property(k => k.Team).HasMaxLength(100);
            e.Property(k => k.Hash).HasMaxLength(64);
            e.Property(k => k.CreatedBy).HasMaxLength(320);
            e.HasIndex(k => k.Hash).IsUnique();
        });
        builder.Entity<AuditRow>(e =>
        {
            e.ToTable("audit");
            e.HasKey(a => a.Id);
            e.Property(a => a.Actor).HasMaxLength(320);
            e.Property(a => a.Action).HasMaxLength(60);
            e.Property(a => a.Target).HasMaxLength(500);
            e.Property(a => a.Address).HasMaxLength(64);
            e.HasIndex(a => a.At);
            e.HasIndex(a => new { a.Actor, a.At });
            e.HasIndex(a => new { a.Action, a.At });
        });
        builder.Entity<DataProtectionKeyRow>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.FriendlyName).HasMaxLength(200);
        });
        builder.Entity<ClockRow>(e =>
        {
            e.ToTable("clock");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
        });
    }

    /// <summary>
    /// Identity's tables, named like the rest of the schema, and the four roles (fixed ids, so a migration can refer
    /// to them).
    /// </summary>
    private static void ConfigureIdentity(ModelBuilder builder)
    {
        builder.Entity<StaffUser>(e =>
        {
            e.ToTable("identity_users");
            e.Property(u => u.Name).HasMaxLength(300);
            e.Property(u => u.Team).HasMaxLength(100);
        });
        builder.Entity<IdentityRole<Guid>>(e =>
        {
            e.ToTable("identity_roles");
            e.HasData(StaffRoleIds.All.Select(r => new IdentityRole<Guid>
            {
                Id = r.Value, Name = r.Key, NormalizedName = r.Key.ToUpperInvariant(), ConcurrencyStamp = r.Value.ToString(),
            }));
        });
        builder.Entity<IdentityUserRole<Guid>>().ToTable("identity_user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("identity_user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("identity_user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("identity_user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("identity_role_claims");
    }
}

/// <summary>SQLite, the embedded default. Instants are stored as Unix ticks so SQL can compare and order them.</summary>
public sealed class SqliteProcesFlowDbContext(DbContextOptions<SqliteProcesFlowDbContext> options) : ProcesFlowDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Instant>().HaveConversion<InstantTicksConverter>();
    }

    private sealed class InstantTicksConverter() : ValueConverter<Instant, long>(
        instant => instant.ToUnixTimeTicks(),
        ticks => Instant.FromUnixTimeTicks(ticks));
}

/// <summary>PostgreSQL, for several nodes; Instants map to <c>timestamptz</c> through Npgsql's NodaTime plugin.</summary>
public sealed class PostgreSqlProcesFlowDbContext(DbContextOptions<PostgreSqlProcesFlowDbContext> options) : ProcesFlowDbContext(options);

/// <summary>The fixed ids of the four Identity roles (seeded by the migration that moved staff onto Identity).</summary>
public static class StaffRoleIds
{
    public static readonly IReadOnlyDictionary<string, Guid> All = new Dictionary<string, Guid>(StringComparer.Ordinal)
    {
        [Security.StaffRoles.Administrator] = new("0193f0a0-0000-7000-8000-000000000001"),
        [Security.StaffRoles.ProcessOwner] = new("0193f0a0-0000-7000-8000-000000000002"),
        [Security.StaffRoles.Secretariat] = new("0193f0a0-0000-7000-8000-000000000003"),
        [Security.StaffRoles.Reader] = new("0193f0a0-0000-7000-8000-000000000004"),
    };
}
