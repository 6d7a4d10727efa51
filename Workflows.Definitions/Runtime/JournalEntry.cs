using System.Text.Json.Nodes;
using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>One line of an instance's append-only journal: the audit trail of what happened, when and by whom.</summary>
public sealed record JournalEntry(
    Guid InstanceId,
    Instant At,
    JournalKind Kind,
    string? ActivityId,
    string Message,
    string? Data = null,
    string? Actor = null)
{
    /// <summary>Longer texts in a stimulus's data are cut to this in the journal: it records what happened, it is no copy of an answer.</summary>
    public const int MaxDataTextLength = 500;

    /// <summary>A stimulus's payload as journal data, with long texts (an answer's full text) shortened.</summary>
    public static string? DataOf(JsonNode? payload) => payload is null ? null : Shortened(payload).ToJsonString();

    /// <summary>A copy of <paramref name="payload"/> with its long texts shortened.</summary>
    public static JsonNode Shortened(JsonNode payload) => Shorten(payload.DeepClone())!;

    private static JsonNode? Shorten(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    obj[key] = Shorten(value?.DeepClone());
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Shorten(array[i]?.DeepClone());
                }
                return array;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>() is { Length: > MaxDataTextLength } text:
                return JsonValue.Create(string.Concat(text.AsSpan(0, MaxDataTextLength), " …"));
            default:
                return node;
        }
    }
}

public enum JournalKind
{
    InstanceStarted,
    InstanceSuspended,
    InstanceFinished,
    InstanceCancelled,
    InstanceFaulted,
    InstanceRecovered,
    InstanceRetried,
    ActivityStarted,
    ActivityResumed,
    ActivityCompleted,
    ActivityWaiting,
    ActivityFailed,
    ActivityCancelled,
    ActivityNote,
    SignalReceived,
    SignalParked,
    TimerFired,
    MailQueued,
}
