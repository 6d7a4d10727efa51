using System.Text.Json.Serialization;

namespace Workflows.Definitions.Parties;

/// <summary>What kind of body a party is. Serialized as the lower-case Danish word, in the
/// reference data and in the API alike, so clients can rely on one spelling.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PartyKind>))]
public enum PartyKind
{
    /// <summary>A kommune; addressed through its kommunalbestyrelse / byråd.</summary>
    [JsonStringEnumMemberName("kommune")] Kommune,

    /// <summary>A region; addressed through its regionsråd.</summary>
    [JsonStringEnumMemberName("region")] Region,

    /// <summary>A kommunekontaktråd.</summary>
    [JsonStringEnumMemberName("kkr")] Kkr,

    /// <summary>A committee, board or forum (SKU, SSU, praksisplanudvalg, K17, …).</summary>
    [JsonStringEnumMemberName("udvalg")] Udvalg,

    /// <summary>An association, company or institution (KL, PLO, erhvervshuse, …).</summary>
    [JsonStringEnumMemberName("organisation")] Organisation,

    /// <summary>A ministry.</summary>
    [JsonStringEnumMemberName("ministerium")] Ministerium,

    /// <summary>A state agency.</summary>
    [JsonStringEnumMemberName("styrelse")] Styrelse,

    /// <summary>A hospital or hospital unit.</summary>
    [JsonStringEnumMemberName("hospital")] Hospital,
}
