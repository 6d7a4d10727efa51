using System.Globalization;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;

namespace Workflows.Host.Pages;

/// <summary>How the pages write numbers, dates, deadlines and statuses in Danish.</summary>
internal static class PageText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A whole number as Danish writes it: "29.000".</summary>
    public static string Number(int value) => value.ToString("#,0", Invariant).Replace(',', '.');

    /// <summary>The Danish name of a party task's status, as the matrix and lists show it.</summary>
    public static string StatusName(string status) => status switch
    {
        nameof(PartyTaskStatus.Sent) => "Sendt",
        nameof(PartyTaskStatus.Reminded) => "Påmindet",
        nameof(PartyTaskStatus.Answered) => "Besvaret",
        nameof(PartyTaskStatus.NoComments) => "Ingen bemærkninger",
        nameof(PartyTaskStatus.ExtensionGranted) => "Fristforlængelse",
        nameof(PartyTaskStatus.Overdue) => "Overskredet",
        nameof(PartyTaskStatus.AnsweredLate) => "Besvaret for sent",
        nameof(PartyTaskStatus.Bounced) => "Afvist mail",
        _ => status,
    };

    /// <summary>A party's status with its decision in an approval round: "Besvaret (godkendt)".</summary>
    public static string StatusName(string status, string? decision) => decision switch
    {
        "approved" => $"{StatusName(status)} (godkendt)",
        "rejected" => $"{StatusName(status)} (ikke godkendt)",
        _ => StatusName(status),
    };

    /// <summary>The CSS class that colours a status (never the only carrier of meaning: the text is always there).</summary>
    public static string StatusClass(string status) => status switch
    {
        nameof(PartyTaskStatus.Answered) or nameof(PartyTaskStatus.NoComments) => "ok",
        nameof(PartyTaskStatus.Overdue) or nameof(PartyTaskStatus.Bounced) => "bad",
        nameof(PartyTaskStatus.AnsweredLate) or nameof(PartyTaskStatus.ExtensionGranted) => "warn",
        _ => "neutral",
    };

    /// <summary>"torsdag den 31. oktober 2019 kl. 12.00".</summary>
    public static string Text(Instant instant, DateTimeZone zone) => Deadline.FromInstant(instant, zone).Text;

    /// <summary>"31. okt. kl. 12.00": short, for the cells of a table.</summary>
    public static string Short(Instant instant, DateTimeZone zone)
    {
        var local = instant.InZone(zone).LocalDateTime;
        return $"{ShortDate(local.Date)} {DanishText.Time(local.TimeOfDay)}";
    }

    /// <summary>"31. okt.".</summary>
    public static string ShortDate(LocalDate date)
    {
        var month = DanishText.Month(date.Month);
        return string.Create(Invariant, $"{date.Day}. {(month.Length <= 4 ? month : month[..3] + ".")}");
    }

    /// <summary>"22 arbejdsdage tilbage", "1 arbejdsdag tilbage", "Fristen er i dag", "Fristen er overskredet".</summary>
    public static string DaysLeft(Instant deadline, Instant now, DateTimeZone zone, WorkingDayCalendar calendar)
    {
        if (deadline <= now)
        {
            return "Fristen er overskredet";
        }
        var today = now.InZone(zone).Date;
        var days = calendar.CountWorkingDays(today, deadline.InZone(zone).Date);
        return days switch
        {
            <= 0 => "Fristen er i dag",
            1 => "1 arbejdsdag tilbage",
            _ => $"{Number(days)} arbejdsdage tilbage",
        };
    }

    /// <summary>The design system's badge that colours a status (the text always carries the meaning too).</summary>
    public static string StatusBadgeClass(string status) => StatusClass(status) switch
    {
        "ok" => "badge-success",
        "bad" => "badge-error",
        "warn" => "badge-warning",
        _ => "badge-info",
    };
}
