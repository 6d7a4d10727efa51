using System.Text.Json.Nodes;
using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// A wait of one activity: a timer when <see cref="ResumeAt"/> is set, else a signal resumed by name.
/// Bookmarks are rows of their own so the scheduler can ask the database what is due.
/// </summary>
public sealed class Bookmark
{
    public Bookmark(Guid id, Guid instanceId, string activityId, string name, Instant? resumeAt, JsonObject? payload, Instant createdAt)
    {
        Id = id;
        InstanceId = instanceId;
        ActivityId = activityId;
        Name = name;
        ResumeAt = resumeAt;
        Payload = payload;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid InstanceId { get; private set; }

    public string ActivityId { get; private set; }

    public string Name { get; private set; }

    public Instant? ResumeAt { get; private set; }

    public JsonObject? Payload { get; private set; }

    public Instant CreatedAt { get; private set; }

    public bool IsTimer => ResumeAt is not null;
}
