using NodaTime;

namespace Workflows.Host.Hearings;

/// <summary>One uploaded or attached file, as the sender named it.</summary>
public sealed record AnswerFile(string FileName, Stream Content);

/// <summary>A høringssvar (or a decision) as it arrives, from any channel.</summary>
public sealed record AnswerSubmission(
    string? Text,
    bool NoComments,
    IReadOnlyList<AnswerFile> Files,
    string Channel,
    string? SubmittedBy = null,
    string? MessageId = null,
    string? ReplyTo = null,
    string? Decision = null);

/// <summary>Why an answer or a request was refused; the endpoints choose the HTTP status that fits.</summary>
public enum AnswerRefusalKind
{
    /// <summary>Something in it is missing or wrong (<see cref="AnswerOutcome.Refused.Field"/> says what).</summary>
    Invalid,
    TooLarge,
    UnsupportedFile,
    NoSuchTask,

    /// <summary>After the deadline, and the hearing takes no late answers (or an earlier answer can no longer be replaced).</summary>
    Late,
}

public abstract record AnswerOutcome
{
    private AnswerOutcome()
    {
    }

    /// <summary>Counted by the hearing.</summary>
    public sealed record Accepted(Guid AnswerId, Instant ReceivedAt, bool Late, bool Replaced, IReadOnlyList<string> FileNames, string? Decision = null) : AnswerOutcome;

    /// <summary>
    /// Kept, but not counted: the hearing could not take it (it had closed, the process had stopped with an error or had
    /// ended). Staff see it among the answers to handle; the sender is told so.
    /// </summary>
    public sealed record Held(Guid AnswerId, string Reason) : AnswerOutcome;

    /// <summary>The same e-mail (by Message-ID) was stored before; nothing new is stored.</summary>
    public sealed record Duplicate(Guid AnswerId) : AnswerOutcome;

    /// <summary>Refused, with a Danish reason for the sender.</summary>
    public sealed record Refused(AnswerRefusalKind Kind, string Reason, string? Field = null) : AnswerOutcome;
}

/// <summary>What came of a staff command on a hearing, for the API and the staff pages to put in their own words.</summary>
public enum HearingCommandOutcome
{
    Done,
    NoSuchInstance,
    NoSuchParty,
    AlreadyAnswered,

    /// <summary>The instance has finished or been cancelled.</summary>
    Ended,

    /// <summary>No open hearing waits for the command (it has closed).</summary>
    NotWaiting,
}
