using MailKit.Security;

namespace Workflows.Host.Mail.Inbox;

/// <summary>
/// <c>ProcesFlow:Mail:Imap</c>: the answer inbox. Without <see cref="Host"/> nothing is read (and hearing mails get no
/// answer Reply-To), so a fresh checkout never touches a real mailbox.
/// </summary>
public sealed class ImapOptions
{
    /// <summary>Setting it switches the inbox on.</summary>
    public string? Host { get; set; }

    /// <summary>993 (IMAP over TLS) unless told otherwise; 143 with <c>StartTls</c>.</summary>
    public int Port { get; set; } = 993;

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The folder answers arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>
    /// The answer inbox's own address, e.g. <c>hoering@kkr.example</c>. When set, every mail about a party task carries
    /// <c>Reply-To: hoering+&lt;tag&gt;@kkr.example</c>, a plus-address only that party task's mails carry (see
    /// <see cref="ReplyTags"/>); the mail server must deliver plus-addresses to the same mailbox (most do).
    /// </summary>
    public string? Address { get; set; }

    /// <summary>
    /// The secret the plus-address tags are signed with (at least 32 characters). Empty: derived from
    /// <see cref="Password"/>, which is stable but changes with it (replies to older mails are then matched by their
    /// In-Reply-To header, or land in the unmatched list). Set it to keep tags valid across password changes.
    /// </summary>
    public string? TagKey { get; set; }

    /// <summary>MailKit's choice: <c>Auto</c> (TLS on 993, STARTTLS when offered), <c>StartTls</c>, <c>SslOnConnect</c>, <c>None</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>How long one IMAP command may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// When the inbox is read, as a cron expression in UTC (default every minute). An operator whose mail server
    /// limits logins can read less often; the API's poll reads at once whatever this says.
    /// </summary>
    public string PollSchedule { get; set; } = "* * * * *";

    /// <summary>How many messages one poll handles at most; the rest wait for the next poll.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// The IMAP keyword a handled message gets, so the next poll skips it. Messages are never deleted or moved, and
    /// <c>\Seen</c> is left to the people who read the mailbox.
    /// </summary>
    public string HandledKeyword { get; set; } = "$ProcesFlowHandled";

    /// <summary>A file the IMAP conversation is appended to (passwords redacted); relative paths are under the content root.</summary>
    public string? ProtocolLog { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
