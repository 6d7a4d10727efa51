using System.Text.Json.Nodes;
using NodaTime;

namespace Workflows.Definitions.Runtime;

/// <summary>
/// A mail an activity asked for. It is an outbox row, saved with the instance in one transaction; the host
/// sends it afterwards, so a crash can delay a mail but never lose it.
/// </summary>
/// <remarks>
/// Either written out (<see cref="Subject"/>, <see cref="TextBody"/>) or, with <see cref="Template"/>, rendered
/// by the host from its Danish templates and <see cref="Model"/> (a hearing's invitation, reminder, rykker …).
/// </remarks>
public sealed record OutgoingEmail(
    Guid Id,
    Guid InstanceId,
    string ActivityId,
    IReadOnlyList<string> To,
    string Subject,
    string TextBody,
    string? HtmlBody,
    Instant QueuedAt,
    string? Template = null,
    JsonObject? Model = null,
    Guid? PartyTaskId = null);
