using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;

namespace Workflows.Host.Reports;

/// <summary>
/// One hearing of an instance as the høringsnotat and the party matrix show it: what was sent when, to whom,
/// with which deadline, and what each party answered. Parties are in Danish alphabetical order.
/// </summary>
public sealed record HearingReport(
    Guid InstanceId,
    string ActivityId,
    string Title,
    string? CaseNumber,
    string? Sender,
    LocalDateTime SentAt,
    Deadline Deadline,
    int CalendarDays,
    int WorkingDays,
    LocalDateTime CompiledAt,
    IReadOnlyList<HearingPartyLine> Parties)
{
    public IEnumerable<HearingPartyLine> Received => Parties.Where(p => p.Received);

    public IEnumerable<HearingPartyLine> NotReceived => Parties.Where(p => !p.Received);
}

/// <summary>A consulted party, its own deadline (an extension changes it) and its current answer, if any.</summary>
public sealed record HearingPartyLine(
    string PartyId,
    string Name,
    string? Code,
    string? Region,
    PartyTaskStatus Status,
    Deadline Deadline,
    bool DeadlineChanged,
    bool DeadlinePassed,
    HearingAnswer? Answer,
    string? Decision = null)
{
    /// <summary>In an approval round: the party's decision in Danish ("Godkendt", "Ikke godkendt"); null in a hearing.</summary>
    public string? DecisionText => Decision switch
    {
        "approved" => "Godkendt",
        "rejected" => "Ikke godkendt",
        _ => null,
    };

    /// <summary>An answer has been received (a registered answer row, or an answered status).</summary>
    public bool Received => Answer is not null || Status is PartyTaskStatus.Answered or PartyTaskStatus.NoComments or PartyTaskStatus.AnsweredLate;

    public bool NoComments => Answer?.NoComments ?? Status == PartyTaskStatus.NoComments;

    public bool Late => Answer?.Late == true || Status == PartyTaskStatus.AnsweredLate;

    public int AttachmentCount => Answer?.Attachments.Count ?? 0;
}

/// <summary>
/// A party's current answer (a replaced answer is history, not part of the memo). <c>SubmittedBy</c>: who answered, as
/// they gave it (the name on the answer page, the sender of a mail).
/// </summary>
public sealed record HearingAnswer(
    LocalDateTime ReceivedAt,
    string Channel,
    string? Text,
    bool NoComments,
    bool Late,
    IReadOnlyList<string> Attachments,
    string? SubmittedBy = null);
