using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Definitions;

namespace Workflows.Host.Answers;

/// <summary>Everything the answer page shows, read once by <see cref="AnswerPages"/>; the component only renders it.</summary>
public sealed record AnswerPageModel
{
    public required string Token { get; init; }

    public required string PartyName { get; init; }

    public required string Title { get; init; }

    public string? CaseNumber { get; init; }

    public string? Sender { get; init; }

    /// <summary>The member of staff who sent the hearing, when a person did: the kommune's contact person.</summary>
    public string? Contact { get; init; }

    /// <summary>"torsdag den 31. oktober 2019 kl. 12.00".</summary>
    public required string DeadlineText { get; init; }

    /// <summary>"14 arbejdsdage tilbage", as staff see it on the dashboard.</summary>
    public required string DaysLeft { get; init; }

    public bool Passed { get; init; }

    /// <summary>True while the hearing still takes this party's answer (perhaps as a late one).</summary>
    public bool Open { get; init; }

    /// <summary>See <see cref="HearingAsk"/>: an answer, an approval or an accession.</summary>
    public string Ask { get; init; } = HearingAsk.Answer;

    /// <summary>"1. januar 2020" for an agreement that enters into force then.</summary>
    public string? EffectiveAt { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<MaterialLink> Material { get; init; } = [];

    public CurrentAnswer? Current { get; init; }

    /// <summary>The request for a longer deadline that waits for the secretariat's decision, if any.</summary>
    public string? PendingExtension { get; init; }

    public required AnswersOptions Limits { get; init; }

    /// <summary>Why the last submission was refused; the typed text is put back in the form.</summary>
    public string? Error { get; init; }

    public string TypedText { get; init; } = "";

    public string TypedName { get; init; } = "";

    /// <summary>The party's answer as it stands, shown so the kommune knows what the secretariat has.</summary>
    public sealed record CurrentAnswer(string Received, bool Late, bool NoComments, string? Decision, string? Text, IReadOnlyList<string> Files);
}
