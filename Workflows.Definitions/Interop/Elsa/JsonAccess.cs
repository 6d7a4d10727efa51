using System.Text.Json.Nodes;

namespace Workflows.Definitions.Interop.Elsa;

/// <summary>Reading a document of unknown shape: a property of anything that is not an object is simply absent.</summary>
internal static class JsonAccess
{
    /// <summary><c>node[key]</c> when <paramref name="node"/> is an object, else null (the indexer would throw on a list or a value).</summary>
    public static JsonNode? At(this JsonNode? node, string key) => node is JsonObject obj ? obj[key] : null;
}
