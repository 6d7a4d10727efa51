using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Activities.Decisions;

/// <summary>
/// Beslutning i et organ: an item on a body's agenda (KKR, KD-Net, DASSOS, praksisplanudvalget …), decided at a meeting.
/// The meeting is the one the definition names, or the body's next meeting in its calendar. The decision is recorded
/// by the secretariat (<c>POST /api/instances/{id}/decisions/{activityId}</c>); an item that is postponed (udsat) moves
/// to the body's next meeting, as KD-Net's postponement of the Fælles Servicecenter item to 24 January 2020 did.
/// </summary>
/// <remarks>
/// A chain of bodies (DASSOS → KD-Net → KKR) is a sequence of decisions: a body cannot decide on an item before the
/// body before it has. A decision may be recorded before its meeting (approval by mail, as DASSOS does) and is
/// journaled so. Signal: <c>{activityId}:decision</c> <c>{ "outcome": "approved" | "rejected" | "postponed" |
/// "discussed", "note"?, "actor"? }</c>; the bookmark carries the outcomes the item allows.
/// </remarks>
public sealed class Decision(Decision.Settings settings) : IActivity
{
    public const string ApprovedPort = "Approved";
    public const string RejectedPort = "Rejected";
    public const string PostponedPort = "Postponed";
    public const string DiscussedPort = "Discussed";

    public const string SignalKind = "decision";

    private const string MeetingTimer = "meeting";

    // Declared before Descriptor: static initializers run in order, and Descriptor's binding uses these.
    private static readonly string[] Kinds = ["approval", "discussion"];
    private static readonly string[] PostponementRules = ["nextMeeting", "port"];

    public static ActivityDescriptor Descriptor { get; } = new(
        "Decision", "Beslutning i et organ", "Godkendelse",
        "Sætter et punkt på et organs dagsorden (næste møde i organets mødekalender eller en given dato) og venter på beslutningen: godkendt, afvist eller udsat.",
        [
            new("body", "string", true, "Organ (part-id)"),
            new("item", "text", true, "Dagsordenspunkt"),
            new("kind", "enum", false, "Type", Kinds),
            new("meeting", "deadline", false, "Mødedato"),
            new("mandate", "text", false, "Mandat til"),
            new("checklist", "textList", false, "Elementer i indstillingen"),
            new("basis", "json", false, "Grundlag (fx et høringsresultat)"),
            new("onPostponed", "enum", false, "Ved udsættelse", PostponementRules),
            new("resultVariable", "string", false, "Gem beslutningen i variabel"),
        ],
        CanWait: true,
        reader =>
        {
            var body = reader.Literal("body", PropertyKinds.PlainText, "");
            if (reader.Has("body") && body.Trim().Length == 0)
            {
                reader.Error("body", "must name a body, e.g. \"kkr-midtjylland\"");
            }
            var kind = reader.Literal("kind", PropertyKinds.OneOf(Kinds), "approval");
            var resultVariable = reader.VariableName("resultVariable");
            var settings = new Settings(
                body,
                reader.Text("item"),
                kind,
                reader.Get("meeting", Waiting.WaitUntil.DeadlineKind, null),
                reader.Text("mandate"),
                reader.Get("checklist", PropertyKinds.TextList, []),
                reader.Get("basis", PropertyKinds.Json, null),
                reader.Literal("onPostponed", PropertyKinds.OneOf(PostponementRules), "nextMeeting"),
                resultVariable);
            IReadOnlyList<string> ports = kind == "approval" ? [ApprovedPort, RejectedPort, PostponedPort] : [DiscussedPort, PostponedPort];
            return new ActivityBinding(new Decision(settings), ports);
        });

