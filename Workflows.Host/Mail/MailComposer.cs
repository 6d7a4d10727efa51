using System.Text.Json;
using System.Text.Json.Nodes;
using MimeKit;
using NodaTime;
using NodaTime.Text;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Mail;

/// <summary>
/// Turns an outbox row into the complete message, once: the bytes are stored on the row and every later attempt
/// sends exactly those bytes. Rows with a template are rendered from the Danish templates; the others are sent as
/// written.
/// </summary>
internal sealed class MailComposer(MailOptions options, string publicBaseUrl, DateTimeZone zone, Func<Guid, string>? answerLink = null)
{
    private static readonly string[] CalendarTemplates = ["invitation", "reminder", "rykker", "deadline-changed", "approval-request", "approval-reminder"];

    /// <summary>CRLF, as SMTP and pickup readers expect; the stored bytes are what goes on the wire.</summary>
    private static readonly FormatOptions Format = CreateFormat();

    private readonly MailTemplates templates = new(options.TemplatesFolder);

    public byte[] Compose(OutboxRow row, Instant now)
    {
        var from = From();
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.AddRange(Recipients(row));
        // Replies to mail about a party task go to the answer inbox, to an address only that party task's mails carry.
        if (ReplyTags.ReplyTo(options.Imap, row.PartyTaskId, from.Name) is { } replyTo)
        {
            message.ReplyTo.Add(replyTo);
            // Bounces too: the SMTP transport gives this as the envelope sender, so a mail server's delivery status
            // notification lands in the answer inbox, addressed to this party task (see SmtpMailTransport).
            message.Headers.Add(HeaderId.ReturnPath, $"<{replyTo.Address}>");
        }
        message.Date = now.InZone(zone).ToDateTimeOffset();
        // Stable per row, so a resend is recognisably the same mail and replies can be matched to it.
        message.MessageId = $"{row.Id:N}@{Domain(from)}";
        // People reply (answers by mail are welcome), but out-of-office robots should not.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "OOF, AutoReply");

        var body = new BodyBuilder();
        if (row.Template is null)
        {
            message.Subject = row.Subject;
            body.TextBody = row.TextBody;
            body.HtmlBody = row.HtmlBody;
        }
        else
        {
            var model = Model(row);
            var rendered = templates.Render(row.Template, model);
            message.Subject = rendered.Subject;
            body.TextBody = rendered.Text;
            body.HtmlBody = rendered.Html;
            if (CalendarTemplates.Contains(row.Template) && Calendar(row, model, rendered.Subject) is { } ics)
            {
                var type = new ContentType("text", "calendar") { Charset = "utf-8" };
                type.Parameters.Add("method", "PUBLISH");
                body.Attachments.Add(DeadlineCalendar.FileName, ics, type);
            }
        }
        message.Body = body.ToMessageBody();
        if (row.Template is not null)
        {
            // A MIME entity header: it belongs to the top-level body part (MimeKit writes it among the message headers).
            message.Body.Headers.Add(HeaderId.ContentLanguage, "da");
        }
        // Seven-bit parts only, so no server (with or without 8BITMIME) makes MailKit re-encode: the bytes sent
        // are the bytes stored.
        message.Prepare(EncodingConstraint.SevenBit);
        using var stream = new MemoryStream();
        message.WriteTo(Format, stream);
        return stream.ToArray();
    }

    private MailboxAddress From()
    {
        var from = MailboxAddress.Parse(options.Smtp.From);
        if (string.IsNullOrWhiteSpace(from.Name))
        {
            from.Name = options.FromName;
        }
        return from;
    }

    private static string Domain(MailboxAddress address) => address.Domain is { Length: > 0 } domain ? domain : "procesflow.local";

    private static List<MailboxAddress> Recipients(OutboxRow row)
    {
        List<string>? to;
        try
        {
            to = JsonSerializer.Deserialize<List<string>>(row.To);
        }
        catch (JsonException)
        {
            throw new MailComposeException($"The recipients are not a JSON list of addresses: {row.To}");
        }
        if (to is null || to.Count == 0)
        {
            throw new MailComposeException("The mail has no recipients.");
        }
        return to.Select(text => MailboxAddress.TryParse(text, out var address) && address.Address.Contains('@', StringComparison.Ordinal)
            ? address
            : throw new MailComposeException($"'{text}' is not an e-mail address.")).ToList();
    }

    /// <summary>The row's model plus what the host knows: the party's signed answer link; links that are not http(s) are dropped.</summary>
    private JsonObject Model(OutboxRow row)
    {
        JsonObject model;
        try
        {
            model = JsonNode.Parse(row.Model ?? "{}") as JsonObject
                ?? throw new MailComposeException("The mail's model is not a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new MailComposeException($"The mail's model is not valid JSON: {exception.Message}");
        }
        if (answerLink is not null && row.PartyTaskId is { } partyTaskId && model["partyTaskId"] is not null)
        {
            // The party's signed link, made now: the instance and the outbox model hold no working link.
            model["answerUrl"] = $"{publicBaseUrl.TrimEnd('/')}/svar/{answerLink(partyTaskId)}";
        }
        else if (Text(model["answerPath"]) is { Length: > 0 } path)
        {
            // A mail queued before links were signed carries its legacy link; it keeps working.
            model["answerUrl"] = publicBaseUrl.TrimEnd('/') + (path.StartsWith('/') ? path : "/" + path);
        }
        if (model["material"] is JsonArray material)
        {
            foreach (var item in material.OfType<JsonObject>())
            {
                if (Text(item["url"]) is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                {
                    item.Remove("url");
                }
            }
        }
        if (model["receipt"] is JsonObject receipt && receipt["attachments"] is JsonArray attachments)
        {
            // Attachment entries may be names or objects; the templates list names.
            var names = attachments.Select(a => Text(a) ?? Text(a?["name"]) ?? Text(a?["fileName"]) ?? Text(a?["title"]))
                .Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => (JsonNode)JsonValue.Create(n)!).ToArray();
            receipt["attachments"] = new JsonArray(names);
        }
        return model;
    }

    private static byte[]? Calendar(OutboxRow row, JsonObject model, string subject)
    {
        if (model["deadline"] is not JsonObject deadlineModel || Text(deadlineModel["instant"]) is not { } text)
        {
            return null;
        }
        var deadline = InstantPattern.ExtendedIso.Parse(text);
        if (!deadline.Success)
        {
            throw new MailComposeException($"The deadline '{text}' in the mail's model is not an ISO instant.");
        }
        var sequence = model["sequence"] is JsonValue s && s.GetValueKind() == JsonValueKind.Number && s.TryGetValue<int>(out var n) ? n : 0;
        return DeadlineCalendar.Create(
            DeadlineCalendar.Uid(row.PartyTaskId ?? row.Id), sequence, deadline.Value, row.QueuedAt,
            Text(model["title"]) ?? subject, Text(model["caseNumber"]), Text(model["answerUrl"]));
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
