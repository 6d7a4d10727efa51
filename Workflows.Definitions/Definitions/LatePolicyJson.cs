using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Definitions.Calendar;

namespace Workflows.Definitions.Definitions;

/// <summary>
/// What a hearing does with answers after the deadline: <c>reject</c> (it closes at the deadline), or accept them,
/// marked late, until <see cref="Until"/>.
/// </summary>
public sealed record LatePolicySpec(string Mode, DeadlineSpec? Until)
{
    public static LatePolicySpec Reject { get; } = new("reject", null);
}

/// <summary>
/// The JSON form of a late policy: <c>"reject"</c>, <c>{ "mode": "reject" }</c>, or
/// <c>{ "mode": "acceptUntil", "until": { "date": "2019-11-08", "at": "09:00" } }</c> (<c>acceptAndMarkLate</c> is the
/// same mode under its older name). Problems are collected with paths relative to the policy (<c>"until.at"</c>),
/// as <see cref="DeadlineJson"/> does.
/// </summary>
public static class LatePolicyJson
{
    /// <summary>The modes, in the order the messages name them.</summary>
    public static readonly IReadOnlyList<string> Modes = ["reject", "acceptUntil", "acceptAndMarkLate"];

    private const string Expected = "must be \"reject\", or { \"mode\": \"acceptUntil\", \"until\": { \"date\": \"…\", \"at\": \"…\" } }";

    private static readonly string[] Fields = ["mode", "until"];

    /// <summary>Parses a late policy; returns null (and adds at least one error) when it is not valid.</summary>
    /// <param name="node">The policy: a text or an object.</param>
    /// <param name="errors">Receives (relative path, message) for every problem found.</param>
    public static LatePolicySpec? Parse(JsonNode? node, ICollection<(string Path, string Message)> errors)
    {
        if (node is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            if (text.GetValue<string>() == "reject")
            {
                return LatePolicySpec.Reject;
            }
            errors.Add(("", Expected));
            return null;
        }
        if (node is not JsonObject policy)
        {
            errors.Add(("", Expected));
            return null;
        }

        var before = errors.Count;
        foreach (var (name, _) in policy)
        {
            if (!Fields.Contains(name, StringComparer.Ordinal))
            {
                errors.Add((name, "is not a field of a late policy (fields: mode, until)"));
            }
        }

        var mode = policy["mode"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : null;
        DeadlineSpec? until = null;
        if (mode is null || !Modes.Contains(mode, StringComparer.Ordinal))
        {
            errors.Add(("mode", policy["mode"] is null ? "is required: \"reject\" or \"acceptUntil\"" : "must be \"reject\" or \"acceptUntil\""));
        }
        else if (mode == "reject")
        {
            if (policy.ContainsKey("until"))
            {
                errors.Add(("until", "applies only when the mode is \"acceptUntil\""));
            }
        }
        else
        {
            var found = new List<(string Path, string Message)>();
            until = DeadlineJson.Parse(policy["until"], found);
            foreach (var (path, message) in found)
            {
                errors.Add((path.Length == 0 ? "until" : "until." + path, message));
            }
        }

        return errors.Count == before ? new LatePolicySpec(mode!, until) : null;
    }
}
