using MailKit.Security;
using Workflows.Host.Mail.Inbox;

namespace Workflows.Host.Mail;

/// <summary>
/// <c>ProcesFlow:Mail</c>. Without <c>Smtp:Host</c> every mail is written to <see cref="PickupDirectory"/> as an
/// <c>.eml</c> file and nobody is mailed: a fresh checkout never reaches a real municipality.
/// </summary>
public sealed class MailOptions
{
    public const string SectionName = "ProcesFlow:Mail";

    /// <summary>Where mails go when no SMTP host is configured; relative paths are under the content root.</summary>
    public const string DefaultPickupDirectory = "data/mail-outbox";

    /// <summary>10 s, 30 s, 2 min, 10 min, 1 h, 6 h: seven attempts over about seven hours.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6),
    ];

    public string PickupDirectory { get; set; } = DefaultPickupDirectory;

    public SmtpMailOptions Smtp { get; set; } = new();

    /// <summary><c>ProcesFlow:Mail:Imap</c>: the inbox answers by e-mail are read from (off unless its host is set).</summary>
    public ImapOptions Imap { get; set; } = new();

    /// <summary>The display name on <c>From</c> when <see cref="SmtpMailOptions.From"/> is a bare address.</summary>
    public string FromName { get; set; } = "ProcesFlow";

    /// <summary>
    /// A folder a process owner may edit: a file there (e.g. <c>invitation.html.liquid</c>) replaces the built-in
    /// template of the same name. Relative paths are under the content root.
    /// </summary>
    public string? TemplatesFolder { get; set; }

    /// <summary>
    /// The wait after the 1st, 2nd, … failed attempt; when they are used up the mail is given up (an incident).
    /// Null or empty means <see cref="DefaultRetryDelays"/>. (Nullable because the configuration binder appends
    /// configured items to a list's default items instead of replacing them.)
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>How many mails one run takes at a time, over one SMTP connection.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How long a run holds the rows it has claimed. Only matters when a sender dies mid-batch: its rows are
    /// sent again (same Message-ID, same bytes) once the claim has run out.
    /// </summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<TimeSpan> GetRetryDelays() => RetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;

    /// <summary>True when mail goes out over SMTP rather than into the pickup directory.</summary>
    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);
}

/// <summary><c>ProcesFlow:Mail:Smtp</c>.</summary>
public sealed class SmtpMailOptions
{
    /// <summary>Setting it switches from the pickup directory to SMTP.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>With a user, the client authenticates; leave empty for a relay that trusts the network.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary><c>ProcesFlow &lt;hoering@kkr.dk&gt;</c> or a bare address (then <see cref="MailOptions.FromName"/> is the name).</summary>
    public string From { get; set; } = "procesflow@procesflow.local";

    /// <summary>MailKit's choice: <c>Auto</c> (TLS on 465, STARTTLS when offered), <c>StartTls</c>, <c>SslOnConnect</c>, <c>None</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>How long one SMTP command may take before the attempt counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A file the SMTP conversation is appended to, for finding out why a server refuses mail (MailKit's
    /// protocol log; passwords are redacted). Relative paths are under the content root. Off when empty.
    /// </summary>
    public string? ProtocolLog { get; set; }
}
