using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Runtime;
using Workflows.Tests.Fakes;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Activities;

/// <summary>The Hearing activity on the engine with in-memory stores and a fake clock (the SMTP path is tested in the host).</summary>
public class HearingTests
{
    // Tuesday 1 October 2019, 10:00 in Copenhagen.
    private static readonly Instant Sent = Instant.FromUtc(2019, 10, 1, 8, 0);

    private static async Task<(EngineHarness Harness, Guid InstanceId)> StartAsync(string hearingProperties, string? afterHearing = null)
    {
        var harness = new EngineHarness(Sent);
        var id = await harness.PublishAsync(
            List(
                """{ "id": "start", "type": "Start" }""",
                $$$"""{ "id": "hearing", "type": "Hearing", "title": "{{ input.title }}", "caseNumber": "SAG-2019-05950", "sender": "KKR Midtjylland", "resultVariable": "result", {{{hearingProperties}}} }""",
                """{ "id": "all", "type": "SetVariable", "variable": "outcome", "value": "AllAnswered" }""",
                """{ "id": "missing", "type": "SetVariable", "variable": "outcome", "value": "DeadlinePassed" }"""),
            List(C("start", "hearing"), C("hearing", "all", "AllAnswered"), C("hearing", "missing", "DeadlinePassed")),
            """ "inputs": [ { "name": "title", "type": "string" } ], "variables": [ { "name": "result" }, { "name": "outcome" } ] """ + (afterHearing ?? ""));
        var instance = await harness.StartAsync(id, new JsonObject { ["title"] = "Erhvervsfremmestrategi 2020-2023" });
        return (harness, instance.Id);
    }

    private const string Midtjylland = """ "parties": "midtjylland", "deadline": { "date": "2019-10-31", "at": "12:00" }, "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ] """;

    private static Task<SignalOutcome> Answer(EngineHarness harness, Guid instanceId, PartyTask task, bool noComments = false) =>
        Stimuli.DeliverAsync(harness, instanceId, "hearing", Stimuli.Answer(task, harness.Clock.GetCurrentInstant(), noComments));

    [Fact]
    public async Task Send_NineteenKommuner_OneTaskAndOneInvitationEach()
    {
        var (harness, id) = await StartAsync(Midtjylland);
        var instance = await harness.ReloadAsync(id);

        Assert.Equal(19, instance.PartyTasks.Count);
        Assert.All(instance.PartyTasks, t => Assert.Equal(Instant.FromUtc(2019, 10, 31, 11, 0), t.Deadline));
        Assert.All(instance.PartyTasks, t => Assert.Null(t.LegacyTokenHash));
        var invitations = harness.Instances.Outbox.Where(m => m.Template == "invitation").ToList();
        Assert.Equal(19, invitations.Count);
        Assert.Equal(instance.PartyTasks.Select(t => t.Id).Order(), invitations.Select(m => m.PartyTaskId!.Value).Order());

        var aarhus = invitations.Single(m => m.Model!["partyId"]!.GetValue<string>() == "aarhus");
        Assert.Equal("torsdag den 31. oktober 2019 kl. 12.00", aarhus.Model!["deadline"]!["text"]!.GetValue<string>());
        Assert.Equal("SAG-2019-05950", aarhus.Model["caseNumber"]!.GetValue<string>());
        // The mail names the party task; the host signs its link when it renders the mail, so no link is kept here.
        Assert.Equal(instance.PartyTasks.Single(t => t.PartyId == "aarhus").Id.ToString(), aarhus.Model["partyTaskId"]!.GetValue<string>());
        Assert.Null(aarhus.Model["answerPath"]);
        Assert.Equal(WorkflowStatus.Suspended, instance.Status);
    }

