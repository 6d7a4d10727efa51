namespace Workflows.Definitions.Activities.Hearings;

/// <summary>
/// Godkendelse / tiltrædelse: asks every party for a decision (approved or rejected) with a personal link and a
/// deadline, reminds those who have not decided, and completes <c>Approved</c> when at least <c>quorum</c> parties
/// (all, unless said otherwise) have approved, else <c>NotApproved</c> when the round closes or everyone has decided.
/// </summary>
/// <remarks>
/// With <c>"ask": "accession"</c> the parties are asked to accede to an agreement (the akutfunktioner's 29 kommuner);
/// <c>effectiveDate</c> then warns when not all have acceded at the entry into force. Same machinery as
/// <see cref="Hearing"/> (<see cref="PartyRound"/>), its own mails (<c>approval-request</c>, <c>approval-reminder</c>,
/// <c>approval-receipt</c>).
/// </remarks>
public sealed class Approval(HearingSettings settings) : IActivity
{
    public const string ApprovedPort = "Approved";
    public const string NotApprovedPort = "NotApproved";

    public static readonly IReadOnlyList<string> Asks = [HearingAsk.Approval, HearingAsk.Accession];

    public static ActivityDescriptor Descriptor { get; } = new(
        "Approval", "Godkendelse", "Godkendelse",
        "Beder parterne om at godkende eller tiltræde med personligt link og frist, minder dem, der ikke har besluttet sig, og tæller godkendelserne.",
        [
            .. HearingSettings.CommonProperties,
            new("ask", "enum", false, "Parterne bedes om at", Asks),
            new("quorum", "integer", false, "Godkendt når mindst (antal parter)"),
            new("effectiveDate", "deadline", false, "Ikrafttræden"),
        ],
        CanWait: true,
        reader => new ActivityBinding(
            new Approval(HearingSettings.Read(reader, reader.Literal("ask", PropertyKinds.OneOf([.. Asks]), HearingAsk.Approval))),
            [ApprovedPort, NotApprovedPort]));

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PartyRound(context, settings).Run());
}
