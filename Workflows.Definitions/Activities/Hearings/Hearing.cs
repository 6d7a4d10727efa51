namespace Workflows.Definitions.Activities.Hearings;

/// <summary>
/// Send i høring: sends the material to every party with a personal answer link and a Danish deadline, reminds
/// only those who have not answered, marks the late ones, and completes when every party has answered
/// (<c>AllAnswered</c>) or when the hearing closes with answers missing (<c>DeadlinePassed</c>).
/// </summary>
/// <remarks>
/// Each party is a <see cref="Runtime.PartyTask"/> with its own deadline. The hearing closes at the latest party
/// deadline, or, with a late policy that accepts late answers, at its <c>until</c>. The host reaches it with the typed
/// <see cref="HearingStimulus"/> records; the work is done by <see cref="PartyRound"/>, shared with <see cref="Approval"/>.
/// Definitions from before <see cref="Approval"/> existed may still ask a hearing for <c>"ask": "approval"</c> or
/// <c>"accession"</c>: they run as an approval round, exactly as an <c>Approval</c> node would.
/// </remarks>
public sealed class Hearing(HearingSettings settings) : IActivity
{
    public const string AllAnsweredPort = "AllAnswered";
    public const string DeadlinePassedPort = "DeadlinePassed";

    /// <summary>What a hearing node may ask for: <c>answer</c>, and the approval kinds kept for older definitions.</summary>
    public static readonly IReadOnlyList<string> Asks = [HearingAsk.Answer, HearingAsk.Approval, HearingAsk.Accession];

    public static ActivityDescriptor Descriptor { get; } = new(
        "Hearing", "Send i høring", "Høring",
        "Sender materialet til parterne med personligt svarlink og frist, minder dem, der ikke har svaret, og samler svarene.",
        [
            .. HearingSettings.CommonProperties,
            new("ask", "enum", false, "Parterne bedes om", Asks),
            new("quorum", "integer", false, "Godkendt når mindst (antal parter)"),
            new("effectiveDate", "deadline", false, "Ikrafttræden"),
        ],
        CanWait: true,
        reader =>
        {
            var settings = HearingSettings.Read(reader, reader.Literal("ask", PropertyKinds.OneOf([.. Asks]), HearingAsk.Answer));
            if (settings.Ask == HearingAsk.Answer && (reader.Has("quorum") || reader.Has("effectiveDate")))
            {
                reader.Error(reader.Has("quorum") ? "quorum" : "effectiveDate", "applies only when \"ask\" is \"approval\" or \"accession\"");
            }
            return settings.Ask == HearingAsk.Answer
                ? new ActivityBinding(new Hearing(settings), [AllAnsweredPort, DeadlinePassedPort])
                : new ActivityBinding(new Approval(settings), [Approval.ApprovedPort, Approval.NotApprovedPort]);
        });

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PartyRound(context, settings).Run());
}