    /// <summary>The outcomes a decision of <paramref name="kind"/> can be recorded with.</summary>
    public static IReadOnlyList<string> Outcomes(string kind) => kind == "approval" ? ["approved", "rejected", "postponed"] : ["discussed", "postponed"];

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Execute(context));

    private ActivityResult Execute(ActivityContext context)
    {
        if (context.Resumption is not { } resumption)
        {
            Plan(context);
            return Wait(context);
        }
        if (resumption.IsTimer)
        {
            context.State["meetingHeld"] = true;
            context.Journal($"Mødet i {BodyName(context)} {MeetingText(context)} er afholdt; beslutningen om '{Item(context)}' er endnu ikke registreret.");
            return Wait(context);
        }

        var payload = resumption.Payload;
        var outcome = resumption.Text("outcome");
        var actor = resumption.Text("actor");
        var note = resumption.Text("note") ?? "";
        var data = payload?.DeepClone() as JsonObject;
        if (outcome is null || !Outcomes(settings.Kind).Contains(outcome))
        {
            context.Journal($"En beslutning med udfaldet '{outcome}' kan ikke registreres for '{Item(context)}' (mulige: {string.Join(", ", Outcomes(settings.Kind))}).", data, actor);
            return Wait(context);
        }
        var early = context.State["meetingHeld"]?.GetValue<bool>() != true && context.Now < MeetingAt(context);
        var how = early ? " (før mødet, fx ved skriftlig behandling)" : "";
        var noteText = note.Length > 0 ? $" Bemærkning: {note}" : "";

        if (outcome == "postponed")
        {
            var next = context.Meetings.NextMeeting(settings.Body, MeetingAt(context).InZone(context.Zone).LocalDateTime);
            if (settings.OnPostponed == "nextMeeting" && next is { } meeting)
            {
                SetMeeting(context, meeting.InZoneLeniently(context.Zone).ToInstant());
                context.State["postponements"] = (context.State["postponements"]?.GetValue<int>() ?? 0) + 1;
                context.Journal($"{BodyName(context)} har udsat '{Item(context)}'{how}. Punktet behandles på mødet {MeetingText(context)}.{noteText}", data, actor);
                return Wait(context);
            }
            context.Journal($"{BodyName(context)} har udsat '{Item(context)}'{how}{(next is null && settings.OnPostponed == "nextMeeting" ? "; organets mødekalender har intet senere møde" : "")}.{noteText}", data, actor);
            return Complete(context, outcome, note, actor, PostponedPort);
        }

        var verb = outcome switch { "approved" => "godkendt", "rejected" => "afvist", _ => "drøftet" };
        var mandate = context.State["mandate"]?.GetValue<string>();
        var mandateText = outcome == "approved" && mandate is not null ? $" med mandat til {mandate}" : "";
        context.Journal($"{BodyName(context)} har {verb} '{Item(context)}'{mandateText}{how}.{noteText}", data, actor);
        var port = outcome switch { "approved" => ApprovedPort, "rejected" => RejectedPort, _ => DiscussedPort };
        return Complete(context, outcome, note, actor, port);
    }

    private void Plan(ActivityContext context)
    {
        var body = context.Parties.Find(settings.Body)
            ?? throw new ActivityPropertyException("body", $"'{settings.Body}' is no party in the directory");
        var item = context.Render(settings.Item, "item").Trim();
        if (item.Length == 0)
        {
            throw new ActivityPropertyException("item", "is empty");
        }
        Instant meetingAt;
        IReadOnlyList<string> warnings = [];
        if (settings.Meeting.Evaluate(context) is { } spec)
        {
            var resolved = context.Calendar.WithoutHearingMinimum().Resolve(spec, context.Now);
            meetingAt = resolved.Instant;
            warnings = resolved.Warnings;
        }
        else
        {
            var next = context.Meetings.NextMeeting(body.Id, context.Now.InZone(context.Zone).LocalDateTime)
                ?? throw new ActivityPropertyException("meeting", $"is not given, and {body.Name} has no meeting after {DanishText.Date(context.Now.InZone(context.Zone).Date)} in its meeting calendar");
            meetingAt = next.InZoneLeniently(context.Zone).ToInstant();
        }
        context.State["body"] = body.Name;
        context.State["item"] = item;
        SetMeeting(context, meetingAt);
        var mandate = context.Render(settings.Mandate, "mandate").Trim();
        if (mandate.Length > 0)
        {
            context.State["mandate"] = mandate;
        }

        var lines = new List<string> { $"'{item}' er sat på dagsordenen til mødet i {body.Name} {MeetingText(context)}." };
        if (mandate.Length > 0)
        {
            var checklist = settings.Checklist.Evaluate(context);
            lines.Add(checklist.Count == 0
                ? $"Indstilling: mandat til {mandate}."
                : $"Indstilling: mandat til {mandate}, hvor følgende elementer indgår: {string.Join("; ", checklist)}.");
        }
        if (Basis(context) is { } basis)
        {
            lines.Add(basis);
        }
        context.Journal(string.Join(" ", lines));
        foreach (var warning in warnings)
        {
            context.Journal($"Advarsel: {warning}");
        }
    }

    /// <summary>The answers a decision rests on, in one sentence: "Grundlag: 17 af 19 har svaret (2 for sent); mangler: Skive Kommune, Lemvig Kommune."</summary>
    private string? Basis(ActivityContext context)
    {
        if (settings.Basis.Evaluate(context) is not JsonObject result || result["total"] is not JsonValue total || result["answered"] is not JsonValue answered)
        {
            return null;
        }
        var text = $"Grundlag: {answered.GetValue<int>()} af {total.GetValue<int>()} har svaret";
        if (result["approved"] is JsonValue approved)
        {
            text = $"Grundlag: {approved.GetValue<int>()} af {total.GetValue<int>()} har godkendt";
        }
        if (result["late"] is JsonValue late && late.GetValue<int>() > 0)
        {
            text += $" ({late.GetValue<int>()} for sent)";
        }
        var missing = (result["missing"] as JsonArray ?? []).OfType<JsonValue>().Select(id => context.Parties.Find(id.GetValue<string>())?.Name ?? id.GetValue<string>()).ToList();
        return missing.Count == 0 ? text + "." : $"{text}; mangler: {string.Join(", ", missing)}.";
    }

    private ActivityResult.Suspended Wait(ActivityContext context)
    {
        var payload = new JsonObject { ["outcomes"] = new JsonArray(Outcomes(settings.Kind).Select(o => (JsonNode)o).ToArray()) };
        var signal = BookmarkRequest.Signal($"{context.ActivityId}:{SignalKind}", payload);
        var meetingAt = MeetingAt(context);
        return context.State["meetingHeld"]?.GetValue<bool>() == true || meetingAt <= context.Now
            ? new ActivityResult.Suspended([signal])
            : new ActivityResult.Suspended([signal, BookmarkRequest.Timer(MeetingTimer, meetingAt)]);
    }

    private ActivityResult Complete(ActivityContext context, string outcome, string note, string? actor, string port)
    {
        if (settings.ResultVariable is { } variable)
        {
            context.Variables[variable] = new JsonObject
            {
                ["outcome"] = outcome,
                ["body"] = settings.Body,
                ["meeting"] = context.State["meeting"]?.DeepClone(),
                ["decidedAt"] = InstantPattern.ExtendedIso.Format(context.Now),
                ["note"] = note.Length == 0 ? null : note,
                ["actor"] = actor,
            };
        }
        return ActivityResult.Outcome(port);
    }

    private static void SetMeeting(ActivityContext context, Instant at)
    {
        context.State["meeting"] = InstantPattern.ExtendedIso.Format(at);
        context.State["meetingHeld"] = false;
    }

    private static Instant MeetingAt(ActivityContext context) => InstantPattern.ExtendedIso.Parse(context.State["meeting"]!.GetValue<string>()).Value;

    private static string MeetingText(ActivityContext context) => Deadline.FromInstant(MeetingAt(context), context.Zone).Text;

    private static string BodyName(ActivityContext context) => context.State["body"]!.GetValue<string>();

    private static string Item(ActivityContext context) => context.State["item"]!.GetValue<string>();


    public sealed record Settings(
        string Body,
        LiquidText Item,
        string Kind,
        Property<DeadlineSpec?> Meeting,
        LiquidText Mandate,
        Property<IReadOnlyList<string>> Checklist,
        Property<JsonNode?> Basis,
        string OnPostponed,
        string? ResultVariable);
}
