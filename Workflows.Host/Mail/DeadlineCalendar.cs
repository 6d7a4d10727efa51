using System.Text;
using IcalCalendar = Ical.Net.Calendar;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;

namespace Workflows.Host.Mail;

/// <summary>
/// The <c>.ics</c> attached to invitations, reminders, rykkere and changed deadlines: one event at the deadline
/// (METHOD:PUBLISH). The UID is the party task's, so a later mail with a higher SEQUENCE moves the same calendar
/// entry instead of adding a second one.
/// </summary>
/// <remarks>
/// The event is a point in time: DTSTART is the deadline (in UTC) and there is no DTEND, which RFC 5545 §3.6.1
/// defines as ending when it starts. It is TRANSPARENT, so it never shows the recipient as busy.
/// </remarks>
internal static class DeadlineCalendar
{
    public const string FileName = "hoeringsfrist.ics";

    public static string Uid(Guid id) => $"{id:D}@procesflow";

    public static byte[] Create(string uid, int sequence, Instant deadline, Instant stamp, string title, string? caseNumber, string? answerUrl)
    {
        var description = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(caseNumber))
        {
            description.Append("Sagsnummer: ").Append(caseNumber).Append('\n');
        }
        if (!string.IsNullOrWhiteSpace(answerUrl))
        {
            description.Append("Afgiv høringssvar: ").Append(answerUrl).Append('\n');
        }
        var calendar = new IcalCalendar { Method = "PUBLISH", ProductId = "-//ProcesFlow//Hearing deadline//DA" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = uid,
            Sequence = sequence,
            DtStamp = Utc(stamp),
            DtStart = Utc(deadline),
            Summary = $"Høringsfrist: {title}",
            Description = description.Length == 0 ? null : description.ToString().TrimEnd('\n'),
            Transparency = "TRANSPARENT",
        });
        var text = new CalendarSerializer().SerializeToString(calendar)
            ?? throw new MailComposeException("The calendar file could not be written.");
        return Encoding.UTF8.GetBytes(text);
    }

    private static CalDateTime Utc(Instant instant) => new(instant.ToDateTimeUtc(), CalDateTime.UtcTzId);
}
