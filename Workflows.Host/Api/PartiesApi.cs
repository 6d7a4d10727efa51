namespace Workflows.Host.Api;

public static class PartiesApi
{
    /// <summary>Maps <c>/api/parties</c> (placeholder, filled in by the party directory work).</summary>
    public static IEndpointRouteBuilder MapPartiesApi(this IEndpointRouteBuilder api) => api;
}
