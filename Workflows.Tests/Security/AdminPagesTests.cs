using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Security;
using Workflows.Tests.Staff;
using Workflows.Tests.Support;

namespace Workflows.Tests.Security;

/// <summary>The administration pages as components: what an administrator typed comes out encoded on every one of them.</summary>
public abstract class AdminPagesTests : IDisposable
{
    private readonly ProcesFlowApiFactory factory;

    protected AdminPagesTests(TestDatabase database)
    {
        factory = new(database);
        StaffSession.Configure(factory);
    }

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task NamesTeamsAndKeyNames_AreEncoded_OnUsersKeysAndAuditPages()
    {
        const string Name = "<script>alert('navn')</script> \"Jens\"";
        const string Team = "<b>'team'</b> & \"co\"";
        const string KeyName = "<script>alert('nøgle')</script> \"ESDH\"";
        var admin = await StaffSession.SignedInAsync(factory);
        var users = await admin.GetStringAsync("/admin");
        var created = await admin.PostAsync("/admin/brugere", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", StaffSession.Token(users)), new("email", "ny@kkr.example"), new("name", Name),
            new("role", StaffRoles.Reader), new("team", Team), new("password", "Et-Langt-Kodeord-1"),
        ]));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        await factory.Services.GetRequiredService<ApiKeyStore>().CreateAsync(KeyName, StaffRoles.Reader, Team, null, "test", CancellationToken.None);

        foreach (var path in new[] { "/admin", "/admin/noegler", "/admin/revision" })
        {
            var page = await admin.GetStringAsync(path);
            foreach (var raw in new[] { "<script>alert", "<b>'team'", "\"Jens\"", "\"co\"", "\"ESDH\"" })
            {
                Assert.DoesNotContain(raw, page, StringComparison.Ordinal);
            }
            Assert.Contains(path == "/admin/noegler" ? "&lt;script&gt;alert(&#x27;nøgle&#x27;)" : "&lt;b&gt;&#x27;team&#x27;&lt;/b&gt; &amp; &quot;co&quot;", page, StringComparison.Ordinal);
        }
        var usersPage = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin"));
        Assert.Contains($"<td>{Name}</td>", usersPage, StringComparison.Ordinal);
        Assert.Contains($"name=\"team\" value=\"{Team}\"", usersPage, StringComparison.Ordinal);
        Assert.Contains($"<td>{KeyName}</td>", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/noegler")), StringComparison.Ordinal);
        Assert.Contains($"<td>Læser, team {Team}</td>", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/revision")), StringComparison.Ordinal);
    }
}

[Trait("Database", "Sqlite")]
public sealed class AdminPagesTestsOnSqlite() : AdminPagesTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class AdminPagesTestsOnPostgreSql() : AdminPagesTests(TestDatabase.PostgreSql);
