using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Workflows.Host.Answers;
using Workflows.Host.Persistence;
using Workflows.Host.Security;

namespace Workflows.Benchmarks.Support;

/// <summary>
/// Signs answer links exactly as the host's mail composer does (the host's own <see cref="AnswerLinks"/> on the key ring
/// in the host's database), so the benchmark can answer any party task without reading thousands of mails.
/// </summary>
public sealed class AnswerLinkMaker : IDisposable
{
    private readonly IHost services;
    private readonly AnswerLinks links;

    private AnswerLinkMaker(IHost services)
    {
        this.services = services;
        links = services.Services.GetRequiredService<AnswerLinks>();
    }

    /// <summary>Call after the host has made its first link or form token, so its key ring exists in the database.</summary>
    /// <param name="databaseSettings">The host's database configuration (<see cref="Deployment.DatabaseSettings"/>).</param>
    public static AnswerLinkMaker Open(IReadOnlyDictionary<string, string> databaseSettings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        foreach (var (key, value) in databaseSettings)
        {
            builder.Configuration[key] = value;
        }
        builder.AddPersistence();
        builder.AddDataProtectionInDatabase();
        builder.Services.AddSingleton(WallClock.Clock);
        builder.Services.AddSingleton(services => new AnswerLinks(services.GetRequiredService<IDataProtectionProvider>(), services.GetRequiredService<IClock>()));
        return new AnswerLinkMaker(builder.Build());
    }

    public string PathFor(Guid partyTaskId) => $"/svar/{links.Create(partyTaskId)}";

    public void Dispose() => services.Dispose();
}