    [Fact]
    public async Task Reminder_GoesOnlyToThoseWhoHaveNotAnswered_ThenDeadlinePassesWithOverdue()
    {
        var (harness, id) = await StartAsync(Midtjylland);
        var tasks = (await harness.ReloadAsync(id)).PartyTasks;
        foreach (var task in tasks.Take(7))
        {
            await Answer(harness, id, task, noComments: task == tasks[0]);
        }

        // Three working days before Thursday 31 October is Monday 28 October, 09:00 (08:00Z, after the DST change).
        await harness.AdvanceAsync(Instant.FromUtc(2019, 10, 28, 8, 0) - harness.Clock.GetCurrentInstant());
        var reminders = harness.Instances.Outbox.Where(m => m.Template == "reminder").ToList();
        Assert.Equal(12, reminders.Count);
        Assert.Equal(tasks.Skip(7).Select(t => t.Id).Order(), reminders.Select(m => m.PartyTaskId!.Value).Order());
        Assert.All(reminders, m => Assert.Equal(Instant.FromUtc(2019, 10, 28, 8, 0), m.QueuedAt));

        await harness.AdvanceAsync(Duration.FromDays(4));
        var instance = await harness.ReloadAsync(id);
        Assert.Equal(12, instance.PartyTasks.Count(t => t.Status == PartyTaskStatus.Overdue));
        Assert.Equal(6, instance.PartyTasks.Count(t => t.Status == PartyTaskStatus.Answered));
        Assert.Equal(PartyTaskStatus.NoComments, instance.PartyTasks.Single(t => t.Id == tasks[0].Id).Status);
        Assert.Equal("DeadlinePassed", instance.State.Variables["outcome"]!.GetValue<string>());
        Assert.Equal(7, instance.State.Variables["result"]!["answered"]!.GetValue<int>());
        Assert.Equal(7, harness.Instances.Outbox.Count(m => m.Template == "receipt"));
    }

    [Fact]
    public async Task EmptyOptionalTexts_AreLeftOutOfTheMailModel()
    {
        var harness = new EngineHarness(Sent);
        var id = await harness.PublishAsync(
            List("""{ "id": "start", "type": "Start" }""", """{ "id": "hearing", "type": "Hearing", "title": "Høring", "sender": "{{ input.sender }}", "parties": ["aarhus"], "deadline": { "workingDays": 10 } }"""),
            List(C("start", "hearing")),
            """ "inputs": [ { "name": "sender", "type": "string", "default": "" } ] """);
        await harness.StartAsync(id);
        var model = Assert.Single(harness.Instances.Outbox).Model!;
        Assert.Null(model["sender"]);
        Assert.Null(model["caseNumber"]);
        Assert.NotNull(model["partyTaskId"]);
    }

    [Fact]
    public async Task EveryoneAnswers_HearingCompletesAtOnceWithAllAnswered()
    {
        var (harness, id) = await StartAsync(""" "parties": ["aarhus", "skive", "region-midtjylland"], "deadline": { "workingDays": 10, "at": "12:00" } """);
        foreach (var task in (await harness.ReloadAsync(id)).PartyTasks)
        {
            await Answer(harness, id, task);
        }
        var instance = await harness.ReloadAsync(id);
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.Equal("AllAnswered", instance.State.Variables["outcome"]!.GetValue<string>());
        Assert.Empty(instance.Bookmarks);
    }

