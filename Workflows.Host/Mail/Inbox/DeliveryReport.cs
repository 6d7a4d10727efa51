using MimeKit;

namespace Workflows.Host.Mail.Inbox;

/// <summary>One recipient a mail server could not deliver to: the address, the status code (<c>5.1.1</c>) and the server's words.</summary>
public sealed record DeliveryFailure(string Address, string Status, string? Diagnostic)
{
    /// <summary>For staff and the journal: <c>5.1.1 (550 5.1.1 … User unknown)</c>.</summary>
    public string Reason => Diagnostic is null ? Status : $"{Status} ({Diagnostic})";
}

/// <summary>
/// A delivery status notification (RFC 3464, <c>multipart/report; report-type=delivery-status</c>): which recipients
/// failed for good, and the Message-ID of the mail it is about (from the returned message or its headers).
/// </summary>
public sealed record DeliveryReport(IReadOnlyList<DeliveryFailure> Failures, string? OriginalMessageId)
{
    /// <summary>The report in <paramref name="message"/>, or null when it is not a delivery status notification.</summary>
    public static DeliveryReport? Read(MimeMessage message)
    {
        var report = FindReport(message.Body);
        if (report is null || !string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var status = report.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (status is null)
        {
            return null;
        }
        var failures = new List<DeliveryFailure>();
        // The first group is about the message; each further group is one recipient.
        foreach (var group in status.StatusGroups.Skip(1))
        {
            if (!string.Equals(group["Action"]?.Trim(), "failed", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var address = (AfterType(group["Final-Recipient"]) ?? AfterType(group["Original-Recipient"]))?.Trim('<', '>');
            if (address is null)
            {
                continue;
            }
            failures.Add(new DeliveryFailure(address, group["Status"]?.Trim() ?? "5.0.0", AfterType(group["Diagnostic-Code"])));
        }
        var original = report.OfType<MessagePart>().Select(part => part.Message?.MessageId).FirstOrDefault(id => !string.IsNullOrEmpty(id));
        return new DeliveryReport(failures, original);
    }

    private static MultipartReport? FindReport(MimeEntity? entity) => entity switch
    {
        MultipartReport report => report,
        Multipart multipart => multipart.Select(FindReport).FirstOrDefault(r => r is not null),
        _ => null,
    };

    /// <summary><c>rfc822; kommune@example.dk</c> → <c>kommune@example.dk</c> (the address type before the semicolon goes).</summary>
    private static string? AfterType(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }
        var semicolon = field.IndexOf(';', StringComparison.Ordinal);
        var value = string.Join(' ', (semicolon < 0 ? field : field[(semicolon + 1)..]).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return value.Length == 0 ? null : value;
    }
}
