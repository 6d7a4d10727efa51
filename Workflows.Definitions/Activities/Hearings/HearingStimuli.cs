using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Activities.Hearings;

/// <summary>
/// What the host can tell a hearing or approval round, as typed records. Each travels as the payload of the signal
/// <c>{activityId}:{kind}</c>, so it resumes exactly the round it is meant for; <see cref="Signal"/> names it and
/// <see cref="Read"/> reads it back. The field names are those of the untyped payloads before, so stored waits still match.
/// </summary>
public abstract record HearingStimulus
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new IsoInstantConverter() },
    };

    /// <summary>Who caused it (a staff member, a kommune's channel), for the journal.</summary>
    public required string Actor { get; init; }

    /// <summary>The kind in the signal's name.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>The signal that delivers this stimulus to the round <paramref name="activityId"/>.</summary>
    public string SignalFor(string activityId) => Signal(activityId, Kind);

    public static string Signal(string activityId, string kind) => $"{activityId}:{kind}";

    public JsonObject ToPayload() => JsonSerializer.SerializeToNode(this, GetType(), Json)!.AsObject();

    /// <summary>The stimulus a round's signal carried; null when the payload is not one (it is then journalled and ignored).</summary>
    public static HearingStimulus? Read(string kind, JsonNode? payload)
    {
        var type = kind switch
        {
            AnswerReceived.Name => typeof(AnswerReceived),
            DeadlineChanged.Name => typeof(DeadlineChanged),
            RemindNow.Name => typeof(RemindNow),
            InvitationResent.Name => typeof(InvitationResent),
            ExtensionRefused.Name => typeof(ExtensionRefused),
            CloseNow.Name => typeof(CloseNow),
            MailBounced.Name => typeof(MailBounced),
            _ => null,
        };
        if (type is null || payload is not JsonObject obj)
        {
            return null;
        }
        if (obj["actor"] is null)
        {
            // Stimuli from before the typed boundary did not always say who sent them.
            obj = obj.DeepClone().AsObject();
            obj["actor"] = "ukendt";
        }
        try
        {
            return (HearingStimulus?)obj.Deserialize(type, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The signal kinds a round waits for.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        [AnswerReceived.Name, DeadlineChanged.Name, RemindNow.Name, InvitationResent.Name, ExtensionRefused.Name, CloseNow.Name, MailBounced.Name];
}

/// <summary>A party's answer. <paramref name="ReplyTo"/>: where the receipt goes when not to the party's contacts (the sender of a mailed answer).</summary>
public sealed record AnswerReceived(PartyAnswer Answer, string? ReplyTo) : HearingStimulus
{
    public const string Name = "answer";

    public override string Kind => Name;
}

/// <summary>A new deadline (<c>{ "date", "at" }</c> or relative) for one party, or for all when no task is named.</summary>
public sealed record DeadlineChanged(Guid? PartyTaskId, JsonObject Deadline, string? Reason) : HearingStimulus
{
    public const string Name = "deadline";

    public override string Kind => Name;
}

/// <summary>Remind now: one party, or every party that has not answered.</summary>
public sealed record RemindNow(Guid? PartyTaskId) : HearingStimulus
{
    public const string Name = "remind";

    public override string Kind => Name;
}

/// <summary>The invitation again, to new addresses that replace the party's contacts.</summary>
public sealed record InvitationResent(Guid PartyTaskId, IReadOnlyList<string> To) : HearingStimulus
{
    public const string Name = "resend";

    public override string Kind => Name;
}

/// <summary>A party's request for a longer deadline was refused; it is told its deadline stands.</summary>
public sealed record ExtensionRefused(Guid PartyTaskId, string? Reason) : HearingStimulus
{
    public const string Name = "extension-refused";

    public override string Kind => Name;
}

/// <summary>
/// A mail to the party could not be delivered: the mail server refused <paramref name="Address"/> when it was sent, or
/// a delivery status notification came back. <paramref name="Reason"/> is the server's own words (status and diagnostic).
/// </summary>
public sealed record MailBounced(Guid PartyTaskId, string Address, string Reason) : HearingStimulus
{
    public const string Name = "bounced";

    public override string Kind => Name;
}

/// <summary>Close the round now, before its deadline.</summary>
public sealed record CloseNow : HearingStimulus
{
    public const string Name = "close";

    public override string Kind => Name;
}
