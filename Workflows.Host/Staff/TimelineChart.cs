using System.Globalization;
using System.Text;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Host.Persistence.Rows;
using static Workflows.Host.Pages.PageText;
using static Workflows.Host.Staff.StaffLayout;

namespace Workflows.Host.Staff;

/// <summary>
/// The hearing's timeline per day (invitations sent, reminders, deadlines, answers) as an inline SVG bar chart drawn
/// on the server, with the same numbers as a table for those who do not see the chart.
/// </summary>
internal static class TimelineChart
{
    private const int MaxDays = 120;
    private const int DayWidth = 14;
    private const int Height = 160;
    private const int Top = 24;
    private const int Bottom = 40;
    private const int Left = 36;

    private sealed record Day(LocalDate Date, int Sent, int Reminders, int Answers, bool Deadline, bool Today);

    public static string Render(IReadOnlyList<PartyTaskRow> tasks, IReadOnlyList<Instant> reminders, Instant now, DateTimeZone zone)
    {
        if (tasks.Count == 0)
        {
            return "";
        }
        LocalDate DateOf(Instant instant) => instant.InZone(zone).Date;
        var first = tasks.Min(t => DateOf(t.CreatedAt));
        var today = DateOf(now);
        var lastDeadline = tasks.Max(t => DateOf(t.Deadline));
        var lastAnswer = tasks.Where(t => t.AnsweredAt is not null).Select(t => DateOf(t.AnsweredAt!.Value)).DefaultIfEmpty(first).Max();
        var last = new[] { lastDeadline, lastAnswer, today }.Max();
        if (Period.Between(first, last, PeriodUnits.Days).Days >= MaxDays)
        {
            last = first.PlusDays(MaxDays - 1);
        }
        var sent = tasks.GroupBy(t => DateOf(t.CreatedAt)).ToDictionary(g => g.Key, g => g.Count());
        var reminded = reminders.GroupBy(DateOf).ToDictionary(g => g.Key, g => g.Count());
        var answers = tasks.Where(t => t.AnsweredAt is not null).GroupBy(t => DateOf(t.AnsweredAt!.Value)).ToDictionary(g => g.Key, g => g.Count());
        var deadlines = tasks.Select(t => DateOf(t.Deadline)).ToHashSet();
        var days = new List<Day>();
        for (var date = first; date <= last; date = date.PlusDays(1))
        {
            days.Add(new Day(date, sent.GetValueOrDefault(date), reminded.GetValueOrDefault(date), answers.GetValueOrDefault(date), deadlines.Contains(date), date == today));
        }

        var max = Math.Max(1, days.Max(d => Math.Max(d.Answers, Math.Max(d.Reminders, d.Sent))));
        var width = Left + (days.Count * DayWidth) + 10;
        var plot = Height - Top - Bottom;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""
            <h2 id="tidslinje">Tidslinje</h2>
            <p id="tidslinje-beskrivelse">Søjlerne viser svar pr. dag (blå) og påmindelser pr. dag (orange). Den lodrette røde linje er fristen, den grå stiplede linje er i dag. Tallene står også i tabellen under diagrammet.</p>
            <svg class="chart" role="img" aria-labelledby="tidslinje-titel tidslinje-beskrivelse" width="{width}" height="{Height}" viewBox="0 0 {width} {Height}" xmlns="http://www.w3.org/2000/svg">
            <title id="tidslinje-titel">Tidslinje for høringen fra {ShortDate(first)} til {ShortDate(last)}</title>
            <line x1="{Left}" y1="{Top + plot}" x2="{width - 10}" y2="{Top + plot}" stroke="#1a1a1a"/>
            <text x="{Left - 6}" y="{Top + 4}" text-anchor="end" font-size="11">{max}</text>
            <text x="{Left - 6}" y="{Top + plot}" text-anchor="end" font-size="11">0</text>
            """);
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var x = Left + (i * DayWidth);
            if (day.Answers > 0)
            {
                var h = (double)day.Answers / max * plot;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 1}\" y=\"{Top + plot - h:0.#}\" width=\"{(DayWidth / 2) - 1}\" height=\"{h:0.#}\" fill=\"#0b57a4\"><title>{ShortDate(day.Date)}: {day.Answers} svar</title></rect>");
            }
            if (day.Reminders > 0)
            {
                var h = (double)day.Reminders / max * plot;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + (DayWidth / 2)}\" y=\"{Top + plot - h:0.#}\" width=\"{(DayWidth / 2) - 1}\" height=\"{h:0.#}\" fill=\"#b35900\"><title>{ShortDate(day.Date)}: {day.Reminders} påmindelser</title></rect>");
            }
            if (day.Deadline)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x + (DayWidth / 2)}\" y1=\"{Top - 8}\" x2=\"{x + (DayWidth / 2)}\" y2=\"{Top + plot}\" stroke=\"#b00020\" stroke-width=\"2\"><title>Frist {ShortDate(day.Date)}</title></line>");
            }
            if (day.Today)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x + (DayWidth / 2)}\" y1=\"{Top - 8}\" x2=\"{x + (DayWidth / 2)}\" y2=\"{Top + plot}\" stroke=\"#555\" stroke-dasharray=\"3 3\"><title>I dag</title></line>");
            }
            if (day.Sent > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x + (DayWidth / 2)}\" cy=\"{Top + plot + 8}\" r=\"4\" fill=\"#1b6e20\"><title>{ShortDate(day.Date)}: {day.Sent} invitationer sendt</title></circle>");
            }
            if (day.Date.Day == 1 || i == 0 || day.Date.DayOfWeek == IsoDayOfWeek.Monday)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{Height - 8}\" font-size=\"10\">{day.Date.Day}/{day.Date.Month}</text>");
            }
        }
        svg.Append("</svg>");

        svg.Append("""
            <details><summary>Tidslinjen som tabel</summary><table><caption>Hændelser pr. dag</caption><thead><tr><th scope="col">Dag</th><th scope="col" class="num">Invitationer sendt</th><th scope="col" class="num">Påmindelser</th><th scope="col" class="num">Svar</th><th scope="col">Frist</th></tr></thead><tbody>
            """);
        foreach (var day in days.Where(d => d.Sent > 0 || d.Reminders > 0 || d.Answers > 0 || d.Deadline || d.Today))
        {
            svg.Append(CultureInfo.InvariantCulture, $"""
                <tr><th scope="row">{Encode(DanishText.Date(day.Date))}{(day.Today ? " (i dag)" : "")}</th><td class="num">{day.Sent}</td><td class="num">{day.Reminders}</td><td class="num">{day.Answers}</td><td>{(day.Deadline ? "Frist" : "")}</td></tr>
                """);
        }
        svg.Append("</tbody></table></details>");
        return svg.ToString();
    }
}
