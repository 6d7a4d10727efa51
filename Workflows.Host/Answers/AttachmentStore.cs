using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Runtime;
using Workflows.Host.Hearings;
using Workflows.Host.Persistence;

namespace Workflows.Host.Answers;

/// <summary>
/// The files of answers, outside the web root. A file is written under a temporary name first (<c>….part</c>) and made
/// final only after its answer is committed, so a crash at any point leaves either a committed answer whose file is
/// made final by <see cref="SweepAsync"/>, or a temporary file that no answer refers to, which the sweep deletes.
/// </summary>
public sealed class AttachmentStore(IDbContextFactory<ProcesFlowDbContext> contexts, IClock clock, IOptions<AnswersOptions> options, IHostEnvironment environment, ILogger<AttachmentStore> logger)
{
    private const string TemporarySuffix = ".part";

    public string Folder => Path.IsPathRooted(options.Value.AttachmentsFolder)
        ? options.Value.AttachmentsFolder
        : Path.Combine(environment.ContentRootPath, options.Value.AttachmentsFolder);

    /// <summary>Writes a file under its temporary name, checking size and content; a refusal leaves nothing behind.</summary>
    public async Task<(StoredAttachment? File, AnswerOutcome.Refused? Refusal)> WriteAsync(AnswerFile file, CancellationToken cancellationToken)
    {
        var name = SafeFileName(file.FileName);
        // Random (122 bits), not time-ordered: an attachment's address must not be guessable from another's.
        var id = Guid.NewGuid();
        var relative = Path.Combine(InstantPattern.CreateWithInvariantCulture("uuuu'/'MM").Format(clock.GetCurrentInstant()), $"{id:N}");
        var path = Path.Combine(Folder, relative) + TemporarySuffix;
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
                    return (null, new AnswerOutcome.Refused(AnswerRefusalKind.TooLarge,
                        $"Filen \"{name}\" er for stor (højst {options.Value.MaxFileBytes / 1024 / 1024} MB).", "attachments"));
                }
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        var type = size == 0 ? null : AttachmentTypes.Detect(path);
        if (type is null)
        {
            File.Delete(path);
            return (null, new AnswerOutcome.Refused(AnswerRefusalKind.UnsupportedFile,
                $"Filen \"{name}\" er ikke en fil, vi kan modtage. Send {AttachmentTypes.Allowed}.", "attachments"));
        }
        return (new StoredAttachment(id, name, type.ContentType, size, Convert.ToHexStringLower(hash.GetHashAndReset()), relative), null);
    }

    /// <summary>Makes the files of a committed answer final.</summary>
    public void MakeFinal(IEnumerable<StoredAttachment> files)
    {
        foreach (var file in files)
        {
            var final = Path.Combine(Folder, file.StoragePath);
            File.Move(final + TemporarySuffix, final, overwrite: true);
        }
    }

    /// <summary>Removes the temporary files of an answer that was not stored.</summary>
    public void Discard(IEnumerable<StoredAttachment> files)
    {
        foreach (var file in files)
        {
            File.Delete(Path.Combine(Folder, file.StoragePath) + TemporarySuffix);
        }
    }

    /// <summary>
    /// At start-up: a temporary file whose answer was committed is made final (the process died between the commit and
    /// the rename); one that no answer refers to is deleted (it died before the commit, so the answer was never taken).
    /// </summary>
    public async Task<(int Finished, int Deleted)> SweepAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Folder))
        {
            return (0, 0);
        }
        var temporary = Directory.EnumerateFiles(Folder, "*" + TemporarySuffix, SearchOption.AllDirectories).ToList();
        if (temporary.Count == 0)
        {
            return (0, 0);
        }
        var relative = temporary.Select(p => Path.GetRelativePath(Folder, p)[..^TemporarySuffix.Length]).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var committed = (await db.Attachments.AsNoTracking().Where(a => relative.Contains(a.StoragePath)).Select(a => a.StoragePath).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        int finished = 0, deleted = 0;
        foreach (var path in relative)
        {
            var full = Path.Combine(Folder, path);
            if (committed.Contains(path))
            {
                File.Move(full + TemporarySuffix, full, overwrite: true);
                finished++;
            }
            else
            {
                File.Delete(full + TemporarySuffix);
                deleted++;
            }
        }
        logger.LogInformation("Attachments swept: {Finished} made final after a committed answer, {Deleted} left by an answer that was never stored", finished, deleted);
        return (finished, deleted);
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
