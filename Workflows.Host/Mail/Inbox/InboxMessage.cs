using System.Security.Cryptography;
using MimeKit;
using MimeKit.Tnef;
using Workflows.Host.Hearings;

namespace Workflows.Host.Mail.Inbox;

/// <summary>What the inbox needs from one e-mail: who sent it, its id, the reply text and the files.</summary>
public sealed class InboxMessage
{
    /// <summary>The longest Message-ID kept as it is (the database column's width); longer ones are hashed.</summary>
    private const int MaxMessageIdLength = 500;

    private InboxMessage(MimeMessage message, string messageId)
    {
        Message = message;
        MessageId = messageId;
    }

    public MimeMessage Message { get; }

    /// <summary>The Message-ID without angle brackets, or a stable one made from the content when the mail has none.</summary>
    public string MessageId { get; }

    /// <summary>The sender's bare address (From, else Sender), if it has one.</summary>
    public string? FromAddress => Message.From.Mailboxes.Concat(Message.Sender is null ? [] : [Message.Sender]).FirstOrDefault()?.Address;

    /// <summary>The From header as written (name and address), for people to read.</summary>
    public string From => Message.From.Count > 0 ? Message.From.ToString() : Message.Sender?.ToString() ?? "";

    public string Subject => Message.Subject is { } subject ? subject.Length <= 998 ? subject : subject[..998] : "";

    public static InboxMessage Parse(byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        var message = MimeMessage.Load(stream);
        var id = message.MessageId is { Length: > 0 and <= MaxMessageIdLength } messageId
            ? messageId
            // No (usable) Message-ID: the content names it, so the same mail read twice is still recognised.
            : $"{Convert.ToHexStringLower(SHA256.HashData(raw))}@procesflow.invalid";
        return new InboxMessage(message, id);
    }

    /// <summary>The reply as text, without the quoted original (see <see cref="MailText"/>).</summary>
    public string? Text() => MailText.Body(Message);

    /// <summary>
    /// Every file a person attached: parts with a file name or an attachment disposition (Apple Mail sends PDFs
    /// "inline"), files inside an Outlook winmail.dat, and attached mails. Left out: the text and HTML bodies and images
    /// the HTML shows inline (signature logos), which would otherwise make every answer from such a mail client fail
    /// the file-type check.
    /// </summary>
    public IReadOnlyList<(string FileName, MimeEntity Entity)> Files()
    {
        var files = new List<(string, MimeEntity)>();
        foreach (var entity in Message.BodyParts)
        {
            switch (entity)
            {
                case TnefPart tnef:
                    // Outlook's winmail.dat: its files, not the message body it also carries.
                    files.AddRange(tnef.ExtractAttachments().OfType<MimePart>().Where(a => a.IsAttachment || a.FileName is not null)
                        .Select(a => (Name(a, files.Count), (MimeEntity)a)));
                    break;
                case MessagePart attached:
                    files.Add((Name(attached, files.Count, ".eml"), attached));
                    break;
                case TextPart text when !text.IsAttachment && text.FileName is null:
                    break;
                case MimePart part when part.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase)
                    && !part.IsAttachment && part.ContentId is not null:
                    break;
                case MimePart part when part.IsAttachment || part.FileName is not null:
                    files.Add((Name(part, files.Count), part));
                    break;
            }
        }
        return files;
    }

    /// <summary>The files as the answer service takes them: decoded, each in its own stream (the caller disposes them).</summary>
    public async Task<List<AnswerFile>> DecodeFilesAsync(CancellationToken cancellationToken)
    {
        var decoded = new List<AnswerFile>();
        foreach (var (name, entity) in Files())
        {
            var content = new MemoryStream();
            if (entity is MimePart { Content: { } part })
            {
                await part.DecodeToAsync(content, cancellationToken);
            }
            else if (entity is MessagePart { Message: { } inner })
            {
                await inner.WriteToAsync(content, cancellationToken);
            }
            content.Position = 0;
            decoded.Add(new AnswerFile(name, content));
        }
        return decoded;
    }

    /// <summary>
    /// Why this mail was written by a machine (an out-of-office reply, a bounce), or null when a person wrote it.
    /// Such a mail quotes the invitation's Message-ID like a real reply does, and must not count as the party's answer.
    /// </summary>
    public string? AutomaticReason()
    {
        var headers = Message.Headers;
        if (headers[HeaderId.AutoSubmitted] is { } auto && !auto.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"Mailen er sendt automatisk (Auto-Submitted: {auto.Trim()}), f.eks. et fraværssvar.";
        }
        if (headers["X-Autoreply"] is not null || headers["X-Autorespond"] is not null || headers["X-Auto-Reply"] is not null)
        {
            return "Mailen er et automatisk svar (fraværsbesked).";
        }
        if (headers["Precedence"]?.Trim().ToLowerInvariant() is "auto_reply" or "bulk" or "junk")
        {
            return $"Mailen er sendt automatisk (Precedence: {headers["Precedence"]!.Trim()}).";
        }
        if (Message.Body is MultipartReport || Message.Body?.ContentType.IsMimeType("multipart", "report") == true)
        {
            return "Mailen er en returmeddelelse fra en mailserver (leveringsfejl eller kvittering).";
        }
        if (FromAddress is { } from && (from.StartsWith("mailer-daemon@", StringComparison.OrdinalIgnoreCase) || from.StartsWith("postmaster@", StringComparison.OrdinalIgnoreCase)))
        {
            return "Mailen er en returmeddelelse fra en mailserver.";
        }
        return null;
    }

    private static string Name(MimeEntity entity, int index, string extension = "")
    {
        var name = (entity as MimePart)?.FileName ?? entity.ContentDisposition?.FileName ?? entity.ContentType.Name;
        if (string.IsNullOrWhiteSpace(name) && entity is MessagePart { Message.Subject: { Length: > 0 } subject })
        {
            name = subject + extension;
        }
        return string.IsNullOrWhiteSpace(name) ? $"bilag-{index + 1}{extension}" : name;
    }
}
