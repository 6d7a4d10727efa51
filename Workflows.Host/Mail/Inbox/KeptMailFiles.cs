using System.Text.Json;
using System.Text.Json.Serialization;
using Workflows.Host.Answers;

namespace Workflows.Host.Mail.Inbox;

/// <summary>Where a kept mail's <c>.eml</c> and its note live: under the answers' attachments folder, outside the web root.</summary>
public static class KeptMailFiles
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The absolute path of a stored relative path; refuses paths that would leave the attachments folder.</summary>
    public static string FullPath(AttachmentStore attachments, string relative)
    {
        var root = Path.GetFullPath(attachments.Folder);
        var path = Path.GetFullPath(Path.Combine(root, relative));
        if (!path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The stored mail path '{relative}' is outside the attachments folder.");
        }
        return path;
    }

    public static string NotePath(string emlPath) => Path.ChangeExtension(emlPath, ".json");

    /// <summary>The note beside a kept mail, or null when it is missing or unreadable (the mail itself is what counts).</summary>
    public static async Task<KeptMailNote?> ReadNoteAsync(string emlPath, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(NotePath(emlPath));
            return await JsonSerializer.DeserializeAsync<KeptMailNote>(stream, Json, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
