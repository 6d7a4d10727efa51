using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Activities.Hearings;

/// <summary>
/// The durable state of a hearing or approval round once it is sent: what the parties were told, the plan, and the
/// order of the parties. Kept in the activity's state and read by the host (the answer page, the reports) through this
/// type only. Its own parts are typed; the parties' progress is in their <see cref="Runtime.PartyTask"/> rows.
/// </summary>
/// <remarks>
/// Version 2. Version 1 (before this type) had the same fields, no <c>version</c>, and the parties' answer tokens in
/// <c>tokens</c>, whose keys gave the parties' order. Reading it keeps the order and drops the tokens: no working link
/// is kept in the state; links are signed by the host when a mail is rendered.
/// </remarks>
public sealed record HearingState
{
    public const int CurrentVersion = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new IsoInstantConverter(), new ReminderConverter() },
    };

    public int Version { get; init; } = CurrentVersion;

    public required string Title { get; init; }

    public string? CaseNumber { get; init; }

    public string? Sender { get; init; }

    /// <summary>The covering text (følgetekst), rendered.</summary>
    public string? Message { get; init; }

    public IReadOnlyList<MaterialLink> Material { get; init; } = [];

    public IReadOnlyList<ReminderSpec> Reminders { get; init; } = [];

    [JsonPropertyName("rykker")]
    public IReadOnlyList<ReminderSpec> Rykkere { get; init; } = [];

    /// <summary><c>reject</c>, or a mode that takes late answers until <see cref="CloseAt"/>.</summary>
    public string LatePolicy { get; init; } = LatePolicySpec.Reject.Mode;

    /// <summary>When the round closes: the latest party deadline, or the end of the late-answer window.</summary>
    public Instant CloseAt { get; set; }

    /// <summary>See <see cref="HearingAsk"/>.</summary>
    public string Ask { get; init; } = HearingAsk.Answer;

    /// <summary>In an approval round: how many approvals carry it.</summary>
    public int? Quorum { get; init; }

    /// <summary>When an agreement enters into force (accession rounds); checked once for missing accessions.</summary>
    public Instant? EffectiveAt { get; init; }

    public bool EffectiveChecked { get; set; }

    /// <summary>The party tasks in the order the parties were named.</summary>
    public List<Guid> Parties { get; init; } = [];

    /// <summary>Per party task whose mail could not be delivered: where it failed and why, until it is sent to a new address.</summary>
    public Dictionary<Guid, MailBounce> Bounces { get; init; } = [];

    /// <summary>Per party task, how often its deadline was changed (the sequence of its calendar invitation).</summary>
    public Dictionary<Guid, int> Sequence { get; init; } = [];

    public bool AcceptsLate => LatePolicy != LatePolicySpec.Reject.Mode;

    public bool AsksForDecision => Ask != HearingAsk.Answer;

    /// <summary>The state in an activity's state object; null before the round is sent.</summary>
    public static HearingState? Read(JsonObject? activityState)
    {
        if (activityState is null || activityState["title"] is null)
        {
            return null;
        }
        var copy = activityState.DeepClone().AsObject();
        if (copy["version"] is null)
        {
            // Version 1: the order was kept as the keys of the token map; the tokens themselves are dropped here.
            var tokens = copy["tokens"] as JsonObject ?? [];
            copy["parties"] = new JsonArray(tokens.Select(t => (JsonNode)t.Key).ToArray());
            copy.Remove("tokens");
            copy["version"] = 1;
        }
        return copy.Deserialize<HearingState>(Json) ?? throw new JsonException("The hearing's state is empty.");
    }

    /// <summary>Writes this state (as the current version) into an activity's state object.</summary>
    public void WriteTo(JsonObject activityState)
    {
        activityState.Clear();
        foreach (var (key, value) in JsonSerializer.SerializeToNode(this with { Version = CurrentVersion }, Json)!.AsObject().ToList())
        {
            activityState[key] = value?.DeepClone();
        }
    }

    public int SequenceOf(Guid partyTaskId) => Sequence.GetValueOrDefault(partyTaskId);

    /// <summary>Counts one more change of the party's deadline and returns the new sequence number.</summary>
    public int NextSequence(Guid partyTaskId) => Sequence[partyTaskId] = SequenceOf(partyTaskId) + 1;

    /// <summary>The mail template for <paramref name="mail"/>: an approval round asks for a decision, in its own words.</summary>
    public string Template(string mail) => !AsksForDecision ? mail : mail switch
    {
        "invitation" => "approval-request",
        "receipt" => "approval-receipt",
        "reminder" or "rykker" => "approval-reminder",
        _ => mail,
    };

    /// <summary>Reminders in the definition format (<c>{ "workingDaysBefore": 3, "at": "09:00" }</c>), so version 1 reads as is.</summary>
    private sealed class ReminderConverter : JsonConverter<ReminderSpec>
    {
        public override ReminderSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var errors = new List<(string Path, string Message)>();
            var reminder = DeadlineJson.ParseReminder(JsonNode.Parse(ref reader), errors);
            return reminder ?? throw new JsonException($"A stored reminder is not valid: {string.Join("; ", errors.Select(e => e.Message))}");
        }

        public override void Write(Utf8JsonWriter writer, ReminderSpec value, JsonSerializerOptions options) =>
            DeadlineJson.ToJson(value).WriteTo(writer);
    }
}

/// <summary>A mail to a party that could not be delivered: to which address, the server's reason, and when it was learnt.</summary>
public sealed record MailBounce(string Address, string Reason, Instant At);
