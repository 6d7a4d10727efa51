using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Workflows.Host.Audit;

namespace Workflows.Host.Security;

/// <summary>
/// Who may call which route, in one table. Reading (GET) needs any role; a route that changes state needs the policy
/// named here for its endpoint name, and a changing route missing from the table is for administrators only, so a new
/// route is closed until someone decides. Every changing route is also marked for the audit trail.
/// </summary>
public static class RoutePermissions
{
    /// <summary>The API's changing routes, by endpoint name.</summary>
    public static readonly FrozenDictionary<string, string> Api = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SaveDefinitionDraft"] = SecuritySetup.ApiDesignPolicy,
        ["PublishDefinition"] = SecuritySetup.ApiDesignPolicy,
        ["ValidateDefinition"] = SecuritySetup.ApiDesignPolicy,
        ["RestoreDefinitionVersion"] = SecuritySetup.ApiDesignPolicy,
        ["ImportElsaDefinition"] = SecuritySetup.ApiDesignPolicy,
        ["RehearseDefinition"] = SecuritySetup.ApiDesignPolicy,
        ["StartInstance"] = SecuritySetup.ApiStartPolicy,
        ["CancelInstance"] = SecuritySetup.ApiStartPolicy,
        ["SignalInstance"] = SecuritySetup.ApiRunPolicy,
        ["RetryInstance"] = SecuritySetup.ApiRunPolicy,
        ["ResolveIncident"] = SecuritySetup.ApiRunPolicy,
        ["RegisterAnswer"] = SecuritySetup.ApiRunPolicy,
        ["ChangePartyDeadline"] = SecuritySetup.ApiRunPolicy,
        ["RemindParty"] = SecuritySetup.ApiRunPolicy,
        ["ResendInvitation"] = SecuritySetup.ApiRunPolicy,
        ["RemindAll"] = SecuritySetup.ApiRunPolicy,
        ["ChangeHearingDeadline"] = SecuritySetup.ApiRunPolicy,
        ["CloseHearing"] = SecuritySetup.ApiRunPolicy,
        ["GrantExtension"] = SecuritySetup.ApiRunPolicy,
        ["RefuseExtension"] = SecuritySetup.ApiRunPolicy,
        ["AssignUnmatchedMail"] = SecuritySetup.ApiRunPolicy,
        ["DismissUnmatchedMail"] = SecuritySetup.ApiRunPolicy,
        ["PollInbox"] = SecuritySetup.ApiRunPolicy,
        ["MarkHeldAnswerHandled"] = SecuritySetup.ApiRunPolicy,
        ["RecordDecision"] = SecuritySetup.ApiRunPolicy,
        ["CompleteTask"] = SecuritySetup.ApiRunPolicy,
        ["AdvanceClock"] = SecuritySetup.ApiAdminPolicy,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The routes open to anyone by design, besides the answer links (which need their token): liveness and readiness
    /// for load balancers and orchestrators, which carry no key. Readiness names each part and whether it is up, never why.
    /// </summary>
    public static readonly FrozenSet<string> Anonymous = FrozenSet.Create(StringComparer.Ordinal, "/health", Operations.OperationsSetup.ReadinessRoute);

    /// <summary>POST routes that compute an answer and change nothing: not in the audit trail.</summary>
    private static readonly FrozenSet<string> Computing = FrozenSet.Create(StringComparer.Ordinal, "ValidateDefinition", "RehearseDefinition");

    /// <summary>Applies the table to every endpoint of the <c>/api</c> group.</summary>
    public static void ApplyToApi(RouteGroupBuilder api) => ((IEndpointConventionBuilder)api).Finally(endpoint =>
    {
        if (IsReading(endpoint))
        {
            return;
        }
        var name = NameOf(endpoint);
        endpoint.Metadata.Add(new AuthorizeAttribute(Api.GetValueOrDefault(name, SecuritySetup.ApiAdminPolicy)));
        if (!Computing.Contains(name))
        {
            endpoint.Metadata.Add(new AuditedMetadata(name));
        }
    });

    /// <summary>The staff pages' buttons run hearings: Administrator or Sekretariat; reading pages take any role.</summary>
    public static void ApplyToStaffPages(RouteGroupBuilder pages) => ((IEndpointConventionBuilder)pages).Finally(endpoint =>
    {
        if (IsReading(endpoint))
        {
            return;
        }
        endpoint.Metadata.Add(new AuthorizeAttribute(SecuritySetup.StaffRunPolicy));
        endpoint.Metadata.Add(new AuditedMetadata(NameOf(endpoint)));
    });

    private static bool IsReading(EndpointBuilder endpoint)
    {
        var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
        return methods.Count > 0 && methods.All(m => m is "GET" or "HEAD");
    }

    private static string NameOf(EndpointBuilder endpoint) =>
        endpoint.Metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName ?? endpoint.DisplayName ?? "Unknown";
}
