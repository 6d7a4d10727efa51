namespace Workflows.Host.Api;

public static class CalendarApi
{
    /// <summary>Maps <c>/api/calendar/*</c> (placeholder, filled in by the calendar work).</summary>
    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder api) => api;
}