    [Fact]
    public async Task ExtendOneParty_ReplansItsReminderAndKeepsTheHearingOpenForIt()
    {
        var (harness, id) = await StartAsync(Midtjylland);
        var holstebro = (await harness.ReloadAsync(id)).PartyTasks.Single(t => t.PartyId == "holstebro");

        await Stimuli.DeliverAsync(harness, id, "hearing",
            new DeadlineChanged(holstebro.Id, new JsonObject { ["date"] = "2019-11-07", ["at"] = "12:00" }, null) { Actor = "sekretariat@kkr.example" });

        var changed = Assert.Single(harness.Instances.Outbox, m => m.Template == "deadline-changed");
        Assert.Equal(holstebro.Id, changed.PartyTaskId);
        Assert.Equal("torsdag den 7. november 2019 kl. 12.00", changed.Model!["deadline"]!["text"]!.GetValue<string>());
        Assert.Equal(1, changed.Model["sequence"]!.GetValue<int>());
        Assert.Contains(harness.Instances.Journal, j => j.Message.Contains("af sekretariat@kkr.example", StringComparison.Ordinal));

        // Past the common deadline: everyone else is overdue, Holstebro is not, and the hearing is still open.
        await harness.AdvanceAsync(Instant.FromUtc(2019, 11, 1, 8, 0) - harness.Clock.GetCurrentInstant());
        var instance = await harness.ReloadAsync(id);
        Assert.Equal(PartyTaskStatus.ExtensionGranted, instance.PartyTasks.Single(t => t.PartyId == "holstebro").Status);
        Assert.Equal(18, instance.PartyTasks.Count(t => t.Status == PartyTaskStatus.Overdue));
        Assert.Equal(WorkflowStatus.Suspended, instance.Status);
        // Holstebro's reminder follows its own deadline: Monday 4 November 09:00.
        await harness.AdvanceAsync(Instant.FromUtc(2019, 11, 4, 8, 0) - harness.Clock.GetCurrentInstant());
        Assert.Contains(harness.Instances.Outbox, m => m.Template == "reminder" && m.PartyTaskId == holstebro.Id && m.QueuedAt == Instant.FromUtc(2019, 11, 4, 8, 0));

        await harness.AdvanceAsync(Duration.FromDays(4));
        Assert.Equal(WorkflowStatus.Finished, (await harness.ReloadAsync(id)).Status);
    }

    [Fact]
    public async Task LatePolicyAcceptUntil_AnswerAfterDeadlineIsMarkedLate()
    {
        var (harness, id) = await StartAsync(""" "parties": ["aarhus", "skive"], "deadline": { "date": "2019-10-31", "at": "12:00" }, "latePolicy": { "mode": "acceptUntil", "until": { "date": "2019-11-14", "at": "12:00" } } """);
        await harness.AdvanceAsync(Instant.FromUtc(2019, 11, 4, 8, 0) - harness.Clock.GetCurrentInstant());
        var instance = await harness.ReloadAsync(id);
        Assert.All(instance.PartyTasks, t => Assert.Equal(PartyTaskStatus.Overdue, t.Status));

        await Answer(harness, id, instance.PartyTasks.Single(t => t.PartyId == "aarhus"));
        instance = await harness.ReloadAsync(id);
        Assert.Equal(PartyTaskStatus.AnsweredLate, instance.PartyTasks.Single(t => t.PartyId == "aarhus").Status);
        Assert.Equal(WorkflowStatus.Suspended, instance.Status);

        await harness.AdvanceAsync(Duration.FromDays(11));
        instance = await harness.ReloadAsync(id);
        Assert.Equal("DeadlinePassed", instance.State.Variables["outcome"]!.GetValue<string>());
        Assert.Equal(1, instance.State.Variables["result"]!["late"]!.GetValue<int>());
    }

    [Fact]
    public async Task Rykker_GoesAfterTheDeadlineOnlyToThoseMissing()
    {
        var (harness, id) = await StartAsync(""" "parties": ["aarhus", "skive"], "deadline": { "date": "2019-10-31", "at": "12:00" }, "rykker": [ { "workingDaysAfter": 1, "at": "09:00" } ], "latePolicy": { "mode": "acceptUntil", "until": { "date": "2019-11-08", "at": "12:00" } } """);
        await Answer(harness, id, (await harness.ReloadAsync(id)).PartyTasks.Single(t => t.PartyId == "aarhus"));
        await harness.AdvanceAsync(Instant.FromUtc(2019, 11, 1, 8, 0) - harness.Clock.GetCurrentInstant());
        var rykker = Assert.Single(harness.Instances.Outbox, m => m.Template == "rykker");
        Assert.Equal("skive", rykker.Model!["partyId"]!.GetValue<string>());
    }

