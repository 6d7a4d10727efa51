using System.Net;
using System.Text.RegularExpressions;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Designer;

/// <summary>The <c>/designer</c> shell and its assets over HTTP: for signed-in staff only, deep links served the same shell.</summary>
public abstract partial class DesignerPagesTests
{
    private readonly ProcesFlowApiFactory factory;

    protected DesignerPagesTests(ProcesFlowApiFactory factory)
    {
        this.factory = factory;
        StaffSession.Configure(factory);
    }

    [Theory]
    [InlineData("/designer")]
    [InlineData("/designer/definitions/standard-hearing")]
    [InlineData("/designer/assets/designer.js")]
    public async Task Anonymous_IsSentToTheSignInPage(string path)
    {
        var response = await StaffSession.Anonymous(factory).GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/designer")]
    [InlineData("/designer/ny")]
    [InlineData("/designer/definitions/standard-hearing/print")]
    [InlineData("/designer/instances/6b1f8c43-2a57-4a3e-9a0e-0d3f4e5a6b7c")]
    public async Task SignedIn_EveryDesignerAddress_GetsTheShellInDanish(string path)
    {
        var browser = await StaffSession.SignedInAsync(factory);
        var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"da\">", html, StringComparison.Ordinal);
        Assert.Matches(ScriptTag(), html);
    }

    [Fact]
    public async Task Assets_AreTheBuiltFrontEnd_CachedForGood_UnknownOnes404()
    {
        var browser = await StaffSession.SignedInAsync(factory);
        var shell = await browser.GetStringAsync("/designer");
        var script = await browser.GetAsync(ScriptTag().Match(shell).Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", script.Headers.CacheControl!.ToString());
        // The React Flow canvas and elkjs are in the bundle.
        var code = await script.Content.ReadAsStringAsync();
        Assert.Contains("react-flow", code, StringComparison.Ordinal);
        Assert.Contains("elk.algorithm", code, StringComparison.Ordinal);
        var style = await browser.GetAsync("/designer/assets/designer.css");
        Assert.Equal("text/css", style.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/designer/assets/nothing.js")).StatusCode);
    }

    [GeneratedRegex("<script type=\"module\" src=\"(/designer/assets/designer\\.js\\?v=[0-9a-f]{16})\"></script>")]
    private static partial Regex ScriptTag();
}

[Trait("Database", "Sqlite")]
public sealed class DesignerPagesTestsOnSqlite(SqliteApiFactory factory) : DesignerPagesTests(factory), IClassFixture<SqliteApiFactory>;

[Trait("Database", "PostgreSql")]
public sealed class DesignerPagesTestsOnPostgreSql(PostgreSqlApiFactory factory) : DesignerPagesTests(factory), IClassFixture<PostgreSqlApiFactory>;
