using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Runtime;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;

namespace Workflows.Host.Answers;

/// <summary><c>ProcesFlow:Answers</c>: where attachments are kept and how large an answer may be.</summary>
public sealed class AnswersOptions
{
    public const string SectionName = "ProcesFlow:Answers";

    /// <summary>Outside the web root; relative paths are under the content root.</summary>
    public string AttachmentsFolder { get; set; } = "data/attachments";

    public long MaxFileBytes { get; set; } = 25 * 1024 * 1024;

    public int MaxFiles { get; set; } = 10;

    public int MaxTextLength { get; set; } = 100_000;
}

/// <summary>One uploaded or attached file, as the sender named it.</summary>
public sealed record AnswerFile(string FileName, Stream Content);

/// <summary>A høringssvar as it arrives, from any channel.</summary>
public sealed record AnswerSubmission(
    string? Text,
    bool NoComments,
    IReadOnlyList<AnswerFile> Files,
    string Channel,
    string? SubmittedBy = null,
    string? MessageId = null,
    string? ReplyTo = null,
    string? Decision = null);

public abstract record AnswerOutcome
{
    private AnswerOutcome()
    {
    }

    public sealed record Accepted(Guid AnswerId, Instant ReceivedAt, bool Late, bool Replaced, IReadOnlyList<string> FileNames, string? Decision = null) : AnswerOutcome;

    /// <summary>The same e-mail (by Message-ID) was stored before; nothing new is stored.</summary>
    public sealed record Duplicate(Guid AnswerId) : AnswerOutcome;

    /// <summary>Refused, with a Danish reason for the sender and the HTTP status that fits.</summary>
    public sealed record Refused(string Reason, int StatusCode, string? Field = null) : AnswerOutcome;
}

