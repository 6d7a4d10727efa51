using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Staff;

/// <summary>A browser-like HTTP client of the real host (cookies kept, no automatic redirects) and signing in through the form.</summary>
internal static partial class StaffSession
{
    public const string Email = "sekretariat@kkr-midtjylland.example";

    public const string Password = "Korrekt-Hest-Batteri-42";

    public static void Configure(ProcesFlowApiFactory factory)
    {
        factory.Settings["ProcesFlow:Admin:Email"] = Email;
        factory.Settings["ProcesFlow:Admin:Password"] = Password;
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    public static HttpClient Anonymous(ProcesFlowApiFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public static async Task<HttpClient> SignedInAsync(ProcesFlowApiFactory factory)
    {
        var browser = Anonymous(factory);
        var page = await browser.GetStringAsync("/login");
        var response = await browser.PostAsync("/login", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", Token(page)), new("email", Email), new("password", Password), new("returnUrl", "/"),
        ]));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    /// <summary>The anti-forgery token of the first form on a page.</summary>
    public static string Token(string page) => AntiforgeryToken().Match(page).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
