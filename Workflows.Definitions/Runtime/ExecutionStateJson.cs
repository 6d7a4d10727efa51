using System.Text.Json;

namespace Workflows.Definitions.Runtime;

/// <summary>The one way an <see cref="ExecutionState"/> becomes JSON and back, for every store.</summary>
public static class ExecutionStateJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(ExecutionState state) => JsonSerializer.Serialize(state, Options);

    public static ExecutionState Deserialize(string json) =>
        JsonSerializer.Deserialize<ExecutionState>(json, Options) ?? throw new JsonException("The execution state is empty.");

    /// <summary>A deep copy, so a failed step can be undone.</summary>
    public static ExecutionState Clone(ExecutionState state) => Deserialize(Serialize(state));
}
