using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Workflows.Host.Hosting;
using Workflows.Host.Scheduling;

namespace Workflows.Host.Api;

/// <summary><c>/api/clock</c>: read and move the simulated clock. In System mode these routes do not exist (404).</summary>
public static class ClockApi
{
    public static IEndpointRouteBuilder MapClockApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("clock").WithTags("Clock");
        group.MapGet("", GetAsync).WithName("GetClock");
        group.MapPost("advance", AdvanceAsync).WithName("AdvanceClock")
            .WithSummary("Moves the simulated clock; returns when every timer due by then has fired and its mails are queued.");
        return api;
    }

    public static Results<Ok<ClockReading>, NotFound> GetAsync(IOptions<ClockOptions> options, IClock clock) =>
        options.Value.Mode != ClockMode.Simulated
            ? TypedResults.NotFound()
            : TypedResults.Ok(new ClockReading(clock.GetCurrentInstant()));

    public static async Task<Results<Ok<ClockReading>, NotFound, ValidationProblem>> AdvanceAsync(
        AdvanceClockRequest? request, IOptions<ClockOptions> options, SimulatedTime time, DateTimeZone zone, CancellationToken cancellationToken)
    {
        if (options.Value.Mode != ClockMode.Simulated)
        {
            return TypedResults.NotFound();
        }
        if (request is null || (request.To is null) == (request.By is null))
        {
            return ApiResults.Invalid("$", "give either \"to\" (an instant) or \"by\" (an ISO period such as \"P3D\")");
        }

        Instant target;
        if (request.To is { } to)
        {
            var parsed = InstantPattern.ExtendedIso.Parse(to);
            if (!parsed.Success)
            {
                return ApiResults.Invalid("$.to", "must be an ISO instant such as \"2019-10-31T11:00:00Z\"");
            }
            target = parsed.Value;
        }
        else
        {
            var parsed = PeriodPattern.NormalizingIso.Parse(request.By!);
            if (!parsed.Success)
            {
                return ApiResults.Invalid("$.by", "must be an ISO 8601 period such as \"P3D\" or \"PT2H\"");
            }
            // Calendar units follow the local calendar (P1D across a DST change is one local day).
            var now = time.Now.InZone(zone);
            target = (now.LocalDateTime + parsed.Value).InZoneLeniently(zone).ToInstant();
        }

        try
        {
            return TypedResults.Ok(new ClockReading(await time.AdvanceToAsync(target, cancellationToken)));
        }
        catch (ArgumentOutOfRangeException exception)
        {
            return ApiResults.Invalid(request.To is null ? "$.by" : "$.to", exception.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
        }
    }
}

public sealed record ClockReading(Instant Now);

public sealed record AdvanceClockRequest(string? To, string? By);
