namespace Workflows.Host.Parties;

public static class PartiesSetup
{
    /// <summary>Registers the party directory (placeholder, filled in by the party directory work).</summary>
    public static IHostApplicationBuilder AddPartyDirectory(this IHostApplicationBuilder builder) => builder;
}
