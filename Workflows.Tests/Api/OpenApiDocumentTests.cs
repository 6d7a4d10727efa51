using System.Net;
using System.Text.Json.Nodes;
using Workflows.Tests.Support;

namespace Workflows.Tests.Api;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>: named ProcesFlow, and telling a client to send its key in <c>X-Api-Key</c>.</summary>
public sealed class OpenApiDocumentTests(SqliteApiFactory factory) : IClassFixture<SqliteApiFactory>
{
    [Fact]
    public async Task TheDocument_IsTitledProcesFlow_AndDeclaresAndAppliesTheApiKeyScheme()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
        var document = JsonNode.Parse(await factory.CreateApiClient().GetStringAsync("/openapi/v1.json"))!;

        Assert.Equal("ProcesFlow", document["info"]!["title"]!.GetValue<string>());
        Assert.Equal("1.0", document["info"]!["version"]!.GetValue<string>());
        Assert.Contains("X-Api-Key", document["info"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);

        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (scheme["type"]!.GetValue<string>(), scheme["in"]!.GetValue<string>(), scheme["name"]!.GetValue<string>()));

        // Required by the API's operations, and not by /health, which is open.
        var start = document["paths"]!["/api/instances"]!["post"]!;
        Assert.Equal(["ApiKey"], start["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(p => p.Key)));
        Assert.Null(document["paths"]!["/health"]!["get"]!["security"]);
        var operations = document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!))).ToList();
        Assert.True(operations.Count > 50, $"Only {operations.Count} API operations in the document.");
        Assert.All(operations, o => Assert.True(o.Operation["security"] is JsonArray { Count: 1 }, $"{o.Method} {o.Path} declares no security."));
    }
}
