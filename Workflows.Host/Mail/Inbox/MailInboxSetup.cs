using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Workflows.Host.Mail.Inbox;

public static class MailInboxSetup
{
    /// <summary>
    /// The answer inbox: <see cref="InboxReader"/>, <see cref="InboxProcessor"/> and the Hangfire job
    /// <see cref="InboxJobs"/>. Its options are <c>ProcesFlow:Mail:Imap</c> (bound with the rest of
    /// <see cref="MailOptions"/> by <c>AddMail</c>), checked at start-up. Scheduling the job is the scheduler's business.
    /// </summary>
    public static IHostApplicationBuilder AddAnswerInbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>()
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                if (!string.IsNullOrWhiteSpace(options.Imap.ProtocolLog))
                {
                    options.Imap.ProtocolLog = Path.GetFullPath(options.Imap.ProtocolLog, environment.ContentRootPath);
                }
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailOptions>, ImapOptionsValidator>());
        builder.Services.TryAddSingleton<InboxProcessor>();
        builder.Services.TryAddSingleton<InboxReader>();
        builder.Services.TryAddSingleton<KeptMailCommands>();
        builder.Services.TryAddTransient<InboxJobs>();
        return builder;
    }
}

/// <summary>Every problem with <c>ProcesFlow:Mail:Imap</c> at once, named by its configuration key.</summary>
internal sealed class ImapOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var imap = options.Imap;
        var errors = new List<string>();
        if (imap.IsConfigured)
        {
            if (imap.Port is < 1 or > 65535)
            {
                errors.Add("ProcesFlow:Mail:Imap:Port must be between 1 and 65535.");
            }
            if (!string.IsNullOrEmpty(imap.Password) && string.IsNullOrEmpty(imap.User))
            {
                errors.Add("ProcesFlow:Mail:Imap:Password is set but ProcesFlow:Mail:Imap:User is not.");
            }
            if (string.IsNullOrWhiteSpace(imap.Folder))
            {
                errors.Add("ProcesFlow:Mail:Imap:Folder must name a folder (e.g. INBOX).");
            }
            if (imap.Timeout <= TimeSpan.Zero)
            {
                errors.Add("ProcesFlow:Mail:Imap:Timeout must be positive.");
            }
            if (imap.BatchSize is < 1 or > 10_000)
            {
                errors.Add("ProcesFlow:Mail:Imap:BatchSize must be between 1 and 10000.");
            }
            if (string.IsNullOrWhiteSpace(imap.HandledKeyword) || imap.HandledKeyword.Any(c => c <= ' ' || c is '(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']' or '\x7f'))
            {
                errors.Add("ProcesFlow:Mail:Imap:HandledKeyword must be an IMAP keyword (letters, digits, $ and the like; no spaces).");
            }
            if (imap.PollSchedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is not (5 or 6))
            {
                errors.Add($"ProcesFlow:Mail:Imap:PollSchedule must be a cron expression of 5 or 6 fields (e.g. \"*/5 * * * *\"): '{imap.PollSchedule}'.");
            }
        }
        if (!string.IsNullOrWhiteSpace(imap.Address)
            && !(MailboxAddress.TryParse(imap.Address, out var address) && address.Address.IndexOf('@', StringComparison.Ordinal) > 0))
        {
            errors.Add($"ProcesFlow:Mail:Imap:Address is not an e-mail address: '{imap.Address}'.");
        }
        if (!string.IsNullOrEmpty(imap.TagKey) && imap.TagKey.Length < 32)
        {
            errors.Add("ProcesFlow:Mail:Imap:TagKey must be at least 32 characters (e.g. 32 random bytes in base64).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
