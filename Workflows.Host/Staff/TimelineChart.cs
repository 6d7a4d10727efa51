using NodaTime;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Staff;

/// <summary>What happened on one day of a hearing.</summary>
public sealed record TimelineDay(LocalDate Date, int Sent, int Reminders, int Answers, bool Deadline, bool Today)
{
    public bool HasEvents => Sent > 0 || Reminders > 0 || Answers > 0 || Deadline || Today;
}

/// <summary>A date label under the chart's axis, at <paramref name="X"/> (its middle).</summary>
public sealed record TimelineLabel(double X, LocalDate Date);

/// <summary>
/// The geometry of the hearing's timeline (<see cref="HearingTimeline"/> draws it): one slot per day in a fixed
/// viewBox, so the SVG scales to any width; the date labels are spaced so they never overlap.
/// </summary>
public sealed class TimelineChart
{
    /// <summary>A hearing longer than this is drawn from its first day for this many days.</summary>
    public const int MaxDays = 120;

    public const double Width = 1000;
    public const double Height = 220;
    public const double Left = 40;
    public const double Right = 12;
    public const double PlotTop = 28;
    public const double PlotBottom = 150;

    /// <summary>The row under the axis where invitations are marked.</summary>
    public const double SentRow = 166;

    public const double LabelRow = 200;

    /// <summary>Room for a label such as "30. sep." at the chart's font size, in viewBox units.</summary>
    private const double LabelSpacing = 80;

    private TimelineChart(IReadOnlyList<TimelineDay> days, int max)
    {
        Days = days;
        Max = max;
        DayWidth = (Width - Left - Right) / days.Count;
        var labels = new List<TimelineLabel>();
        for (var i = 0; i < days.Count; i++)
        {
            var date = days[i].Date;
            var candidate = i == 0 || date.DayOfWeek == IsoDayOfWeek.Monday || date.Day == 1;
            var x = Middle(i);
            if (candidate && (labels.Count == 0 || x - labels[^1].X >= LabelSpacing) && x + (LabelSpacing / 2) <= Width)
            {
                labels.Add(new TimelineLabel(x, date));
            }
        }
        Labels = labels;
    }

    public IReadOnlyList<TimelineDay> Days { get; }

    /// <summary>The most events of one kind on one day: the top of the scale.</summary>
    public int Max { get; }

    public double DayWidth { get; }

    public IReadOnlyList<TimelineLabel> Labels { get; }

    public LocalDate First => Days[0].Date;

    public LocalDate Last => Days[^1].Date;

    public double Start(int day) => Left + (day * DayWidth);

    public double Middle(int day) => Start(day) + (DayWidth / 2);

    public double BarHeight(int count) => (double)count / Max * (PlotBottom - PlotTop);

    /// <summary>The chart of a hearing's party tasks and reminders; null when nobody has been asked yet.</summary>
    public static TimelineChart? Of(IReadOnlyList<PartyTaskRow> tasks, IReadOnlyList<Instant> reminders, Instant now, DateTimeZone zone)
    {
        if (tasks.Count == 0)
        {
            return null;
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
        var days = new List<TimelineDay>();
        for (var date = first; date <= last; date = date.PlusDays(1))
        {
            days.Add(new TimelineDay(date, sent.GetValueOrDefault(date), reminded.GetValueOrDefault(date), answers.GetValueOrDefault(date), deadlines.Contains(date), date == today));
        }
        var max = Math.Max(1, days.Max(d => Math.Max(d.Answers, d.Reminders)));
        return new TimelineChart(days, max);
    }
}
