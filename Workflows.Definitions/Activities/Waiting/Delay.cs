using NodaTime;

namespace Workflows.Definitions.Activities.Waiting;

/// <summary>
/// Waits for an ISO 8601 period. Calendar units (days, weeks, months) are added to the local date-time in
/// the configured zone, so "P4W" across a DST change still ends at the same wall-clock time; time units
/// (hours, minutes) are elapsed time.
/// </summary>
public sealed class Delay(Property<Period> duration) : IActivity
{
    public static ActivityDescriptor Descriptor { get; } = new(
        "Delay", "Afvent periode", "Tid", "Venter en periode, fx PT2H, P3D eller P4W.",
        [new("duration", "period", true, "Periode")],
        CanWait: true,
        reader => new ActivityBinding(new Delay(reader.Get("duration", PropertyKinds.Period, Period.Zero)), [ActivityResult.DonePort]));

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (context.Resumption is not null)
        {
            return ValueTask.FromResult(ActivityResult.Done);
        }
        var period = duration.Evaluate(context);
        return ValueTask.FromResult(ActivityResult.WaitUntil(Add(context.Now, period, context.Zone)));
    }

    internal static Instant Add(Instant start, Period period, DateTimeZone zone)
    {
        var datePart = new PeriodBuilder { Years = period.Years, Months = period.Months, Weeks = period.Weeks, Days = period.Days }.Build();
        var timePart = period - datePart;
        var afterDates = datePart == Period.Zero
            ? start
            : (start.InZone(zone).LocalDateTime + datePart).InZoneLeniently(zone).ToInstant();
        return afterDates + timePart.ToDuration();
    }
}
