namespace Workflows.Definitions.Activities;

/// <summary>
/// An activity type as the designer, the schema and the validator see it, and how to bind a definition's
/// activity node to a runnable <see cref="IActivity"/>.
/// </summary>
/// <param name="Type">The <c>type</c> in a definition, e.g. <c>Delay</c>.</param>
/// <param name="DisplayName">The Danish name in the designer, e.g. "Afvent".</param>
/// <param name="Category">The designer's toolbox group.</param>
/// <param name="Description">One Danish sentence for the designer.</param>
/// <param name="Properties">The properties a node of this type may carry.</param>
/// <param name="CanWait">Whether the activity can suspend; a cycle must contain one, or it would spin forever.</param>
/// <param name="Bind">Reads the node's properties (reporting every problem) and builds the activity and its ports.</param>
public sealed record ActivityDescriptor(
    string Type,
    string DisplayName,
    string Category,
    string Description,
    IReadOnlyList<PropertyDescriptor> Properties,
    bool CanWait,
    Func<PropertyReader, ActivityBinding> Bind);

/// <summary>A bound activity and the outcome ports it can complete on.</summary>
/// <param name="Activity">The runnable activity.</param>
/// <param name="Ports">The outcome ports it can complete on.</param>
/// <param name="CheckInbound">Given how many connections lead in, a problem to report (a join's quorum larger than its branches), or null.</param>
public sealed record ActivityBinding(IActivity Activity, IReadOnlyList<string> Ports, Func<int, string?>? CheckInbound = null);

/// <summary>
/// One property of an activity type.
/// </summary>
/// <param name="Name">The JSON property name.</param>
/// <param name="Kind">What it holds: <c>text</c> (Liquid), <c>condition</c>, <c>expression</c>, <c>integer</c>,
/// <c>boolean</c>, <c>period</c>, <c>deadline</c>, <c>textList</c>, <c>enum</c>, <c>json</c>, <c>object</c> or <c>list</c>.</param>
/// <param name="Required">Whether a node must carry it.</param>
/// <param name="DisplayName">Danish label in the designer.</param>
/// <param name="Values">The allowed values of an <c>enum</c>.</param>
public sealed record PropertyDescriptor(string Name, string Kind, bool Required, string DisplayName, IReadOnlyList<string>? Values = null);
