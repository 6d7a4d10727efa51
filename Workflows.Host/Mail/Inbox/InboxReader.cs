using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Host.Hosting;
using Workflows.Host.Persistence;

namespace Workflows.Host.Mail.Inbox;

/// <param name="Configured">False when no IMAP host is configured (nothing was read).</param>
/// <param name="Messages">What became of each mail read in this poll.</param>
/// <param name="Failed">Mails that could not be handled now (they stay unmarked and are tried again next poll).</param>
/// <param name="Remaining">Mails left for the next poll (beyond the batch size).</param>
public sealed record InboxPollResult(bool Configured, IReadOnlyList<InboxOutcome> Messages, int Failed, int Remaining)
{
    public static readonly InboxPollResult NotConfigured = new(false, [], 0, 0);
}

/// <summary>
/// Reads the answer inbox over IMAP (MailKit) and hands each new mail to the <see cref="InboxProcessor"/>.
/// </summary>
/// <remarks>
/// <para>"New" is every mail without the <see cref="ImapOptions.HandledKeyword"/>. The keyword is added only after the
/// database has the answer (or the kept mail); a crash in between means the mail is read again, and its Message-ID is
/// recognised: stored once. Message-IDs from the envelopes are looked up before anything is downloaded, so a mail
/// handled before costs no download.</para>
/// <para>A server that keeps no custom keywords (some Exchange setups) works by that lookup alone, plus the highest
/// UID handled so far in this process (with the folder's UIDVALIDITY); after a restart the first poll looks at every
/// envelope once.</para>
/// <para>Mail is never deleted, moved or marked <c>\Seen</c>: the inbox stays the complete original record (høringssvar
/// are case documents) and stays usable for the people who read it.</para>
/// <para>Concurrency: one reader at a time, on one host by a semaphore and across the nodes of one PostgreSQL database
/// by a <see cref="NodeLock"/> (the minutely job and <c>POST /api/inbox/poll</c> alike): a second node waits, then
/// finds the mail handled. The unique Message-ID columns would still decide a race, but two readers would download and
/// parse the same mails for nothing.</para>
/// </remarks>
public sealed class InboxReader(
    InboxProcessor processor,
    IOptions<MailOptions> options,
    IDbContextFactory<ProcesFlowDbContext> contexts,
    IOptions<DatabaseOptions> database,
    ILogger<InboxReader> logger) : IDisposable
{
    private const int EnvelopeChunk = 500;

    private readonly SemaphoreSlim gate = new(1, 1);
    private bool warnedAboutKeywords;

    // Without keywords only: every UID up to this one has been handled (valid while the folder's UIDVALIDITY is).
    private uint uidValidity;
    private uint handledUpTo;

    public async Task<InboxPollResult> PollAsync(CancellationToken cancellationToken)
    {
        var imap = options.Value.Imap;
        if (!imap.IsConfigured)
        {
            return InboxPollResult.NotConfigured;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var turn = await NodeLock.TakeAsync(contexts, database.Value.Provider, NodeLock.InboxPoll, cancellationToken);
            using var client = string.IsNullOrWhiteSpace(imap.ProtocolLog)
                ? new ImapClient()
                : new ImapClient(new ProtocolLogger(imap.ProtocolLog, append: true) { RedactSecrets = true });
            client.Timeout = (int)imap.Timeout.TotalMilliseconds;
            await client.ConnectAsync(imap.Host!, imap.Port, imap.Security, cancellationToken);
            if (!string.IsNullOrEmpty(imap.User))
            {
                await client.AuthenticateAsync(imap.User, imap.Password ?? "", cancellationToken);
            }
            var folder = string.Equals(imap.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
                ? client.Inbox
                : await client.GetFolderAsync(imap.Folder, cancellationToken);
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            var result = await PollFolderAsync(folder, imap, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private async Task<InboxPollResult> PollFolderAsync(IMailFolder folder, ImapOptions imap, CancellationToken cancellationToken)
    {
        var keywords = folder.PermanentFlags.HasFlag(MessageFlags.UserDefined) || folder.PermanentKeywords.Contains(imap.HandledKeyword);
        if (!keywords && !warnedAboutKeywords)
        {
            warnedAboutKeywords = true;
            logger.LogWarning("Inbox: the IMAP folder {Folder} keeps no custom keywords; handled mails are recognised by their Message-ID instead.", imap.Folder);
        }
        SearchQuery query = keywords ? SearchQuery.NotKeyword(imap.HandledKeyword)
            : uidValidity == folder.UidValidity && handledUpTo > 0 ? SearchQuery.Uids(new UniqueIdRange(new UniqueId(handledUpTo + 1), UniqueId.MaxValue))
            : SearchQuery.All;
        var candidates = (await folder.SearchAsync(query, cancellationToken)).Where(u => keywords || u.Id > LastHandled(folder)).OrderBy(u => u.Id).ToList();

        // Envelopes first: mails whose Message-ID is known need no download, only the keyword.
        var pending = new List<IMessageSummary>();
        var known = new List<(IMessageSummary Summary, InboxOutcome Outcome)>();
        var looked = 0;
        while (looked < candidates.Count && pending.Count < imap.BatchSize)
        {
            var chunk = candidates.Skip(looked).Take(EnvelopeChunk).ToList();
            looked += chunk.Count;
            var summaries = await folder.FetchAsync(chunk, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope), cancellationToken);
            foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
            {
                if (pending.Count < imap.BatchSize && summary.Envelope?.MessageId is { Length: > 0 } id && await processor.KnownAsync(id.Trim('<', '>'), cancellationToken) is { } outcome)
                {
                    known.Add((summary, outcome));
                }
                else if (pending.Count < imap.BatchSize)
                {
                    pending.Add(summary);
                }
            }
        }
        if (keywords && known.Count > 0)
        {
            await folder.StoreAsync(known.Select(k => k.Summary.UniqueId).ToList(), new StoreFlagsRequest(StoreAction.Add, [imap.HandledKeyword]) { Silent = true }, cancellationToken);
        }

        var outcomes = known.Select(k => k.Outcome).ToList();
        var failedUids = new List<uint>();
        foreach (var summary in pending)
        {
            byte[] raw;
            await using (var stream = await folder.GetStreamAsync(summary.UniqueId, cancellationToken))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken);
                raw = buffer.ToArray();
            }
            InboxOutcome outcome;
            try
            {
                outcome = await processor.ProcessAsync(raw, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Left unmarked: the next poll tries again (a database outage must not lose an answer).
                logger.LogError(exception, "Inbox: mail {Uid} ({MessageId}) could not be handled; it is tried again on the next poll.", summary.UniqueId, summary.Envelope?.MessageId);
                failedUids.Add(summary.UniqueId.Id);
                continue;
            }
            if (keywords)
            {
                await folder.StoreAsync(summary.UniqueId, new StoreFlagsRequest(StoreAction.Add, [imap.HandledKeyword]) { Silent = true }, cancellationToken);
            }
            outcomes.Add(outcome);
        }

        var handled = known.Select(k => k.Summary.UniqueId.Id).Concat(pending.Select(p => p.UniqueId.Id)).Where(u => !failedUids.Contains(u)).ToHashSet();
        if (!keywords)
        {
            // Advance over the unbroken run of handled UIDs only: a failed or not yet read mail is looked at again.
            var upTo = LastHandled(folder);
            foreach (var uid in candidates.Select(c => c.Id))
            {
                if (!handled.Contains(uid))
                {
                    break;
                }
                upTo = uid;
            }
            uidValidity = folder.UidValidity;
            handledUpTo = upTo;
        }
        return new InboxPollResult(true, outcomes, failedUids.Count, candidates.Count - handled.Count - failedUids.Count);
    }

    private uint LastHandled(IMailFolder folder) => uidValidity == folder.UidValidity ? handledUpTo : 0;
}
