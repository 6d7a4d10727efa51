using NodaTime;

namespace Workflows.Host.Persistence.Rows;

// Database rows, kept apart from the core's domain types so EF Core's needs (settable properties,
// provider types) never leak into the engine. The stores translate between the two.

public sealed class DefinitionRow
{
    public required string DefinitionId { get; set; }

    public int Version { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public bool IsPublished { get; set; }

    public required string Json { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant? PublishedAt { get; set; }
}

public sealed class InstanceRow
{
    public Guid Id { get; set; }

    public required string DefinitionId { get; set; }

    public int DefinitionVersion { get; set; }

    public required string Name { get; set; }

    public string? CorrelationId { get; set; }

    public required string Status { get; set; }

    public long Revision { get; set; }

    public required string Input { get; set; }

    public required string State { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant UpdatedAt { get; set; }

    public Instant? FinishedAt { get; set; }
}

public sealed class BookmarkRow
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string Name { get; set; }

    /// <summary>Set for timers; the scheduler asks for rows with <c>ResumeAt &lt;= now</c>.</summary>
    public Instant? ResumeAt { get; set; }

    public string? Payload { get; set; }

    public Instant CreatedAt { get; set; }
}

public sealed class JournalRow
{
    public long Id { get; set; }

    public Guid InstanceId { get; set; }

    public Instant At { get; set; }

    public required string Kind { get; set; }

    public string? ActivityId { get; set; }

    public required string Message { get; set; }

    public string? Data { get; set; }

    public string? Actor { get; set; }
}

public sealed class IncidentRow
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string ActivityType { get; set; }

    public required string Message { get; set; }

    public int Attempt { get; set; }

    public Instant OccurredAt { get; set; }

    public Instant? RetryAt { get; set; }

    public Instant? ResolvedAt { get; set; }
}

/// <summary>A mail waiting to be sent (or sent): the outbox. The row's id is the stable Message-ID.</summary>
public sealed class OutboxRow
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    /// <summary>Recipients as a JSON array.</summary>
    public required string To { get; set; }

    public required string Subject { get; set; }

    public required string TextBody { get; set; }

    public string? HtmlBody { get; set; }

    public Instant QueuedAt { get; set; }

    public Instant? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}

/// <summary>The simulated clock's current instant, so a restart continues where it stopped.</summary>
public sealed class ClockRow
{
    public int Id { get; set; }

    public Instant Now { get; set; }
}