/// <summary>
/// Takes a høringssvar from the answer page, an e-mail or staff, and hands it to the hearing: files are checked
/// by content and size and stored outside the web root, the answer is stored, and then the hearing is told.
/// If the hearing no longer takes answers (closed, or late under a "reject" policy), everything stored is
/// removed again and the sender gets a clear reason.
/// </summary>
public sealed class AnswerService(
    IDbContextFactory<ProcesFlowDbContext> contexts,
    WorkflowRuntime runtime,
    IClock clock,
    IOptions<AnswersOptions> options,
    IHostEnvironment environment)
{
    public string AttachmentsFolder => Path.IsPathRooted(options.Value.AttachmentsFolder)
        ? options.Value.AttachmentsFolder
        : Path.Combine(environment.ContentRootPath, options.Value.AttachmentsFolder);

    /// <summary>The party task a personal link belongs to, and whether the link still works.</summary>
    public async Task<(PartyTaskRow? Task, bool Expired)> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is < 20 or > 100)
        {
            return (null, false);
        }
        var hash = Hearing.HashToken(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.PartyTasks.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        // The database found the row by an index on the hash; compare again in constant time all the same.
        if (task is null || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(task.TokenHash), Convert.FromHexString(hash)))
        {
            return (null, false);
        }
        return (task, task.TokenExpiresAt <= clock.GetCurrentInstant());
    }

    public async Task<AnswerOutcome> SubmitAsync(Guid partyTaskId, AnswerSubmission submission, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var text = submission.Text?.Trim();
        if (text is { Length: 0 })
        {
            text = null;
        }
        if (text is not null && text.Length > limits.MaxTextLength)
        {
            return new AnswerOutcome.Refused($"Teksten er for lang (højst {limits.MaxTextLength:N0} tegn). Vedhæft den i stedet som en fil.", StatusCodes.Status413PayloadTooLarge, "text");
        }
        if (submission.Files.Count > limits.MaxFiles)
        {
            return new AnswerOutcome.Refused($"Der kan højst vedhæftes {limits.MaxFiles} filer.", StatusCodes.Status413PayloadTooLarge, "attachments");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (submission.MessageId is { } messageId
            && await db.Answers.AsNoTracking().FirstOrDefaultAsync(a => a.MessageId == messageId, cancellationToken) is { } earlier)
        {
            return new AnswerOutcome.Duplicate(earlier.Id);
        }
        var task = await db.PartyTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == partyTaskId, cancellationToken);
        if (task is null)
        {
            return new AnswerOutcome.Refused("Høringen findes ikke.", StatusCodes.Status404NotFound);
        }
        var hearing = await HearingOfAsync(db, task, cancellationToken);
        var ask = Ask(hearing);
        if (ask == "answer" && text is null && submission.Files.Count == 0 && !submission.NoComments)
        {
            return new AnswerOutcome.Refused("Svaret er tomt. Skriv et svar, vedhæft en fil, eller vælg \"Ingen bemærkninger\".", StatusCodes.Status400BadRequest, "text");
        }
        if (ask != "answer" && submission.Decision is not ("approved" or "rejected"))
        {
            return new AnswerOutcome.Refused(ask == "accession"
                ? "Vælg, om I tiltræder aftalen eller ej."
                : "Vælg, om I godkender eller ej.", StatusCodes.Status400BadRequest, "decision");
        }
        var decision = ask == "answer" ? null : submission.Decision;
        var now = clock.GetCurrentInstant();
        var late = now > task.Deadline;
        if (late && (hearing["latePolicy"]?.GetValue<string>() ?? "reject") == "reject")
        {
            return new AnswerOutcome.Refused("Fristen er overskredet, og høringen modtager ikke svar efter fristen. Kontakt afsenderen.", StatusCodes.Status409Conflict);
        }
        if (late && task.AnsweredAt is not null)
        {
            return new AnswerOutcome.Refused("Fristen er overskredet, så svaret kan ikke længere erstattes.", StatusCodes.Status409Conflict);
        }

        var answerId = Guid.CreateVersion7();
        var stored = new List<(AttachmentRow Row, string FullPath)>();
        try
        {
            foreach (var file in submission.Files)
            {
                var (row, path, refusal) = await StoreFileAsync(answerId, file, cancellationToken);
                if (refusal is not null)
                {
                    return refusal;
                }
                stored.Add((row!, path!));
            }

            var replaces = await db.Answers.AnyAsync(a => a.PartyTaskId == task.Id, cancellationToken);
            db.Answers.Add(new AnswerRow
            {
                Id = answerId,
                PartyTaskId = task.Id,
                InstanceId = task.InstanceId,
                ReceivedAt = now,
                Channel = submission.Channel,
                Text = text,
                NoComments = submission.NoComments && text is null && submission.Files.Count == 0,
                Decision = decision,
                Late = late,
                SubmittedBy = submission.SubmittedBy,
                MessageId = submission.MessageId,
            });
            db.Attachments.AddRange(stored.Select(s => s.Row));
            await db.SaveChangesAsync(cancellationToken);
            await SettleReplacementsAsync(db, task.Id, cancellationToken);

            var payload = new JsonObject
            {
                ["partyTaskId"] = task.Id.ToString(),
                ["answerId"] = answerId.ToString(),
                ["noComments"] = submission.NoComments && text is null && submission.Files.Count == 0,
                ["decision"] = decision,
                ["text"] = text is null ? null : text.Length <= 2000 ? text : string.Concat(text.AsSpan(0, 2000), " …"),
                ["attachments"] = new JsonArray(stored.Select(s => (JsonNode)s.Row.FileName).ToArray()),
                ["channel"] = submission.Channel,
                ["replyTo"] = submission.ReplyTo,
            };
            var outcome = await runtime.SignalIfWaitingAsync(task.InstanceId, Hearing.Signal(task.ActivityId, "answer"), payload, submission.SubmittedBy ?? submission.Channel, cancellationToken);
            if (outcome != SignalOutcome.Resumed)
            {
                // The hearing has closed since the page was shown: undo, so no answer is kept that nobody counted.
                await UndoAsync(db, task.Id, answerId, stored, cancellationToken);
                return new AnswerOutcome.Refused("Høringen er afsluttet og modtager ikke flere svar. Kontakt afsenderen.", StatusCodes.Status409Conflict);
            }
            return new AnswerOutcome.Accepted(answerId, now, late, replaces, stored.Select(s => s.Row.FileName).ToList(), decision);
        }
        catch
        {
            foreach (var (_, path) in stored)
            {
                File.Delete(path);
            }
            throw;
        }
    }

    /// <summary>Records a party's request for a longer deadline for the process owner to decide.</summary>
    public async Task<AnswerOutcome> RequestExtensionAsync(Guid partyTaskId, string? reason, JsonObject? deadline, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new AnswerOutcome.Refused("Skriv en begrundelse for anmodningen om fristforlængelse.", StatusCodes.Status400BadRequest, "reason");
        }
        if (reason.Length > 4000)
        {
            return new AnswerOutcome.Refused("Begrundelsen er for lang (højst 4.000 tegn).", StatusCodes.Status400BadRequest, "reason");
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.PartyTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == partyTaskId, cancellationToken);
        if (task is null)
        {
            return new AnswerOutcome.Refused("Høringen findes ikke.", StatusCodes.Status404NotFound);
        }
        var id = Guid.CreateVersion7();
        db.ExtensionRequests.Add(new ExtensionRequestRow
        {
            Id = id,
            PartyTaskId = task.Id,
            InstanceId = task.InstanceId,
            RequestedAt = clock.GetCurrentInstant(),
            Reason = reason.Trim(),
            RequestedDeadline = deadline?.ToJsonString(),
            Status = Api.ExtensionRequestsApi.Pending,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new AnswerOutcome.Accepted(id, clock.GetCurrentInstant(), false, false, []);
    }

    private async Task<(AttachmentRow? Row, string? Path, AnswerOutcome.Refused? Refusal)> StoreFileAsync(Guid answerId, AnswerFile file, CancellationToken cancellationToken)
    {
        var name = SafeFileName(file.FileName);
        var id = Guid.CreateVersion7();
        var relative = Path.Combine(InstantPattern.CreateWithInvariantCulture("uuuu'/'MM").Format(clock.GetCurrentInstant()), $"{id:N}");
        var path = Path.Combine(AttachmentsFolder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        long size = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var target = File.Create(path))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await file.Content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > options.Value.MaxFileBytes)
                {
                    await target.DisposeAsync();
                    File.Delete(path);
                    return (null, null, new AnswerOutcome.Refused(
                        $"Filen \"{name}\" er for stor (højst {options.Value.MaxFileBytes / 1024 / 1024} MB).", StatusCodes.Status413PayloadTooLarge, "attachments"));
                }
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        var type = size == 0 ? null : AttachmentTypes.Detect(path);
        if (type is null)
        {
            File.Delete(path);
            return (null, null, new AnswerOutcome.Refused(
                $"Filen \"{name}\" er ikke en fil, vi kan modtage. Send {AttachmentTypes.Allowed}.", StatusCodes.Status415UnsupportedMediaType, "attachments"));
        }
        var row = new AttachmentRow
        {
            Id = id,
            AnswerId = answerId,
            FileName = name,
            ContentType = type.ContentType,
            Size = size,
            Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
            StoragePath = relative,
        };
        return (row, path, null);
    }

    private static async Task UndoAsync(ProcesFlowDbContext db, Guid partyTaskId, Guid answerId, List<(AttachmentRow Row, string FullPath)> stored, CancellationToken cancellationToken)
    {
        await db.Answers.Where(a => a.Id == answerId).ExecuteDeleteAsync(cancellationToken);
        await SettleReplacementsAsync(db, partyTaskId, cancellationToken);
        foreach (var (_, path) in stored)
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Makes the newest answer of a party the current one and marks every other as replaced by it. Whoever runs
    /// this last sees every answer, so two answers racing always end with exactly one current answer.
    /// </summary>
    private static async Task SettleReplacementsAsync(ProcesFlowDbContext db, Guid partyTaskId, CancellationToken cancellationToken)
    {
        var answers = await db.Answers.Where(a => a.PartyTaskId == partyTaskId).ToListAsync(cancellationToken);
        // Version 7 ids grow with time, so the largest id (with the receipt time first) is the newest answer.
        var newest = answers.OrderBy(a => a.ReceivedAt).ThenBy(a => a.Id.ToString("N"), StringComparer.Ordinal).LastOrDefault();
        foreach (var answer in answers)
        {
            answer.ReplacedBy = answer == newest ? null : newest!.Id;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What a hearing asks its parties for: <c>answer</c> (a høringssvar), <c>approval</c> or <c>accession</c>.</summary>
    public static string Ask(JsonObject hearing) => hearing["ask"]?.GetValue<string>() ?? "answer";

    /// <summary>The state of the hearing a party task belongs to (title, material, late policy, close time …).</summary>
    internal static async Task<JsonObject> HearingOfAsync(ProcesFlowDbContext db, PartyTaskRow task, CancellationToken cancellationToken)
    {
        var state = await db.Instances.AsNoTracking().Where(i => i.Id == task.InstanceId).Select(i => i.State).FirstAsync(cancellationToken);
        return ExecutionStateJson.Deserialize(state).Activities.GetValueOrDefault(task.ActivityId) ?? [];
    }

    /// <summary>The name a person gave the file, without any path, control characters or excessive length.</summary>
    internal static string SafeFileName(string name)
    {
        var plain = Path.GetFileName(name.Replace('\\', '/')).Trim();
        plain = new string(plain.Where(c => !char.IsControl(c) && c is not ('"' or '<' or '>' or '|' or ':' or '*' or '?')).ToArray());
        if (plain.Length == 0)
        {
            plain = "vedhæftet fil";
        }
        return plain.Length <= 200 ? plain : plain[..200];
    }
}
