namespace Workflows.Host.Hearings;

/// <summary>
/// <c>ProcesFlow:FaultInjection</c>, for the crash tests only: makes the host stop for good at a named point, so a test
/// can kill it exactly there (SIGKILL) and prove that a restart loses nothing and counts nothing twice. Unset in every
/// real configuration.
/// </summary>
public sealed class FaultInjectionOptions
{
    public const string SectionName = "ProcesFlow:FaultInjection";

    /// <summary>After an answer's files are written, before the answer and the hearing's change commit.</summary>
    public const string BeforeAnswerCommit = "BeforeAnswerCommit";

    /// <summary>After the answer has committed, before its files are made final.</summary>
    public const string AfterAnswerCommit = "AfterAnswerCommit";

    /// <summary><see cref="BeforeAnswerCommit"/>, <see cref="AfterAnswerCommit"/>, or null.</summary>
    public string? HoldAnswer { get; set; }
}
