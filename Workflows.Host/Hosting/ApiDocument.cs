using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Workflows.Host.Security;

namespace Workflows.Host.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: named ProcesFlow, and declaring the <c>X-Api-Key</c> header as its
/// security scheme, required by every operation but the anonymous ones (<c>/health</c>), so a generated client sends it.
/// </summary>
public static class ApiDocument
{
    public const string Title = "ProcesFlow";

    public const string Version = "1.0";

    public const string Description =
        "Hearing (høring) and approval processes for Danish municipalities: workflow definitions, running hearings and " +
        "their parties' answers, the answer inbox, reports, the Danish working-day calendar and the party directory. " +
        "Every route but /health requires an API key in the X-Api-Key header (or a signed-in member of staff); what a key " +
        "may change depends on its role. Dates and times are ISO 8601; deadlines are shown in Danish local time.";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = Title, Version = Version, Description = Description };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key: from the configuration (ProcesFlow:ApiKeys, administrator) or created by an administrator on /admin/noegler with a role.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                return Task.CompletedTask;
            }
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
            });
            return Task.CompletedTask;
        });
    }
}
