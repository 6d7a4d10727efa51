using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Runtime;
using Workflows.Tests.Fakes;

namespace Workflows.Tests.Activities;

/// <summary>Typed stimuli delivered to a round in the engine harness, as the host's command service delivers them.</summary>
internal static class Stimuli
{
    public static Task<SignalOutcome> DeliverAsync(EngineHarness harness, Guid instanceId, string activityId, HearingStimulus stimulus) =>
        harness.Runtime.SignalAsync(instanceId, stimulus.SignalFor(activityId), stimulus.ToPayload(), stimulus.Actor, CancellationToken.None);

    public static AnswerReceived Answer(PartyTask task, Instant at, bool noComments = false, string? text = "Vi støtter strategien.", string? decision = null) =>
        new(new PartyAnswer(Guid.CreateVersion7(), task.Id, at, "web", noComments ? null : text, noComments, decision, null, null, []), null) { Actor = "test" };
}
