using Workflows.Definitions.Runtime;

namespace Workflows.Host.Reports;

/// <summary>The Danish names of a party task's status, as the secretariat says them.</summary>
public static class PartyStatusText
{
    public static string Danish(PartyTaskStatus status) => status switch
    {
        PartyTaskStatus.Sent => "Sendt",
        PartyTaskStatus.Reminded => "Påmindet",
        PartyTaskStatus.Answered => "Besvaret",
        PartyTaskStatus.NoComments => "Ingen bemærkninger",
        PartyTaskStatus.ExtensionGranted => "Fristforlængelse",
        PartyTaskStatus.Overdue => "Overskredet",
        PartyTaskStatus.AnsweredLate => "Besvaret for sent",
        PartyTaskStatus.Bounced => "Afvist mail",
        _ => status.ToString(),
    };
}
