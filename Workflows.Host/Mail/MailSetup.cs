using Microsoft.Extensions.Options;
using MimeKit;

namespace Workflows.Host.Mail;

public static class MailSetup
{
    /// <summary>
    /// Mail options (validated at start-up) and the <see cref="OutboxDispatcher"/>. Scheduling the dispatcher
    /// (a Hangfire job) is the scheduler's business.
    /// </summary>
    public static IHostApplicationBuilder AddMail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName)
            .PostConfigure<IHostEnvironment>((options, environment) => options.ResolvePaths(environment.ContentRootPath))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        return builder;
    }

    /// <summary>Makes the pickup folder, template folder and protocol log absolute, relative to <paramref name="contentRoot"/>.</summary>
    internal static void ResolvePaths(this MailOptions options, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            options.PickupDirectory = Path.GetFullPath(options.PickupDirectory, contentRoot);
        }
        if (!string.IsNullOrWhiteSpace(options.TemplatesFolder))
        {
            options.TemplatesFolder = Path.GetFullPath(options.TemplatesFolder, contentRoot);
        }
        if (!string.IsNullOrWhiteSpace(options.Smtp.ProtocolLog))
        {
            options.Smtp.ProtocolLog = Path.GetFullPath(options.Smtp.ProtocolLog, contentRoot);
        }
    }
}

/// <summary>Every problem with <c>ProcesFlow:Mail</c> at once, named by its configuration key.</summary>
internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var errors = new List<string>();
        if (!options.UsesSmtp && string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            errors.Add("ProcesFlow:Mail:PickupDirectory is required when ProcesFlow:Mail:Smtp:Host is not set.");
        }
        if (options.Smtp.Port is < 1 or > 65535)
        {
            errors.Add("ProcesFlow:Mail:Smtp:Port must be between 1 and 65535.");
        }
        if (!MailboxAddress.TryParse(options.Smtp.From, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            errors.Add($"ProcesFlow:Mail:Smtp:From is not an e-mail address: '{options.Smtp.From}'.");
        }
        if (!string.IsNullOrEmpty(options.Smtp.Password) && string.IsNullOrEmpty(options.Smtp.User))
        {
            errors.Add("ProcesFlow:Mail:Smtp:Password is set but ProcesFlow:Mail:Smtp:User is not.");
        }
        if (options.Smtp.Timeout <= TimeSpan.Zero)
        {
            errors.Add("ProcesFlow:Mail:Smtp:Timeout must be positive.");
        }
        if (options.GetRetryDelays().Any(d => d <= TimeSpan.Zero))
        {
            errors.Add("ProcesFlow:Mail:RetryDelays must all be positive (e.g. \"00:00:10\").");
        }
        if (options.BatchSize is < 1 or > 10_000)
        {
            errors.Add("ProcesFlow:Mail:BatchSize must be between 1 and 10000.");
        }
        if (options.ClaimDuration <= TimeSpan.Zero)
        {
            errors.Add("ProcesFlow:Mail:ClaimDuration must be positive.");
        }
        if (!string.IsNullOrWhiteSpace(options.TemplatesFolder) && !Directory.Exists(options.TemplatesFolder))
        {
            errors.Add($"ProcesFlow:Mail:TemplatesFolder does not exist: '{options.TemplatesFolder}'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
