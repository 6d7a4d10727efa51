using System.Security.Claims;

namespace Workflows.Host.Security;

/// <summary>
/// The four roles of staff accounts and API keys. Each role is a claim of type <see cref="ClaimTypes.Role"/>;
/// what a role may do is decided per route in <see cref="RoutePermissions"/>.
/// </summary>
public static class StaffRoles
{
    /// <summary>Users, API keys, settings, the audit trail, the Hangfire dashboard, the API reference, and everything the others may do.</summary>
    public const string Administrator = "Administrator";

    /// <summary>Designs and publishes definitions, starts (and cancels) hearings.</summary>
    public const string ProcessOwner = "Procesejer";

    /// <summary>Runs hearings: deadlines, reminders, answers, extension requests, the inbox, decisions, the høringsnotat.</summary>
    public const string Secretariat = "Sekretariat";

    /// <summary>Reads everything it may see, changes nothing.</summary>
    public const string Reader = "Læser";

    public static readonly IReadOnlyList<string> All = [Administrator, ProcessOwner, Secretariat, Reader];

    /// <summary>The claim that carries a user's or key's team.</summary>
    public const string TeamClaim = "procesflow:team";

    public static bool IsRole(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);

    /// <summary>What a role may do, in Danish, for the administration page.</summary>
    public static string Describe(string role) => role switch
    {
        Administrator => "Brugere, API-nøgler, revisionsspor og alt det, de andre roller må",
        ProcessOwner => "Designer og udgiver forløb, starter og annullerer høringer",
        Secretariat => "Driver høringer: frister, påmindelser, svar, fristforlængelser, indbakken, høringsnotatet",
        Reader => "Kan læse, men ikke ændre noget",
        _ => role,
    };

    /// <summary>
    /// Whether this user may run hearings (deadlines, reminders, answers, extension requests, decisions, the inbox): the
    /// roles of <see cref="SecuritySetup.StaffRunPolicy"/>. Pages show their changing forms only to them.
    /// </summary>
    public static bool MayRunHearings(this ClaimsPrincipal user) => user.IsInRole(Administrator) || user.IsInRole(Secretariat);

    /// <summary>The team whose hearings alone this user or key sees; null sees every hearing.</summary>
    public static string? TeamOf(this ClaimsPrincipal user) => user.FindFirst(TeamClaim)?.Value is { Length: > 0 } team ? team : null;
}
