using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Definitions.Definitions;

namespace Workflows.Host.Engine;

/// <summary>
/// Loads every definition in <c>definitions-json/</c> as published at start-up. An unchanged file is a no-op; a
/// changed one becomes a new published version (running instances keep theirs). A broken file is reported with
/// every error and skipped, so one bad file cannot keep the others from loading.
/// </summary>
public sealed class DefinitionFolderLoader(DefinitionManager manager, IConfiguration configuration, IHostEnvironment environment, ILogger<DefinitionFolderLoader> logger)
{
    public const string FolderKey = "ProcesFlow:DefinitionsFolder";

    /// <summary>The folder: configured, or <c>definitions-json</c> under the content root, or beside the program.</summary>
    public string? Folder
    {
        get
        {
            var configured = configuration[FolderKey] ?? "definitions-json";
            return new[] { Path.Combine(environment.ContentRootPath, configured), Path.Combine(AppContext.BaseDirectory, configured) }
                .FirstOrDefault(Directory.Exists);
        }
    }

    public async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        if (Folder is not { } folder)
        {
            logger.LogWarning("No definitions folder found ({Key}); starting without predefined processes", FolderKey);
            return 0;
        }
        var loaded = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            try
            {
                var document = JsonNode.Parse(await File.ReadAllTextAsync(file, cancellationToken));
                var stored = await manager.SaveAndPublishAsync(document!, cancellationToken);
                logger.LogInformation("Definition {File}: '{DefinitionId}' version {Version} is published", name, stored.DefinitionId, stored.Version);
                loaded++;
            }
            catch (JsonException exception)
            {
                logger.LogError("Definition {File} is not valid JSON (line {Line}) and was not loaded", name, exception.LineNumber + 1);
            }
            catch (ValidationException exception)
            {
                logger.LogError("Definition {File} was not loaded:{Errors}", name,
                    string.Concat(exception.Errors.Select(e => $"{Environment.NewLine}  {e.Path}: {e.Message}")));
            }
        }
        return loaded;
    }
}
