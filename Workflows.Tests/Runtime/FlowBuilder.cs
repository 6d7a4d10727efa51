namespace Workflows.Tests.Runtime;

/// <summary>Short JSON for test flowcharts: <c>C("a", "b")</c> connects a.Done to b.</summary>
internal static class FlowBuilder
{
    public static string C(string from, string to, string port = "Done") =>
        $$"""{ "source": { "activity": "{{from}}", "port": "{{port}}" }, "target": { "activity": "{{to}}", "port": "In" } }""";

    public static string List(params string[] items) => "[" + string.Join(",", items) + "]";
}
