using NodaTime;

namespace Workflows.Definitions.Calendar;

/// <summary>
/// A resolved deadline: the local date-time people were promised, the zone it was promised in, and the
/// instant the engine compares against. Warnings (Danish) explain anything a process owner should check,
/// e.g. a stated date on a holiday.
/// </summary>
/// <remarks><see cref="Local"/> is the local date-time that actually occurs in <see cref="Zone"/> (after any DST adjustment).</remarks>
public sealed record Deadline(LocalDateTime Local, DateTimeZone Zone, Instant Instant, IReadOnlyList<string> Warnings)
{
    /// <summary>The deadline in its zone, for display and mail (with the correct UTC offset).</summary>
    public ZonedDateTime Zoned => Instant.InZone(Zone);

    /// <summary>Danish text, e.g. "torsdag den 31. oktober 2019 kl. 12.00".</summary>
    public string Text => DanishText.DateTime(Local);

    /// <summary>Rebuilds a deadline from its stored instant and zone (warnings are not stored, so there are none).</summary>
    public static Deadline FromInstant(Instant instant, DateTimeZone zone) =>
        new(instant.InZone(zone).LocalDateTime, zone, instant, []);

    // Records compare lists by reference; two deadlines with the same warnings are the same deadline.
    public bool Equals(Deadline? other) =>
        other is not null
        && Local == other.Local
        && Zone.Equals(other.Zone)
        && Instant == other.Instant
        && Warnings.SequenceEqual(other.Warnings);

    public override int GetHashCode() => HashCode.Combine(Local, Zone, Instant, Warnings.Count);
}
