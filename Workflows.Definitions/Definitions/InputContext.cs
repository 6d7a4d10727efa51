using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;

namespace Workflows.Definitions.Definitions;

/// <summary>
/// What checking an instance's input may consult when the instance starts: the party directory (are the parties
/// known?), the deadline calculator and the instant of starting (has the deadline already passed?).
/// </summary>
/// <param name="Parties">The directory the instance's activities resolve parties with.</param>
/// <param name="Calendar">The calculator the instance's activities resolve deadlines with (zone, working days).</param>
/// <param name="Now">The instant of starting; relative deadlines count from it.</param>
public sealed record InputContext(PartyDirectory Parties, DeadlineCalculator Calendar, Instant Now);
