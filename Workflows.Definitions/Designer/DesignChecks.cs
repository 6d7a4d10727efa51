using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Definitions.Definitions;

namespace Workflows.Definitions.Designer;

/// <summary>A problem the designer shows: where it is (JSON path and, when it concerns one, the activity), in Danish.</summary>
/// <param name="Path">The JSON path, e.g. <c>$.root.activities[3].deadline.workingDays</c>.</param>
/// <param name="ActivityId">The activity the path is in (a connection's problem belongs to its source), or null.</param>
/// <param name="Message">Danish, for the person editing.</param>
/// <param name="Severity"><c>error</c> (publishing is refused) or <c>warning</c>.</param>
public sealed record DesignProblem(string Path, string? ActivityId, string Message, string Severity);

/// <summary>
/// What the designer checks while its user edits: the parser's own errors (the same as saving gives), put in
/// Danish and tied to their activity, plus the checks only a whole graph allows — an activity that cannot be
/// reached, an outcome port that leads nowhere, no Slut, a Join with no Fork before it. The engine could run a
/// flow with a port that leads nowhere (that branch just ends), which is why the parser lets it pass and the
/// designer refuses to publish it: a process owner almost always forgot the connection.
/// </summary>
public sealed partial class DesignChecks(DefinitionParser parser)
{
    public DesignCheckResult Check(JsonNode? document)
    {
        var parsed = parser.Parse(document);
        var ports = parser.PortsOf(document);
        var root = document as JsonObject;
        var activities = (root?["root"]?["activities"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var problems = new List<DesignProblem>();
        foreach (var error in parsed.Errors)
        {
            // The graph check below says the same in Danish.
            if (error.Message.EndsWith("cannot be reached from Start", StringComparison.Ordinal))
            {
                continue;
            }
            problems.Add(new DesignProblem(error.Path, ActivityOf(root, error.Path), Translate(error.Message), "error"));
        }
        problems.AddRange(GraphProblems(root, activities, ports));
        return new DesignCheckResult(parsed.Errors, problems, ports);
    }

    private static List<DesignProblem> GraphProblems(JsonObject? root, List<JsonObject> activities, IReadOnlyDictionary<string, IReadOnlyList<string>> ports)
    {
        var problems = new List<DesignProblem>();
        var connections = (root?["root"]?["connections"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (Source: Text(c["source"]?["activity"]), Port: Text(c["source"]?["port"]), Target: Text(c["target"]?["activity"])))
            .ToList();
        var ids = activities.Select((a, i) => (Id: Text(a["id"]), Index: i)).Where(a => a.Id is not null).ToList();
        string PathOf(int index) => string.Create(CultureInfo.InvariantCulture, $"$.root.activities[{index}]");
        string TypeOf(string id) => Text(activities.First(a => Text(a["id"]) == id)["type"]) ?? "";

        if (activities.Count > 0 && !activities.Any(a => Text(a["type"]) == "Finish"))
        {
            problems.Add(new DesignProblem("$.root.activities", null, "Forløbet har ingen Afslut-aktivitet.", "error"));
        }

        var start = ids.FirstOrDefault(a => TypeOf(a.Id!) == "Start");
        if (start.Id is not null)
        {
            var reachable = new HashSet<string>(StringComparer.Ordinal) { start.Id };
            var pending = new Queue<string>([start.Id]);
            while (pending.Count > 0)
            {
                var current = pending.Dequeue();
                foreach (var next in connections.Where(c => c.Source == current && c.Target is not null))
                {
                    if (reachable.Add(next.Target!))
                    {
                        pending.Enqueue(next.Target!);
                    }
                }
            }
            foreach (var (id, index) in ids.Where(a => !reachable.Contains(a.Id!)))
            {
                problems.Add(new DesignProblem(PathOf(index), id, "Aktiviteten kan ikke nås fra Start.", "error"));
            }
        }

        foreach (var (id, index) in ids)
        {
            foreach (var port in ports.GetValueOrDefault(id!) ?? [])
            {
                if (!connections.Any(c => c.Source == id && c.Port == port))
                {
                    problems.Add(new DesignProblem(PathOf(index), id, $"Udgangen »{PortName(port)}« er ikke forbundet til nogen aktivitet.", "error"));
                }
            }
            if (TypeOf(id!) == "Join" && !Upstream(id!, connections).Any(up => TypeOf(up) == "Fork"))
            {
                problems.Add(new DesignProblem(PathOf(index), id, "Sammenføjningen (Join) har ingen forgrening (Fork) før sig.", "error"));
            }
        }
        return problems;

        IEnumerable<string> Upstream(string id, List<(string? Source, string? Port, string? Target)> all)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>([id]);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                foreach (var c in all.Where(c => c.Target == current && c.Source is not null && ids.Any(a => a.Id == c.Source)))
                {
                    if (seen.Add(c.Source!))
                    {
                        pending.Push(c.Source!);
                    }
                }
            }
            return seen;
        }
    }

    /// <summary>The activity a JSON path points into; a connection's path points to the connection's source activity.</summary>
    public static string? ActivityOf(JsonObject? document, string path)
    {
        var match = IndexedPath().Match(path);
        if (!match.Success || document?["root"] is not JsonObject flowchart)
        {
            return null;
        }
        var index = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var list = flowchart[match.Groups[1].Value] as JsonArray;
        if (list is null || index >= list.Count || list[index] is not JsonObject item)
        {
            return null;
        }
        return match.Groups[1].Value == "activities" ? Text(item["id"]) : Text(item["source"]?["activity"]);
    }

    /// <summary>The Danish name of a well-known outcome port; other ports keep their name.</summary>
    public static string PortName(string port) => port switch
    {
        "Done" => "Færdig",
        "True" => "Ja",
        "False" => "Nej",
        "AllAnswered" => "Alle har svaret",
        "DeadlinePassed" => "Fristen er udløbet",
        "Approved" => "Godkendt",
        "NotApproved" => "Ikke godkendt",
        "Rejected" => "Afvist",
        "Postponed" => "Udsat",
        "Discussed" => "Drøftet",
        "Default" => "Ellers",
        _ => port,
    };

    /// <summary>
    /// The parser's English messages in Danish, for the patterns a designer user meets; a message with no rule
    /// keeps its text after a Danish lead, so nothing is ever hidden.
    /// </summary>
    public static string Translate(string message)
    {
        // The calendar's messages are Danish already (they start with a capital letter; the parser's never do).
        if (message.Length > 0 && char.IsUpper(message[0]))
        {
            return message;
        }
        foreach (var (pattern, danish) in Rules)
        {
            var match = pattern.Match(message);
            if (match.Success)
            {
                return match.Result(danish);
            }
        }
        return $"Fejl: {message}";
    }

    private static readonly (Regex Pattern, string Danish)[] Rules =
    [
        (new Regex("^is required", RegexOptions.None, TimeSpan.FromSeconds(1)), "Skal udfyldes."),
        (new Regex("^must not be empty", RegexOptions.None, TimeSpan.FromSeconds(1)), "Må ikke være tom."),
        (new Regex("^must contain one Start activity", RegexOptions.None, TimeSpan.FromSeconds(1)), "Forløbet skal have én Start-aktivitet."),
        (new Regex("^is a second Start activity", RegexOptions.None, TimeSpan.FromSeconds(1)), "Forløbet har mere end én Start-aktivitet."),
        (new Regex("^'(.+)' is not the id of any activity", RegexOptions.None, TimeSpan.FromSeconds(1)), "Forbindelsen fører til »$1«, som ikke findes."),
        (new Regex("^'(.+)' is not a port of '(.+)' \\((.+)\\); its ports are (.+)$", RegexOptions.None, TimeSpan.FromSeconds(1)), "»$1« er ikke en udgang på »$2« (udgange: $4)."),
        (new Regex("^'(.+)' \\((.+)\\) has no outgoing ports", RegexOptions.None, TimeSpan.FromSeconds(1)), "»$1« har ingen udgange."),
        (new Regex("^leads into Start", RegexOptions.None, TimeSpan.FromSeconds(1)), "Intet må føre ind i Start."),
        (new Regex("^connects (.+) to (.+) a second time", RegexOptions.None, TimeSpan.FromSeconds(1)), "Forbindelsen findes allerede."),
        (new Regex("^'(.+)' is already the id of", RegexOptions.None, TimeSpan.FromSeconds(1)), "Id'et »$1« er brugt to gange."),
        (new Regex("^'(.+)' is not a known activity type", RegexOptions.None, TimeSpan.FromSeconds(1)), "»$1« er ikke en kendt aktivitetstype."),
        (new Regex("^must be a whole number", RegexOptions.None, TimeSpan.FromSeconds(1)), "Skal være et helt tal."),
        (new Regex("^must be one of (.+), not (.+)$", RegexOptions.None, TimeSpan.FromSeconds(1)), "Skal være en af $1."),
        (new Regex("^is in a loop \\((.+)\\) with no activity that waits", RegexOptions.None, TimeSpan.FromSeconds(1)), "Er i en løkke ($1) uden en aktivitet, der venter."),
        (new Regex("^is not a property of", RegexOptions.None, TimeSpan.FromSeconds(1)), "Er ikke en egenskab, aktiviteten kender."),
        (new Regex("^names no declared variable", RegexOptions.None, TimeSpan.FromSeconds(1)), "Navngiver ingen erklæret variabel."),
        (new Regex("unknown name '(.+)'; values are read as", RegexOptions.None, TimeSpan.FromSeconds(1)), "Ukendt navn »$1« i udtrykket; værdier læses som input.navn eller variables.navn."),
        (new Regex("unknown function '(.+?)'", RegexOptions.None, TimeSpan.FromSeconds(1)), "Ukendt funktion »$1« i udtrykket."),
        (new Regex("^must be a text", RegexOptions.None, TimeSpan.FromSeconds(1)), "Skal være en tekst."),
        (new Regex("^must be true or false", RegexOptions.None, TimeSpan.FromSeconds(1)), "Skal være ja eller nej."),
        (new Regex("^must be an ISO 8601 period", RegexOptions.None, TimeSpan.FromSeconds(1)), "Skal være en periode, fx P3D (3 dage) eller P4W (4 uger)."),
        (new Regex("^must name at least one branch", RegexOptions.None, TimeSpan.FromSeconds(1)), "Skal have mindst én gren."),
        (new Regex("^must be 1–100 lower-case letters", RegexOptions.None, TimeSpan.FromSeconds(1)), "Id'et skal være 1–100 små bogstaver, tal og bindestreger."),
        (new Regex("^must be a region", RegexOptions.None, TimeSpan.FromSeconds(1)), "Vælg en region, en gruppe eller en liste af parter."),
    ];

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [GeneratedRegex(@"^\$\.root\.(activities|connections)\[(\d+)\]")]
    private static partial Regex IndexedPath();
}

/// <summary>The parser's errors as they are (for the API's problem details), the designer's problems, and every activity's ports.</summary>
public sealed record DesignCheckResult(
    IReadOnlyList<ValidationError> Errors,
    IReadOnlyList<DesignProblem> Problems,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Ports)
{
    public bool CanPublish => Problems.All(p => p.Severity != "error");
}
