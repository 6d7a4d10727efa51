using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Security;
using Workflows.Tests.Security;
using Workflows.Tests.Support;

namespace Workflows.Tests.Staff;

/// <summary>
/// What a browser gets when a page cannot be shown (an unknown address, a role that may not, an unexpected error): a
/// Danish page with the status code kept and no stack trace. API clients keep problem details.
/// </summary>
public sealed class ErrorPagesTests : IClassFixture<SqliteApiFactory>
{
    private readonly SqliteApiFactory factory;

    public ErrorPagesTests(SqliteApiFactory factory)
    {
        this.factory = factory;
        StaffSession.Configure(factory);
    }

    [Fact]
    public async Task AnUnknownStaffAddress_InABrowser_IsTheDanish404Page_WithTheMenu()
    {
        var staff = await StaffSession.SignedInAsync(factory);
        var response = await staff.SendAsync(Html(HttpMethod.Get, "/hoeringer/findes-ikke/overhovedet"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"da\">", page, StringComparison.Ordinal);
        Assert.Contains("<h1>Siden findes ikke</h1>", page, StringComparison.Ordinal);
        Assert.Contains("Der er ingen side på denne adresse.", page, StringComparison.Ordinal);
        // Signed in: the staff menu and the way back to the overview.
        Assert.Contains("aria-label=\"Hovedmenu\"", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">Til overblikket</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownAddress_ForAVisitor_IsTheDanish404Page_WithoutTheMenu()
    {
        var response = await StaffSession.Anonymous(factory).SendAsync(Html(HttpMethod.Get, "/ingen-side-her"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Siden findes ikke</h1>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Hovedmenu", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">Til forsiden</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownApiAddress_KeepsProblemDetails_EvenForABrowser()
    {
        var staff = await StaffSession.SignedInAsync(factory);
        var response = await staff.SendAsync(Html(HttpMethod.Get, "/api/findes-ikke"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task ARoleThatMayNot_GetsTheDanishAccessDeniedPage_With403()
    {
        var reader = await SecuritySupport.SignedInAsync(factory, StaffRoles.Reader, team: "fejlsider");
        var response = await reader.SendAsync(Html(HttpMethod.Get, "/admin"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Adgang nægtet</h1>", page, StringComparison.Ordinal);
        Assert.Contains("Din rolle giver ikke adgang til denne side eller handling.", page, StringComparison.Ordinal);
        Assert.Contains("/design/css/dkfds.min.css", page, StringComparison.Ordinal);
        // The reader is told who is signed in, and gets the menu without the administration.
        Assert.Contains(SecuritySupport.EmailOf(StaffRoles.Reader, "fejlsider"), page, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnexpectedError_OnAPage_IsTheDanish500Page_WithoutAStackTrace_AndTheApiKeepsProblemDetails()
    {
        // A kept mail whose stored path leaves the attachments folder (a tampered database): reading it is refused with
        // an exception the pages do not expect.
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync())
        {
            db.UnmatchedMails.Add(new UnmatchedMailRow
            {
                Id = Guid.NewGuid(),
                MessageId = "tampered@example",
                From = "x@example",
                Subject = "x",
                StoragePath = "../../../etc/passwd",
            });
            await db.SaveChangesAsync();
        }
        try
        {
            var staff = await StaffSession.SignedInAsync(factory);
            var response = await staff.SendAsync(Html(HttpMethod.Get, "/indbakke"));

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains("<h1>Der skete en fejl</h1>", page, StringComparison.Ordinal);
            Assert.Contains("Siden kunne ikke vises på grund af en fejl hos os.", page, StringComparison.Ordinal);
            foreach (var leak in new[] { "InvalidOperationException", "outside the attachments folder", "etc/passwd", "KeptMailFiles", " at Workflows." })
            {
                Assert.DoesNotContain(leak, page, StringComparison.Ordinal);
            }

            var api = await factory.CreateApiClient().GetAsync("/api/inbox/unmatched");
            Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
            await db.UnmatchedMails.Where(m => m.MessageId == "tampered@example").ExecuteDeleteAsync();
        }
    }

    /// <summary>A request as a browser sends it: it asks for HTML first.</summary>
    private static HttpRequestMessage Html(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xhtml+xml"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.8));
        return request;
    }
}
