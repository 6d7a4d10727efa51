namespace Workflows.Host.Answers;

/// <summary>The receipt of one stored answer, as shown right after submitting it.</summary>
public sealed record ReceiptModel(string Token, string PartyName, string Received, bool IsDecision, bool Late, bool Replaced, IReadOnlyList<string> Files);
