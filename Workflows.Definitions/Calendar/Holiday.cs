using NodaTime;

namespace Workflows.Definitions.Calendar;

/// <summary>Whether a non-working day is an official helligdag or an organisation's own closing day.</summary>
public enum HolidayKind
{
    /// <summary>An official Danish helligdag (the same for everybody, fixed by law).</summary>
    Official,

    /// <summary>A configured closing day (grundlovsdag, 24/12, an organisation's own day); never part of the official list.</summary>
    ClosingDay,
}

/// <summary>A named non-working day. <paramref name="Name"/> is Danish, as shown to people.</summary>
public sealed record Holiday(LocalDate Date, string Name, HolidayKind Kind);
