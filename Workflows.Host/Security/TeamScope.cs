namespace Workflows.Host.Security;

/// <summary>
/// The team whose hearings the current request may see. Set for a signed-in user or key with a team (administrators
/// excepted: they see everything), empty for everyone else and for background work. The database contexts filter
/// instances, party tasks, answers, files, extension requests and journal lines by it (<c>HasQueryFilter</c>), so every
/// read of a request, in the API and on the pages alike, sees only its team's hearings and those without a team.
/// </summary>
public static class TeamScope
{
    private static readonly AsyncLocal<string?> Scope = new();

    public static string? Current => Scope.Value;

    public static IApplicationBuilder UseTeamScope(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var user = http.User;
        Scope.Value = user.Identity?.IsAuthenticated == true && !user.IsInRole(StaffRoles.Administrator) ? user.TeamOf() : null;
        try
        {
            await next(http);
        }
        finally
        {
            Scope.Value = null;
        }
    });
}
