namespace Workflows.Host.Operations;

/// <summary>
/// The ids a log line is about, as logging-scope properties with the same names everywhere, so an operator can follow
/// one instance or one party through every node's logs (structured sinks and OpenTelemetry keep them as attributes).
/// </summary>
public static class LogScopes
{
    public const string InstanceId = "InstanceId";
    public const string PartyId = "PartyId";
    public const string PartyTaskId = "PartyTaskId";
    public const string OutboxId = "OutboxId";

    public static Dictionary<string, object?> Instance(Guid instanceId) => new(StringComparer.Ordinal) { [InstanceId] = instanceId };

    public static Dictionary<string, object?> Party(Guid instanceId, string partyId) =>
        new(StringComparer.Ordinal) { [InstanceId] = instanceId, [PartyId] = partyId };

    public static Dictionary<string, object?> Mail(Guid outboxId, Guid instanceId, Guid? partyTaskId) =>
        new(StringComparer.Ordinal) { [OutboxId] = outboxId, [InstanceId] = instanceId, [PartyTaskId] = partyTaskId };
}
