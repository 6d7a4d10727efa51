using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Workflows.Host.Mail;

namespace Workflows.Tests.Mail;

public sealed class MailSetupTests
{
    [Fact]
    public void AddMail_FreshConfiguration_WritesToPickupDirectoryUnderContentRoot()
    {
        var root = Directory.CreateTempSubdirectory("procesflow-root-").FullName;
        try
        {
            var options = Options(root, []);

            Assert.False(options.UsesSmtp);
            Assert.Equal(Path.Combine(root, "data", "mail-outbox"), options.PickupDirectory);
            Assert.Equal("procesflow@procesflow.local", options.Smtp.From);
            Assert.Equal("ProcesFlow", options.FromName);
            Assert.Equal(
                [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6)],
                options.GetRetryDelays());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void AddMail_SmtpHostSet_BindsTheFixedKeysAndReplacesTheRetryDelays()
    {
        var root = Directory.CreateTempSubdirectory("procesflow-root-").FullName;
        try
        {
            var options = Options(root, new()
            {
                ["ProcesFlow:Mail:Smtp:Host"] = "smtp.kkr.example.dk",
                ["ProcesFlow:Mail:Smtp:Port"] = "2525",
                ["ProcesFlow:Mail:Smtp:User"] = "hoering",
                ["ProcesFlow:Mail:Smtp:Password"] = "hemmeligt",
                ["ProcesFlow:Mail:Smtp:From"] = "KKR Midtjylland <hoering@kkr.example.dk>",
                ["ProcesFlow:Mail:RetryDelays:0"] = "00:01:00",
                ["ProcesFlow:Mail:RetryDelays:1"] = "00:05:00",
                ["ProcesFlow:Mail:BatchSize"] = "20",
            });

            Assert.True(options.UsesSmtp);
            Assert.Equal(("smtp.kkr.example.dk", 2525, "hoering", "hemmeligt"), (options.Smtp.Host, options.Smtp.Port, options.Smtp.User, options.Smtp.Password));
            Assert.Equal("KKR Midtjylland <hoering@kkr.example.dk>", options.Smtp.From);
            Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)], options.GetRetryDelays());
            Assert.Equal(20, options.BatchSize);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task AddMail_InvalidSettings_FailsAtStartWithEveryProblem()
    {
        var root = Directory.CreateTempSubdirectory("procesflow-root-").FullName;
        try
        {
            using var host = Build(root, new()
            {
                ["ProcesFlow:Mail:Smtp:Host"] = "smtp.kkr.example.dk",
                ["ProcesFlow:Mail:Smtp:Port"] = "0",
                ["ProcesFlow:Mail:Smtp:From"] = "ikke en adresse",
                ["ProcesFlow:Mail:RetryDelays:0"] = "-00:00:10",
                ["ProcesFlow:Mail:TemplatesFolder"] = "findes-ikke",
            });

            var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

            Assert.Contains("ProcesFlow:Mail:Smtp:Port must be between 1 and 65535.", exception.Failures);
            Assert.Contains("ProcesFlow:Mail:Smtp:From is not an e-mail address: 'ikke en adresse'.", exception.Failures);
            Assert.Contains("ProcesFlow:Mail:RetryDelays must all be positive (e.g. \"00:00:10\").", exception.Failures);
            Assert.Contains($"ProcesFlow:Mail:TemplatesFolder does not exist: '{Path.Combine(root, "findes-ikke")}'.", exception.Failures);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static MailOptions Options(string root, Dictionary<string, string?> settings)
    {
        using var host = Build(root, settings);
        return host.Services.GetRequiredService<IOptions<MailOptions>>().Value;
    }

    private static IHost Build(string root, Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = root,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMail();
        return builder.Build();
    }
}