    [Fact]
    public async Task RemindNow_AllNotAnswered_OneReminderEachToThoseMissing_PlannedRemindersStillCome()
    {
        var (harness, id) = await StartAsync(Midtjylland);
        var tasks = (await harness.ReloadAsync(id)).PartyTasks;
        foreach (var task in tasks.Take(7))
        {
            await Answer(harness, id, task);
        }
        await harness.AdvanceAsync(Duration.FromDays(1));

        var outcome = await Stimuli.DeliverAsync(harness, id, "hearing", new RemindNow(null) { Actor = "sekretariat@kkr.example" });

        Assert.Equal(SignalOutcome.Resumed, outcome);
        var reminders = harness.Instances.Outbox.Where(m => m.Template == "reminder").ToList();
        Assert.Equal(tasks.Skip(7).Select(t => t.Id).Order(), reminders.Select(m => m.PartyTaskId!.Value).Order());
        var instance = await harness.ReloadAsync(id);
        Assert.All(instance.PartyTasks.Where(t => !t.IsAnswered), t => Assert.Equal((PartyTaskStatus.Reminded, (Instant?)Sent + Duration.FromDays(1)), (t.Status, t.LastRemindedAt)));
        Assert.All(instance.PartyTasks.Where(t => t.IsAnswered), t => Assert.Null(t.LastRemindedAt));
        Assert.Contains(harness.Instances.Journal, j => j.Message.StartsWith("Påmindelse sendt nu til ", StringComparison.Ordinal) && j.Actor == "sekretariat@kkr.example");

        // The reminder planned three working days before the deadline is still sent.
        await harness.AdvanceAsync(Instant.FromUtc(2019, 10, 28, 8, 0) - harness.Clock.GetCurrentInstant());
        Assert.Equal(24, harness.Instances.Outbox.Count(m => m.Template == "reminder"));
    }

    [Fact]
    public async Task RemindNow_OneParty_AfterItsDeadline_IsARykker()
    {
        var (harness, id) = await StartAsync(""" "parties": ["aarhus", "skive"], "deadline": { "date": "2019-10-31", "at": "12:00" }, "latePolicy": { "mode": "acceptUntil", "until": { "date": "2019-11-08", "at": "12:00" } } """);
        var skive = (await harness.ReloadAsync(id)).PartyTasks.Single(t => t.PartyId == "skive");
        await harness.AdvanceAsync(Instant.FromUtc(2019, 11, 1, 8, 0) - harness.Clock.GetCurrentInstant());

        await Stimuli.DeliverAsync(harness, id, "hearing", new RemindNow(skive.Id) { Actor = "test" });

        var rykker = Assert.Single(harness.Instances.Outbox, m => m.Template is "rykker" or "reminder");
        Assert.Equal(("rykker", skive.Id), (rykker.Template, rykker.PartyTaskId!.Value));
    }

    [Fact]
    public async Task ResendInvitation_ToANewAddress_ReplacesTheContactsForLaterMails()
    {
        var (harness, id) = await StartAsync(Midtjylland);
        var skive = (await harness.ReloadAsync(id)).PartyTasks.Single(t => t.PartyId == "skive");

        await Stimuli.DeliverAsync(harness, id, "hearing", new InvitationResent(skive.Id, ["hoering@skive.example"]) { Actor = "test" });

        var invitations = harness.Instances.Outbox.Where(m => m.Template == "invitation" && m.PartyTaskId == skive.Id).ToList();
        Assert.Equal(2, invitations.Count);
        Assert.Equal(["hoering@skive.example"], invitations[1].To);
        Assert.Equal(invitations[0].Model!["partyTaskId"]!.GetValue<string>(), invitations[1].Model!["partyTaskId"]!.GetValue<string>());
        Assert.Equal(["hoering@skive.example"], (await harness.ReloadAsync(id)).PartyTasks.Single(t => t.Id == skive.Id).Contacts);

        await harness.AdvanceAsync(Instant.FromUtc(2019, 10, 28, 8, 0) - harness.Clock.GetCurrentInstant());
        Assert.Equal(["hoering@skive.example"], Assert.Single(harness.Instances.Outbox, m => m.Template == "reminder" && m.PartyTaskId == skive.Id).To);
    }

