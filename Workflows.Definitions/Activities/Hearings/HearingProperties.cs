using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
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
    Property<LatePolicySpec> LatePolicy,
    Property<IReadOnlyList<MaterialLink>> Material,
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
        reader.Get("latePolicy", LatePolicyKind, LatePolicySpec.Reject),
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

    private static readonly PropertyKind<LatePolicySpec> LatePolicyKind = new("latePolicy", (node, errors) => LatePolicyJson.Parse(node, errors) ?? LatePolicySpec.Reject);

    private static readonly PropertyKind<IReadOnlyList<MaterialLink>> MaterialKind = new("material", (node, errors) => MaterialJson.Parse(node, errors) ?? []);

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
