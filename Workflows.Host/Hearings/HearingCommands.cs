using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;
using Workflows.Host.Answers;
using Workflows.Host.Mail;
using Workflows.Host.Persistence;
using Workflows.Host.Persistence.Rows;
using Workflows.Host.Scheduling;

namespace Workflows.Host.Hearings;

/// <summary>
/// Everything that changes a running hearing, for the API, the staff pages, the answer page and the answer inbox alike:
/// a party's answer, and staff's deadline changes, reminders, new addresses, refusals and early closing. Each is a typed
/// <see cref="HearingStimulus"/> delivered to the hearing it concerns; outcomes are domain results, never HTTP codes.
/// </summary>
public sealed class HearingCommands(
    IDbContextFactory<ProcesFlowDbContext> contexts,
    WorkflowRuntime runtime,
    HearingReader reader,
    AttachmentStore files,
    IClock clock,
    IOptions<AnswersOptions> options,
    IOptions<FaultInjectionOptions> faults,
    DateTimeZone zone,
    IBackgroundJobClient jobs,
    ILogger<HearingCommands> logger) : IMailBounceRecorder
{
    /// <summary>
    /// Takes an answer. The files are written under temporary names; the answer, its files' records, the replacement of an
    /// earlier answer and the hearing's change then commit in one transaction, and only then are the files made final. An
    /// answer the hearing cannot take is kept for staff (<see cref="AnswerOutcome.Held"/>), never dropped.
    /// </summary>
    public async Task<AnswerOutcome> SubmitAnswerAsync(Guid partyTaskId, AnswerSubmission submission, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var text = submission.Text?.Trim() is { Length: > 0 } trimmed ? trimmed : null;
        if (text is not null && text.Length > limits.MaxTextLength)
        {
            return new AnswerOutcome.Refused(AnswerRefusalKind.TooLarge, $"Teksten er for lang (højst {limits.MaxTextLength:N0} tegn). Vedhæft den i stedet som en fil.", "text");
        }
        if (submission.Files.Count > limits.MaxFiles)
        {
            return new AnswerOutcome.Refused(AnswerRefusalKind.TooLarge, $"Der kan højst vedhæftes {limits.MaxFiles} filer.", "attachments");
        }
        if (submission.MessageId is { } messageId && await reader.AnswerByMessageIdAsync(messageId, cancellationToken) is { } earlier)
        {
            return new AnswerOutcome.Duplicate(earlier);
        }
        if (await reader.FindTaskAsync(partyTaskId, cancellationToken) is not { } task || await reader.StateOfAsync(task, cancellationToken) is not { } hearing)
        {
            return new AnswerOutcome.Refused(AnswerRefusalKind.NoSuchTask, "Høringen findes ikke.");
        }
        if (!hearing.AsksForDecision && text is null && submission.Files.Count == 0 && !submission.NoComments)
        {
            return new AnswerOutcome.Refused(AnswerRefusalKind.Invalid, "Svaret er tomt. Skriv et svar, vedhæft en fil, eller vælg \"Ingen bemærkninger\".", "text");
        }
        var now = clock.GetCurrentInstant();
        switch (HearingRules.Admit(hearing, task.Deadline, task.AnsweredAt is not null, now, submission.Decision))
        {
            case AnswerRefusal.DecisionMissing:
                return new AnswerOutcome.Refused(AnswerRefusalKind.Invalid,
                    hearing.Ask == HearingAsk.Accession ? "Vælg, om I tiltræder aftalen eller ej." : "Vælg, om I godkender eller ej.", "decision");
            case AnswerRefusal.Late:
                return new AnswerOutcome.Refused(AnswerRefusalKind.Late, "Fristen er overskredet, og høringen modtager ikke svar efter fristen. Kontakt afsenderen.");
            case AnswerRefusal.LateReplacement:
                return new AnswerOutcome.Refused(AnswerRefusalKind.Late, "Fristen er overskredet, så svaret kan ikke længere erstattes.");
        }

        var stored = new List<StoredAttachment>();
        foreach (var file in submission.Files)
        {
            var (written, refusal) = await files.WriteAsync(file, cancellationToken);
            if (refusal is not null)
            {
                files.Discard(stored);
                return refusal;
            }
            stored.Add(written!);
        }
        var answer = new PartyAnswer(Guid.CreateVersion7(), task.Id, now, submission.Channel, text,
            submission.NoComments && text is null && stored.Count == 0, hearing.AsksForDecision ? submission.Decision : null,
            submission.SubmittedBy, submission.MessageId, stored);
        try
        {
            await HoldIfAskedAsync(FaultInjectionOptions.BeforeAnswerCommit, cancellationToken);
            var delivered = await DeliverAsync(task.InstanceId, task.ActivityId, new AnswerReceived(answer, submission.ReplyTo) { Actor = submission.SubmittedBy ?? submission.Channel }, cancellationToken);
            if (await reader.CountedAnswerAsync(answer.Id, cancellationToken) is { } counted)
            {
                await HoldIfAskedAsync(FaultInjectionOptions.AfterAnswerCommit, cancellationToken);
                files.MakeFinal(stored);
                return new AnswerOutcome.Accepted(answer.Id, now, counted.Late, task.AnsweredAt is not null, stored.Select(f => f.FileName).ToList(), counted.Decision);
            }
            var reason = delivered switch
            {
                HearingCommandOutcome.Ended => HeldAnswerReasons.Ended,
                HearingCommandOutcome.NotWaiting when await reader.IsFaultedAsync(task.InstanceId, cancellationToken) => HeldAnswerReasons.Faulted,
                _ => HeldAnswerReasons.Closed,
            };
            await HoldAsync(task, hearing, answer, submission.ReplyTo, reason, cancellationToken);
            files.MakeFinal(stored);
            if (answer.Channel == "email")
            {
                jobs.Enqueue<MailJobs>(j => j.SendAsync(CancellationToken.None));
            }
            return new AnswerOutcome.Held(answer.Id, reason);
        }
        catch
        {
            // Nothing was committed for this answer: its files go too (the sweep would find them otherwise).
            if (!await reader.AnswerExistsAsync(answer.Id, CancellationToken.None))
            {
                files.Discard(stored);
            }
            throw;
        }
    }

    /// <summary>Records a party's request for a longer deadline for the process owner to decide.</summary>
    public async Task<AnswerOutcome> RequestExtensionAsync(Guid partyTaskId, string? reason, JsonObject? deadline, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new AnswerOutcome.Refused(AnswerRefusalKind.Invalid, "Skriv en begrundelse for anmodningen om fristforlængelse.", "reason");
        }
        if (reason.Length > 4000)
        {
            return new AnswerOutcome.Refused(AnswerRefusalKind.Invalid, "Begrundelsen er for lang (højst 4.000 tegn).", "reason");
        }
        if (await reader.FindTaskAsync(partyTaskId, cancellationToken) is not { } task)
        {
            return new AnswerOutcome.Refused(AnswerRefusalKind.NoSuchTask, "Høringen findes ikke.");
        }
        var id = Guid.CreateVersion7();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ExtensionRequests.Add(new ExtensionRequestRow
        {
            Id = id,
            PartyTaskId = task.Id,
            InstanceId = task.InstanceId,
            RequestedAt = clock.GetCurrentInstant(),
            Reason = reason.Trim(),
            RequestedDeadline = deadline?.ToJsonString(),
            Status = ExtensionRequestStatus.Pending,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new AnswerOutcome.Accepted(id, clock.GetCurrentInstant(), false, false, []);
    }

    /// <summary>A new deadline for one party (<paramref name="partyTaskId"/>), or for every party of the hearing <paramref name="activityId"/>.</summary>
    public async Task<HearingCommandOutcome> ChangeDeadlineAsync(Guid instanceId, string activityId, Guid? partyTaskId, JsonObject deadline, string? reason, string actor, CancellationToken cancellationToken) =>
        await DeliverAsync(instanceId, activityId, new DeadlineChanged(partyTaskId, deadline, reason) { Actor = actor }, cancellationToken);

    /// <summary>Remind now: one party that has not answered, or every party of the instance's open hearings that has not.</summary>
    public async Task<HearingCommandOutcome> RemindAsync(Guid instanceId, string? partyId, string actor, CancellationToken cancellationToken)
    {
        if (partyId is not null)
        {
            var task = await reader.FindTaskAsync(instanceId, partyId, cancellationToken);
            if (task is null)
            {
                return HearingCommandOutcome.NoSuchParty;
            }
            return task.AnsweredAt is not null
                ? HearingCommandOutcome.AlreadyAnswered
                : await DeliverAsync(instanceId, task.ActivityId, new RemindNow(task.Id) { Actor = actor }, cancellationToken);
        }
        var hearings = await reader.HearingsWithOpenTasksAsync(instanceId, cancellationToken);
        var result = HearingCommandOutcome.NotWaiting;
        foreach (var activityId in hearings)
        {
            var outcome = await DeliverAsync(instanceId, activityId, new RemindNow(null) { Actor = actor }, cancellationToken);
            if (outcome == HearingCommandOutcome.Done || result != HearingCommandOutcome.Done)
            {
                result = outcome;
            }
        }
        return hearings.Count == 0 ? HearingCommandOutcome.AlreadyAnswered : result;
    }

    /// <summary>Sends the invitation again, to addresses that replace the party's contacts.</summary>
    public async Task<HearingCommandOutcome> ResendInvitationAsync(Guid instanceId, string partyId, IReadOnlyList<string> to, string actor, CancellationToken cancellationToken) =>
        await reader.FindTaskAsync(instanceId, partyId, cancellationToken) is { } task
            ? await DeliverAsync(instanceId, task.ActivityId, new InvitationResent(task.Id, to.Select(a => a.Trim()).ToList()) { Actor = actor }, cancellationToken)
            : HearingCommandOutcome.NoSuchParty;

    /// <summary>
    /// A mail to the party task's contacts could not be delivered (refused when sent, or reported back by a mail server):
    /// the party is marked as bounced with the address and the reason, for staff to send it again to a corrected address.
    /// </summary>
    public async Task<HearingCommandOutcome> RecordBounceAsync(Guid partyTaskId, string address, string reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.PartyTasks.AsNoTracking().Where(t => t.Id == partyTaskId)
            .Select(t => new { t.InstanceId, t.ActivityId }).FirstOrDefaultAsync(cancellationToken);
        if (task is null)
        {
            return HearingCommandOutcome.NoSuchParty;
        }
        var outcome = await DeliverAsync(task.InstanceId, task.ActivityId, new MailBounced(partyTaskId, address, reason) { Actor = "mailserveren" }, cancellationToken);
        logger.LogWarning("Mail to {Address} for party task {PartyTaskId} bounced ({Reason}): {Outcome}", address, partyTaskId, reason, outcome);
        return outcome;
    }

    async Task<bool> IMailBounceRecorder.RecordAsync(Guid partyTaskId, string address, string reason, CancellationToken cancellationToken) =>
        await RecordBounceAsync(partyTaskId, address, reason, cancellationToken) == HearingCommandOutcome.Done;

    /// <summary>Tells a party its request for a longer deadline was refused.</summary>
    public async Task<HearingCommandOutcome> TellExtensionRefusedAsync(PartyTaskRow task, string? reason, string actor, CancellationToken cancellationToken) =>
        await DeliverAsync(task.InstanceId, task.ActivityId, new ExtensionRefused(task.Id, reason) { Actor = actor }, cancellationToken);

    public async Task<HearingCommandOutcome> CloseAsync(Guid instanceId, string activityId, string actor, CancellationToken cancellationToken) =>
        await DeliverAsync(instanceId, activityId, new CloseNow { Actor = actor }, cancellationToken);

    /// <summary>Staff have dealt with an answer the hearing could not take (registered it by hand, or answered the party); false when there is no such answer waiting.</summary>
    public async Task<bool> MarkHeldAnswerHandledAsync(Guid answerId, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Answers.Where(a => a.Id == answerId && a.HeldReason != null && a.HandledAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.HandledAt, clock.GetCurrentInstant()).SetProperty(a => a.HandledBy, actor), cancellationToken) == 1;
    }

    /// <summary>Delivers a stimulus only if the hearing waits for it now: a parked command would be a silent drop.</summary>
    private async Task<HearingCommandOutcome> DeliverAsync(Guid instanceId, string activityId, HearingStimulus stimulus, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.SignalIfWaitingAsync(instanceId, stimulus.SignalFor(activityId), stimulus.ToPayload(), stimulus.Actor, cancellationToken) switch
            {
                SignalOutcome.Resumed => HearingCommandOutcome.Done,
                SignalOutcome.InstanceEnded => HearingCommandOutcome.Ended,
                _ => HearingCommandOutcome.NotWaiting,
            };
        }
        catch (WorkflowNotFoundException)
        {
            return HearingCommandOutcome.NoSuchInstance;
        }
    }

    /// <summary>The crash tests' hook: stop here for good, so the process can be killed at exactly this point.</summary>
    private async Task HoldIfAskedAsync(string point, CancellationToken cancellationToken)
    {
        if (faults.Value.HoldAnswer == point)
        {
            logger.LogWarning("Fault injection: answer held {Point}", point);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    /// <summary>Keeps an answer the hearing could not take, with its files' records, for staff to handle.</summary>
    /// <remarks>A mailed answer gets a mail back saying so, in the same transaction: its sender sees no page to tell them.</remarks>
    private async Task HoldAsync(PartyTaskRow task, HearingState hearing, PartyAnswer answer, string? replyTo, string reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Late as the hearing would have marked it, had it taken the answer.
        db.Answers.Add(AnswerRow.From(answer with { Late = answer.ReceivedAt > task.Deadline }, task.InstanceId, reason));
        db.Attachments.AddRange(answer.Attachments.Select(f => AttachmentRow.From(f, answer.Id)));
        if (answer.Channel == "email" && replyTo is not null)
        {
            var model = new JsonObject
            {
                ["title"] = hearing.Title,
                ["caseNumber"] = hearing.CaseNumber,
                ["sender"] = hearing.Sender,
                ["partyName"] = task.PartyName,
                ["receivedAt"] = DanishText.DateTime(answer.ReceivedAt.InZone(zone).LocalDateTime),
                ["reason"] = reason,
            };
            db.Outbox.Add(new OutboxRow
            {
                Id = Guid.CreateVersion7(),
                InstanceId = task.InstanceId,
                ActivityId = task.ActivityId,
                To = JsonSerializer.Serialize(new[] { replyTo }),
                Subject = "",
                TextBody = "",
                Template = "answer-held",
                Model = model.ToJsonString(),
                PartyTaskId = task.Id,
                Status = OutboxStatus.Pending,
                QueuedAt = answer.ReceivedAt,
                NextAttemptAt = answer.ReceivedAt,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
