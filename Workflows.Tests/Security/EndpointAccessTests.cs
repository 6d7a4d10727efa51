using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Security;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>
/// Every endpoint the host maps, read from its endpoint data sources (not a list written here): each refuses an
/// anonymous request and a wrong API key, except <c>/health</c> and <c>/health/ready</c>, <c>/login</c> and the token-protected <c>/svar</c>
/// routes; and a Læser (signed in, or with a Læser key) gets 403 on every route that changes state.
/// </summary>
public abstract class EndpointAccessTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected EndpointAccessTests(TestDatabase database)
    {
        factory = new(database);
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    public void Dispose() => factory.Dispose();

    /// <summary>Each endpoint as (method, concrete path), with made-up values for its route parameters.</summary>
    private List<(string Method, string Path, string Pattern)> Endpoints()
    {
        factory.CreateClient().Dispose();
        var source = factory.Services.GetRequiredService<EndpointDataSource>();
        var endpoints = new List<(string, string, string)>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } listed ? listed : ["GET", "POST"];
            var path = PathOf(endpoint.RoutePattern);
            foreach (var method in methods.Where(m => m != "HEAD" && m != "OPTIONS"))
            {
                endpoints.Add((method, path, endpoint.RoutePattern.RawText ?? path));
            }
        }
        return endpoints;
    }

    private static string PathOf(RoutePattern pattern)
    {
        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            var text = new StringBuilder();
            foreach (var part in segment.Parts)
            {
                text.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => SampleOf(parameter),
                    _ => "",
                });
            }
            if (text.Length > 0)
            {
                path.Append('/').Append(text);
            }
        }
        return path.Length == 0 ? "/" : path.ToString();
    }

    private static string SampleOf(RoutePatternParameterPart parameter)
    {
        var constraints = parameter.ParameterPolicies.Select(p => p.Content).ToList();
        return constraints.Contains("guid") ? Guid.NewGuid().ToString()
            : constraints.Contains("int") ? "1"
            : parameter.IsOptional ? ""
            : "x";
    }

    private static bool IsOpenByDesign(string path) =>
        RoutePermissions.Anonymous.Contains(path) || path == "/login" || path.StartsWith("/svar/", StringComparison.Ordinal)
        // The design system's stylesheet, fonts and icons: the sign-in and answer pages need them before anyone signs in.
        || path == "/favicon.ico" || path.StartsWith("/design/", StringComparison.Ordinal);

    private static void AssertRefused(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.OriginalString ?? "";
        var toSignIn = status is 302 or 303 && (location.StartsWith("/login", StringComparison.Ordinal) || location.Contains("://localhost/login", StringComparison.Ordinal));
        Assert.True(status == 401 || toSignIn, $"{what}: {status} {location}");
    }

    [Fact]
    public async Task EveryEndpoint_RefusesAnonymousAndWrongKey_ExceptHealthReadinessLoginAndAnswerLinks()
    {
        var endpoints = Endpoints();
        // The host maps far more than a handful of routes; an empty or tiny enumeration would prove nothing.
        Assert.True(endpoints.Count > 80, $"Only {endpoints.Count} endpoints enumerated.");
        Assert.Contains(endpoints, e => e.Path == "/hangfire/x");
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/openapi/", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/scalar", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/admin", StringComparison.Ordinal));

        var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        var wrongKey = factory.CreateClient(new() { AllowAutoRedirect = false });
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-" + ProcesFlowApiFactory.ApiKey);
        var open = new List<string>();
        foreach (var (method, path, _) in endpoints)
        {
            if (IsOpenByDesign(path))
            {
                open.Add(path);
                continue;
            }
            AssertRefused(await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), $"anonymous {method} {path}");
            AssertRefused(await wrongKey.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), $"wrong key {method} {path}");
        }
        // Exactly the routes that are open by design were skipped.
        Assert.Equal("/design/x /favicon.ico /health /health/ready /health/ready /login /login /svar/x /svar/x /svar/x/fristforlaengelse /svar/x/kvittering/*",
            string.Join(' ', open.Select(p => System.Text.RegularExpressions.Regex.Replace(p, "[0-9a-f]{8}-[0-9a-f-]{27}", "*")).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task EveryStateChangingEndpoint_RefusesAReader_With403()
    {
        var changing = Endpoints().Where(e => e.Method != "GET" && !IsOpenByDesign(e.Path) && e.Path != "/logout").ToList();
        Assert.True(changing.Count > 30, $"Only {changing.Count} state-changing endpoints enumerated.");
        var (readerKey, _) = await SecuritySupport.KeyClientAsync(factory, StaffRoles.Reader);
        var reader = await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader);
        foreach (var (method, path, _) in changing)
        {
            var signedIn = await reader.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(signedIn.StatusCode == HttpStatusCode.Forbidden, $"signed-in Læser {method} {path}: {(int)signedIn.StatusCode}");
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                var keyed = await readerKey.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                Assert.True(keyed.StatusCode == HttpStatusCode.Forbidden, $"Læser key {method} {path}: {(int)keyed.StatusCode}");
            }
        }
    }
}

[Trait("Database", "Sqlite")]
public sealed class EndpointAccessTestsOnSqlite() : EndpointAccessTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class EndpointAccessTestsOnPostgreSql() : EndpointAccessTests(TestDatabase.PostgreSql);