    [Fact]
    public async Task MailBounced_MarksThePartyWithAddressAndReason_StaysSoPastTheDeadline_UntilSentToANewAddress()
    {
        var (harness, id) = await StartAsync(Midtjylland);
        var tasks = (await harness.ReloadAsync(id)).PartyTasks;
        var skive = tasks.Single(t => t.PartyId == "skive");
        var aarhus = tasks.Single(t => t.PartyId == "aarhus");
        await Stimuli.DeliverAsync(harness, id, "hearing", Stimuli.Answer(aarhus, harness.Clock.GetCurrentInstant()));

        await Stimuli.DeliverAsync(harness, id, "hearing", new MailBounced(skive.Id, "postkasse@skive.example", "5.1.1 (550 User unknown)") { Actor = "mailserveren" });
        await Stimuli.DeliverAsync(harness, id, "hearing", new MailBounced(aarhus.Id, "gammel@aarhus.example", "5.1.1 (550 User unknown)") { Actor = "mailserveren" });

        var instance = await harness.ReloadAsync(id);
        Assert.Equal(PartyTaskStatus.Bounced, instance.PartyTasks.Single(t => t.Id == skive.Id).Status);
        // Aarhus answered already: a late bounce of an old address changes nothing.
        Assert.Equal(PartyTaskStatus.Answered, instance.PartyTasks.Single(t => t.Id == aarhus.Id).Status);
        var bounce = Assert.Single(HearingState.Read(instance.State.Activities["hearing"])!.Bounces);
        Assert.Equal((skive.Id, "postkasse@skive.example", "5.1.1 (550 User unknown)"), (bounce.Key, bounce.Value.Address, bounce.Value.Reason));

        // Past the deadline it is still shown as a bounce, not just overdue: the address is what must be fixed.
        await harness.AdvanceAsync(Instant.FromUtc(2019, 11, 1, 8, 0) - harness.Clock.GetCurrentInstant());
        Assert.Equal(PartyTaskStatus.Bounced, (await harness.ReloadAsync(id)).PartyTasks.Single(t => t.Id == skive.Id).Status);
    }

    [Fact]
    public async Task MailBounced_ThenResentToANewAddress_WaitsForTheAnswerAgain_AndTheBounceIsGone()
    {
        var (harness, id) = await StartAsync(Midtjylland);
        var skive = (await harness.ReloadAsync(id)).PartyTasks.Single(t => t.PartyId == "skive");
        await Stimuli.DeliverAsync(harness, id, "hearing", new MailBounced(skive.Id, "postkasse@skive.example", "5.1.1") { Actor = "mailserveren" });

        await Stimuli.DeliverAsync(harness, id, "hearing", new InvitationResent(skive.Id, ["hoering@skive.example"]) { Actor = "test" });

        var instance = await harness.ReloadAsync(id);
        Assert.Equal(PartyTaskStatus.Sent, instance.PartyTasks.Single(t => t.Id == skive.Id).Status);
        Assert.Empty(HearingState.Read(instance.State.Activities["hearing"])!.Bounces);
    }

    [Fact]
    public async Task UnknownParty_FaultsWithAnIncidentNamingIt()
    {
        var (harness, id) = await StartAsync(""" "parties": ["aarhus", "aarhuz"], "deadline": { "workingDays": 10 } """);
        Assert.Equal(WorkflowStatus.Faulted, (await harness.ReloadAsync(id)).Status);
        var incident = Assert.Single(harness.Instances.Incidents);
        Assert.Contains("aarhuz", incident.Message, StringComparison.Ordinal);
        Assert.StartsWith("$.root.activities[1].parties", incident.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Instances.Outbox);
    }
}
