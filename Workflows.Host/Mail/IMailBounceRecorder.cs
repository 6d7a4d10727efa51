namespace Workflows.Host.Mail;

/// <summary>
/// Where the outbox reports a recipient that a mail server refused for good while a mail about a party task was being
/// sent. The hearings implement it (<see cref="Hearings.HearingCommands"/>): the party is marked bounced.
/// </summary>
public interface IMailBounceRecorder
{
    /// <returns>True when the hearing took it (the party shows the bounce); false when it could not, so the failure needs an incident.</returns>
    Task<bool> RecordAsync(Guid partyTaskId, string address, string reason, CancellationToken cancellationToken);
}
