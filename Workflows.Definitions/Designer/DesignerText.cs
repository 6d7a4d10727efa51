using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;

namespace Workflows.Definitions.Designer;

/// <summary>How the designer's texts (the diff, "Læs som tekst") write a property value in Danish.</summary>
public static class DesignerText
{
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static int? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;

    /// <summary>"10 arbejdsdage efter afsendelse kl. 12.00", "torsdag den 31. oktober 2019 kl. 12.00", "angives ved start (input.deadline)".</summary>
    public static string Deadline(JsonNode? node)
    {
        if (node is JsonObject { } expression && Text(expression["expression"]) is { } code)
        {
            return $"angives ved start ({code})";
        }
        if (node is not JsonObject deadline)
        {
            return Value(node);
        }
        var at = Time(Text(deadline["at"]));
        if (Text(deadline["date"]) is { } dateText && LocalDatePattern.Iso.Parse(dateText) is { Success: true } date)
        {
            return at is { } time ? DanishText.DateTime(date.Value + time) : DanishText.Date(date.Value);
        }
        var suffix = at is { } t ? $" {DanishText.Time(t)}" : "";
        return (Number(deadline["workingDays"]), Number(deadline["days"]), Number(deadline["weeks"])) switch
        {
            ({ } n, _, _) => Invariant($"{n} {(n == 1 ? "arbejdsdag" : "arbejdsdage")} efter afsendelse{suffix}"),
            (_, { } n, _) => Invariant($"{n} {(n == 1 ? "dag" : "dage")} efter afsendelse{suffix}"),
            (_, _, { } n) => Invariant($"{n} {(n == 1 ? "uge" : "uger")} efter afsendelse{suffix}"),
            _ => Text(deadline["isoWeek"]) is { } week ? $"uge {week}{suffix}" : Value(node),
        };
    }

    /// <summary>"de 19 kommuner i Region Midtjylland", "KKR Midtjylland (20 parter)", "3 parter: Aarhus Kommune, …".</summary>
    public static string Parties(JsonNode? node, PartyDirectory directory)
    {
        if (node is JsonObject expression && Text(expression["expression"]) is { } code)
        {
            return $"parterne angivet ved start ({code})";
        }
        if (Text(node) is { } selector)
        {
            return Selector(selector, directory);
        }
        if (node is JsonArray list)
        {
            var names = list.Select(Text).OfType<string>().Select(s => Selector(s, directory)).ToList();
            return names.Count == 1 ? names[0] : Invariant($"{names.Count} parter: {string.Join(", ", names)}");
        }
        return Value(node);
    }

    private static string Selector(string selector, PartyDirectory directory)
    {
        if (DanishRegions.TryParse(selector, out var region))
        {
            return Invariant($"de {directory.InRegion(region).Count} kommuner i {DanishRegions.Name(region)}");
        }
        if (directory.FindGroup(selector) is { } group)
        {
            return Invariant($"{group.Name} ({group.MemberIds.Count} parter)");
        }
        return directory.Find(selector)?.Name ?? selector;
    }

    /// <summary>"påmindelse 3 arbejdsdage før kl. 9.00".</summary>
    public static string Reminders(JsonNode? node)
    {
        if (node is JsonObject expression && Text(expression["expression"]) is { } code)
        {
            return $"påmindelser angivet ved start ({code})";
        }
        if (node is not JsonArray list)
        {
            return Value(node);
        }
        return string.Join(" og ", list.OfType<JsonObject>().Select(r =>
        {
            var at = Time(Text(r["at"])) is { } t ? $" {DanishText.Time(t)}" : "";
            return (Number(r["workingDaysBefore"]), Number(r["daysBefore"]), Number(r["workingDaysAfter"])) switch
            {
                ({ } n, _, _) => Invariant($"påmindelse {n} {(n == 1 ? "arbejdsdag" : "arbejdsdage")} før fristen{at}"),
                (_, { } n, _) => Invariant($"påmindelse {n} {(n == 1 ? "dag" : "dage")} før fristen{at}"),
                (_, _, { } n) => Invariant($"rykker {n} {(n == 1 ? "arbejdsdag" : "arbejdsdage")} efter fristen{at}"),
                _ => Value(r),
            };
        }));
    }

    /// <summary>Any value, short: a text in quotes, a number, an expression, else compact JSON.</summary>
    public static string Value(JsonNode? node) => node switch
    {
        null => "(intet)",
        JsonObject o when Text(o["expression"]) is { } code => $"udtrykket {code}",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"»{v.GetValue<string>()}«",
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "ja",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "nej",
        _ => node.ToJsonString(),
    };

    private static LocalTime? Time(string? text) =>
        text is not null && LocalTimePattern.CreateWithInvariantCulture("HH':'mm").Parse(text) is { Success: true } time ? time.Value : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
