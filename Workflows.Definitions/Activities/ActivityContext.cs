using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Expressions;
using Workflows.Definitions.Meetings;
using Workflows.Definitions.Parties;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Activities;

/// <summary>
/// Everything an activity may see and change while it runs. <see cref="Now"/> is read from the engine's
/// <c>IClock</c> once per step, so one step sees one instant (Temporal's rule for deterministic time).
/// </summary>
public sealed class ActivityContext
{
    private readonly List<OutgoingEmail> emails;
    private readonly List<JournalEntry> journal;
    private readonly List<PartyAnswer> answers;

    internal ActivityContext(
        WorkflowInstance instance,
        string activityId,
        string activityType,
        Instant now,
        DeadlineCalculator calendar,
        PartyDirectory parties,
        MeetingCalendars meetings,
        JsonObject state,
        Arrival? arrival,
        Resumption? resumption,
        int inboundConnections,
        List<OutgoingEmail> emails,
        List<JournalEntry> journal,
        List<PartyAnswer> answers)
    {
        InstanceId = instance.Id;
        PartyTasks = instance.PartyTasks;
        ActivityId = activityId;
        ActivityType = activityType;
        Now = now;
        Calendar = calendar;
        Parties = parties;
        Meetings = meetings;
        Input = instance.Input;
        Variables = instance.State.Variables;
        State = state;
        Arrival = arrival;
        Resumption = resumption;
        InboundConnections = inboundConnections;
        this.emails = emails;
        this.journal = journal;
        this.answers = answers;
    }

    public Guid InstanceId { get; }

    public string ActivityId { get; }

    public string ActivityType { get; }

    public Instant Now { get; }

    /// <summary>The Danish working-day calendar and deadline arithmetic, in the configured zone.</summary>
    public DeadlineCalculator Calendar { get; }

    public DateTimeZone Zone => Calendar.Zone;

    /// <summary>The parties that hearings and approvals can be sent to.</summary>
    public PartyDirectory Parties { get; }

    /// <summary>When the bodies meet, for decisions planned at a body's next meeting.</summary>
    public MeetingCalendars Meetings { get; }

    /// <summary>The instance's input; activities read it but do not change it.</summary>
    public JsonObject Input { get; }

    /// <summary>The instance's variables.</summary>
    public JsonObject Variables { get; }

    /// <summary>This activity's own durable state, kept between executions (a join's arrivals, a hearing's parties).</summary>
    public JsonObject State { get; }

    /// <summary>The connection this execution came in on; null when resumed.</summary>
    public Arrival? Arrival { get; }

    /// <summary>Set when one of the activity's bookmarks was resumed.</summary>
    public Resumption? Resumption { get; }

    /// <summary>How many distinct connections lead into this activity (a WaitAll join waits for them all).</summary>
    public int InboundConnections { get; }

    public ExpressionScope Scope => new(Input, Variables);

    /// <summary>The instance's party tasks; a hearing adds and updates its own.</summary>
    public List<PartyTask> PartyTasks { get; }

    /// <summary>
    /// Renders a Liquid property against the input and variables; a template error faults the step naming
    /// <paramref name="property"/>, so the incident says which property of which activity was wrong.
    /// </summary>
    public string Render(LiquidText text, string property)
    {
        try
        {
            return text.Render(Scope);
        }
        catch (Exception exception) when (exception is Fluid.FluidException or ArgumentException or InvalidOperationException)
        {
            throw new ActivityPropertyException(property, exception.Message);
        }
    }

    /// <summary>Queues a mail that the host renders from its Danish template <paramref name="template"/> with <paramref name="model"/>.</summary>
    public void QueueTemplatedEmail(IReadOnlyList<string> to, string template, JsonObject model, Guid? partyTaskId = null) =>
        emails.Add(new OutgoingEmail(Guid.CreateVersion7(), InstanceId, ActivityId, to, "", "", null, Now, template, model, partyTaskId));

    /// <summary>Queues a mail in the outbox; it is saved in the same transaction as the instance and sent afterwards.</summary>
    public void QueueEmail(IReadOnlyList<string> to, string subject, string textBody, string? htmlBody = null) =>
        emails.Add(new OutgoingEmail(Guid.CreateVersion7(), InstanceId, ActivityId, to, subject, textBody, htmlBody, Now));

    /// <summary>Keeps a party's answer that this activity accepted; it is saved with the instance's change, in one transaction.</summary>
    public void RecordAnswer(PartyAnswer answer) => answers.Add(answer);

    /// <summary>Adds a line to the instance's journal (the audit trail).</summary>
    public void Journal(string message, JsonObject? data = null, string? actor = null) =>
        journal.Add(new JournalEntry(InstanceId, Now, JournalKind.ActivityNote, ActivityId, message, data?.ToJsonString(), actor));
}

/// <summary>The connection an execution arrived on.</summary>
public sealed record Arrival(string FromActivityId, string FromPort);

/// <summary>The bookmark that was resumed and the stimulus that resumed it.</summary>
public sealed record Resumption(string BookmarkName, JsonNode? Payload, bool IsTimer)
{
    /// <summary>A text field of the payload (an actor, a note), trimmed; null when it is missing or not a text.</summary>
    public string? Text(string field) =>
        Payload?[field] is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>().Trim() : null;
}
