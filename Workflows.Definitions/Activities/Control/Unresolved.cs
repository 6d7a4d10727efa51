namespace Workflows.Definitions.Activities.Control;

/// <summary>
/// A placeholder left by an import (e.g. from Elsa) for an activity ProcesFlow cannot run. It keeps the
/// original node and its outgoing ports so the draft keeps its shape; a definition that contains one cannot be
/// published (<see cref="Definitions.UnresolvedParts"/>) until the process owner replaces it.
/// </summary>
public sealed class Unresolved(string sourceType) : IActivity
{
    public static ActivityDescriptor Descriptor { get; } = new(
        "Unresolved", "Uafklaret (importeret)", "Import",
        "Pladsholder for en importeret aktivitet, som ProcesFlow ikke kan udføre; den skal erstattes, før forløbet kan udgives.",
        [
            new("sourceType", "string", true, "Oprindelig type"),
            new("reason", "string", true, "Hvorfor"),
            new("ports", "textList", false, "Udgange"),
            new("source", "json", false, "Oprindelig aktivitet"),
        ],
        // It never runs (publishing is refused), so it must not make an imported loop invalid as a draft.
        CanWait: true,
        reader =>
        {
            var sourceType = reader.Literal("sourceType", PropertyKinds.PlainText, "");
            reader.Literal("reason", PropertyKinds.PlainText, "");
            reader.Literal("source", PropertyKinds.Json, null);
            var ports = reader.Literal("ports", PropertyKinds.TextList, []);
            return new ActivityBinding(new Unresolved(sourceType), ports.Distinct().ToList());
        });

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        throw new ActivityPropertyException("type", $"is a placeholder for '{sourceType}', which ProcesFlow cannot run; replace it and publish again");
}
