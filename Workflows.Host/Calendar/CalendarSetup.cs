namespace Workflows.Host.Calendar;

public static class CalendarSetup
{
    /// <summary>Registers the Danish working-day calendar and deadline calculator (placeholder, filled in by the calendar work).</summary>
    public static IHostApplicationBuilder AddDanishCalendar(this IHostApplicationBuilder builder) => builder;
}
