using System.Reflection;
using System.Text.Json;
using Json.Schema;
using Workflows.Definitions.Definitions;
using Xunit.Sdk;

namespace Workflows.Tests.Definitions;

/// <summary>Every definition in <c>definitions-json/</c> is loaded at start-up, so each must parse cleanly.</summary>
public class DefinitionFilesTests
{
    [Fact]
    public void DefinitionsFolder_InTheRepository_Exists() =>
        Assert.True(Directory.Exists(DefinitionsFolder.Path), $"expected the folder {DefinitionsFolder.Path}");

    [Theory]
    [DefinitionFiles]
    public void Parse_DefinitionFile_HasNoErrorsAndItsIdIsTheFileName(string fileName)
    {
        var result = DefinitionParser.Default.Parse(File.ReadAllText(Path.Combine(DefinitionsFolder.Path, fileName)));

        Assert.True(result.IsValid, $"definitions-json/{fileName} has {result.Errors.Count} error(s):\n"
            + string.Join("\n", result.Errors.Select(e => $"  {e.Path}: {e.Message}")));
        Assert.Equal(Path.GetFileNameWithoutExtension(fileName), result.Definition!.DefinitionId);
    }

    [Theory]
    [DefinitionFiles]
    public void Schema_DefinitionFile_IsValidAgainstTheCommittedSchema(string fileName)
    {
        using var definition = JsonDocument.Parse(File.ReadAllText(Path.Combine(DefinitionsFolder.Path, fileName)));

        var result = Evaluate(definition.RootElement);

        Assert.True(result.IsValid, $"definitions-json/{fileName} does not match definition.schema.json:\n{Describe(result)}");
    }

    [Fact]
    public void Schema_DefinitionWithAnUnknownActivityProperty_IsRefusedAtThatActivity()
    {
        using var definition = JsonDocument.Parse("""
            { "definitionId": "forkert", "name": "Forkert",
              "root": { "activities": [ { "id": "start", "type": "Start" }, { "id": "vent", "type": "Delay", "duration": "P1D", "varighed": "P2D" } ],
                        "connections": [] } }
            """);

        var result = Evaluate(definition.RootElement);

        Assert.False(result.IsValid);
        Assert.Contains("/root/activities/1", Describe(result), StringComparison.Ordinal);
    }

    /// <summary>Built once: JsonSchema.Net registers a schema by its <c>$id</c> and refuses to register it again.</summary>
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(DefinitionsFolder.Path, "definition.schema.json"))));

    private static EvaluationResults Evaluate(JsonElement definition) =>
        Schema.Value.Evaluate(definition, new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Describe(EvaluationResults result) => string.Join("\n", (result.Details ?? [])
        .Where(d => d.Errors is { Count: > 0 })
        .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation}: {e.Key}: {e.Value}")));

    /// <summary>
    /// The definition files, one test case each. xunit 2 fails a theory that has no data at all ("No data found"),
    /// so while the folder holds no definitions this yields one placeholder case and skips it, saying why.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class DefinitionFilesAttribute : DataAttribute
    {
        private const string Placeholder = "(none)";

        public override string? Skip
        {
            get => DefinitionsFolder.DefinitionFiles().Count == 0 ? "definitions-json/ holds no definition files yet" : null;
            set => throw new NotSupportedException("The skip reason follows from the folder's contents.");
        }

        public override IEnumerable<object[]> GetData(MethodInfo testMethod)
        {
            var files = DefinitionsFolder.DefinitionFiles();
            return files.Count == 0 ? [[Placeholder]] : files.Select(f => new object[] { f });
        }
    }
}

/// <summary>The repository's <c>definitions-json/</c> folder, found from the test's output folder.</summary>
internal static class DefinitionsFolder
{
    /// <summary>The folder that holds <c>ProcesFlow.sln</c>.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Path { get; } = System.IO.Path.Combine(RepositoryRoot, "definitions-json");

    /// <summary>The file names of the definitions: every <c>*.json</c> except <c>*.schema.json</c>, sorted.</summary>
    public static IReadOnlyList<string> DefinitionFiles() =>
        Directory.Exists(Path)
            ? Directory.EnumerateFiles(Path, "*.json")
                .Select(f => System.IO.Path.GetFileName(f))
                .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                    && !f.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "ProcesFlow.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains ProcesFlow.sln.");
    }
}
