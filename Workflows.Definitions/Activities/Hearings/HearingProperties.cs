using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities.Hearings;

/// <summary>What a party is asked for: a høringssvar, a decision to approve (godkendelse), or to accede (tiltrædelse).</summary>
public static class HearingAsk
{
    public const string Answer = "answer";
    public const string Approval = "approval";
    public const string Accession = "accession";

    /// <summary>The decisions a party can give in an approval or accession round.</summary>
    public static readonly IReadOnlyList<string> Decisions = ["approved", "rejected"];
}

/// <summary>
/// The properties of a hearing or approval round as the definition gives them (Liquid texts and expressions), and how
/// they are read from a node. Shared by <see cref="Hearing"/> and <see cref="Approval"/>.
/// </summary>
public sealed record HearingSettings(
    LiquidText Title,
    LiquidText CaseNumber,
    LiquidText Sender,
    Property<JsonNode?> Parties,
    Property<DeadlineSpec?> Deadline,
    Property<IReadOnlyList<ReminderSpec>> Reminders,
    Property<IReadOnlyList<ReminderSpec>> Rykker,
    Property<LatePolicy> LatePolicy,
    Property<IReadOnlyList<HearingMaterial>> Material,
    LiquidText Message,
    string? ResultVariable,
    string Ask,
    Property<int?> Quorum,
    Property<DeadlineSpec?> EffectiveDate)
{
    /// <summary>The properties both activities have, in the designer's order.</summary>
    public static IReadOnlyList<PropertyDescriptor> CommonProperties { get; } =
    [
        new("title", "text", true, "Titel"),
        new("caseNumber", "text", false, "Sagsnummer"),
        new("sender", "text", false, "Afsender"),
        new("parties", "json", true, "Parter"),
        new("deadline", "deadline", true, "Frist"),
        new("reminders", "json", false, "Påmindelser"),
        new("rykker", "json", false, "Rykkere"),
        new("latePolicy", "json", false, "For sene svar"),
        new("material", "json", false, "Materiale"),
        new("message", "text", false, "Følgetekst"),
        new("resultVariable", "string", false, "Gem resultat i variabel"),
    ];

    /// <summary>Reads a node's properties; <paramref name="ask"/> is what the parties are asked for.</summary>
    public static HearingSettings Read(PropertyReader reader, string ask) => new(
        reader.Text("title"),
        reader.Text("caseNumber"),
        reader.Text("sender"),
        reader.Get("parties", PartiesKind, null),
        reader.Get("deadline", Waiting.WaitUntil.DeadlineKind, null),
        reader.Get("reminders", RemindersKind(before: true), []),
        reader.Get("rykker", RemindersKind(before: false), []),
        reader.Get("latePolicy", LatePolicyKind, Hearings.LatePolicy.Reject),
        reader.Get("material", MaterialKind, []),
        reader.Text("message"),
        reader.VariableName("resultVariable"),
        ask,
        reader.Get<int?>("quorum", QuorumKind, null),
        reader.Get("effectiveDate", Waiting.WaitUntil.DeadlineKind, null));

    private static readonly PropertyKind<JsonNode?> PartiesKind = new("parties", (node, errors) =>
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String || node is JsonArray)
        {
            return node.DeepClone();
        }
        errors.Add(("", "must be a region (\"midtjylland\"), a group or party id, or a list of these"));
        return null;
    });

    private static readonly PropertyKind<LatePolicy> LatePolicyKind = new("latePolicy", (node, errors) =>
    {
        var mode = node is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : node?["mode"]?.GetValueKind() == JsonValueKind.String ? node["mode"]!.GetValue<string>() : null;
        switch (mode)
        {
            case "reject":
                return Hearings.LatePolicy.Reject;
            case "acceptUntil" or "acceptAndMarkLate":
                var until = DeadlineJson.Parse(node?["until"], errors);
                if (until is null && errors.Count == 0)
                {
                    errors.Add(("until", "is required: until when late answers are accepted"));
                }
                return new LatePolicy(mode, until);
            default:
                errors.Add(("", "must be \"reject\", or { \"mode\": \"acceptUntil\", \"until\": { \"date\": \"…\", \"at\": \"…\" } }"));
                return Hearings.LatePolicy.Reject;
        }
    });

    private static readonly PropertyKind<IReadOnlyList<HearingMaterial>> MaterialKind = new("material", (node, errors) =>
    {
        if (node is not JsonArray array)
        {
            errors.Add(("", "must be a list of { \"title\": \"…\", \"url\": \"…\" }"));
            return [];
        }
        var material = new List<HearingMaterial>();
        for (var i = 0; i < array.Count; i++)
        {
            var title = array[i]?["title"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
            var url = array[i]?["url"] is JsonValue u && u.GetValueKind() == JsonValueKind.String ? u.GetValue<string>() : null;
            if (array[i] is not JsonObject || title is null)
            {
                errors.Add(($"[{i}].title", "is required"));
                continue;
            }
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            {
                errors.Add(($"[{i}].url", "must be an http(s) address"));
                continue;
            }
            material.Add(new HearingMaterial(title, url));
        }
        return material;
    });

    private static readonly PropertyKind<int?> QuorumKind = new("integer", (node, errors) =>
    {
        var value = PropertyKinds.WholeNumber.Convert(node, errors);
        if (errors.Count == 0 && value < 1)
        {
            errors.Add(("", "must be at least 1"));
        }
        return value;
    });

    private static PropertyKind<IReadOnlyList<ReminderSpec>> RemindersKind(bool before) => new("reminders", (node, errors) =>
    {
        var reminders = DeadlineJson.ParseReminders(node, errors) ?? [];
        for (var i = 0; i < reminders.Count; i++)
        {
            if (reminders[i].IsRykker == before)
            {
                errors.Add(($"[{i}]", before
                    ? "is a rykker (after the deadline); put it under \"rykker\""
                    : "is a reminder before the deadline; a rykker is { \"workingDaysAfter\": N }"));
            }
        }
        return reminders;
    });
}

/// <summary><c>reject</c>: the hearing closes at the deadline; otherwise late answers are taken (and marked late) until <see cref="Until"/>.</summary>
public sealed record LatePolicy(string Mode, DeadlineSpec? Until)
{
    public static LatePolicy Reject { get; } = new("reject", null);
}

/// <summary>A document the parties are asked to read: a title and, usually, a link.</summary>
public sealed record HearingMaterial(string Title, string? Url);
