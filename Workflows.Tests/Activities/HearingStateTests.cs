using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Activities.Hearings;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Runtime;

namespace Workflows.Tests.Activities;

/// <summary>The hearing's typed state (and the state of instances started before it), its stimuli, and its rules.</summary>
public sealed class HearingStateTests
{
    private static readonly Guid Aarhus = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private static readonly Guid Skive = Guid.Parse("0193a000-0000-7000-8000-000000000002");
    private static readonly Instant Deadline = Instant.FromUtc(2019, 10, 31, 11, 0);

    /// <summary>A hearing's state as instances started before the typed boundary stored it: raw tokens, order in their keys.</summary>
    private static JsonObject VersionOne() => JsonNode.Parse($$"""
        {
          "title": "Erhvervsfremmestrategi 2020-2023", "caseNumber": "SAG-2019-05950", "sender": "KKR Midtjylland", "message": null,
          "material": [ { "title": "Udkast", "url": "https://kkr.example.dk/udkast.pdf" } ],
          "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ], "rykker": [],
          "latePolicy": "reject", "closeAt": "2019-10-31T11:00:00Z", "ask": "answer", "quorum": null, "effectiveAt": null,
          "sequence": { "{{Skive}}": 1 },
          "tokens": { "{{Skive}}": "raw-token-skive-0000000000000000", "{{Aarhus}}": "raw-token-aarhus-000000000000000" }
        }
        """)!.AsObject();

    [Fact]
    public void VersionOne_Reads_KeepsThePartyOrder_AndDropsTheTokens()
    {
        var state = HearingState.Read(VersionOne())!;

        Assert.Equal(1, state.Version);
        Assert.Equal(("Erhvervsfremmestrategi 2020-2023", "SAG-2019-05950", "KKR Midtjylland"), (state.Title, state.CaseNumber, state.Sender));
        Assert.Equal(Deadline, state.CloseAt);
        Assert.Equal([Skive, Aarhus], state.Parties);
        Assert.Equal([ReminderSpec.WorkingDaysBefore(3, new LocalTime(9, 0))], state.Reminders);
        Assert.Equal("https://kkr.example.dk/udkast.pdf", Assert.Single(state.Material).Url);
        Assert.Equal(1, state.SequenceOf(Skive));

        var written = new JsonObject();
        state.WriteTo(written);
        Assert.Equal(2, written["version"]!.GetValue<int>());
        Assert.Null(written["tokens"]);
        Assert.DoesNotContain("raw-token", written.ToJsonString(), StringComparison.Ordinal);
        var again = new JsonObject();
        HearingState.Read(written)!.WriteTo(again);
        Assert.Equal(written.ToJsonString(), again.ToJsonString());
        Assert.Equal([Skive, Aarhus], HearingState.Read(written)!.Parties);
    }

    [Fact]
    public void BeforeTheRoundIsSent_ThereIsNoState() => Assert.Null(HearingState.Read([]));

    [Fact]
    public void AnswerStimulus_TravelsAsItsPayload()
    {
        var answer = new PartyAnswer(Guid.CreateVersion7(), Aarhus, Deadline - Duration.FromHours(1), "email", "Vi støtter.", false, null, "postkasse@aarhus.kommune.example",
            "abc@aarhus.example", [new StoredAttachment(Guid.CreateVersion7(), "svar.pdf", "application/pdf", 1234, "00ff", "2019/10/x")]);
        var stimulus = new AnswerReceived(answer, "postkasse@aarhus.kommune.example") { Actor = "email" };

        var read = Assert.IsType<AnswerReceived>(HearingStimulus.Read("answer", stimulus.ToPayload()));

        Assert.Equal(stimulus with { Answer = answer with { Attachments = [] } }, read with { Answer = read.Answer with { Attachments = [] } });
        Assert.Equal(answer.Attachments, read.Answer.Attachments);
        Assert.Equal("hearing:answer", stimulus.SignalFor("hearing"));
    }

    [Fact]
    public void StimulusFromBeforeTheTypedBoundary_WithoutAnActor_IsRead()
    {
        var read = HearingStimulus.Read("remind", new JsonObject { ["partyTaskId"] = Skive.ToString() });
        Assert.Equal(new RemindNow(Skive) { Actor = "ukendt" }, read);
        Assert.Null(HearingStimulus.Read("remind", JsonValue.Create("not an object")));
        Assert.Null(HearingStimulus.Read("no-such-kind", new JsonObject()));
    }

    [Theory]
    [InlineData("reject", 0, false, null, null)]
    [InlineData("reject", 1, false, null, AnswerRefusal.Late)]
    [InlineData("acceptUntil", 1, false, null, null)]
    [InlineData("acceptUntil", 1, true, null, AnswerRefusal.LateReplacement)]
    [InlineData("acceptUntil", 25, false, null, AnswerRefusal.Closed)]
    public void Admit_FollowsTheLatePolicy(string latePolicy, int hoursAfterDeadline, bool answeredBefore, string? decision, AnswerRefusal? expected)
    {
        var state = new HearingState { Title = "Høring", LatePolicy = latePolicy, CloseAt = Deadline + Duration.FromHours(latePolicy == "reject" ? 0 : 24) };
        Assert.Equal(expected, HearingRules.Admit(state, Deadline, answeredBefore, Deadline + Duration.FromHours(hoursAfterDeadline) - Duration.FromMinutes(hoursAfterDeadline == 0 ? 1 : 0), decision));
    }

    [Fact]
    public void Admit_AnApprovalRoundNeedsADecision()
    {
        var state = new HearingState { Title = "Rammeaftale", Ask = HearingAsk.Approval, CloseAt = Deadline };
        var before = Deadline - Duration.FromDays(1);
        Assert.Equal(AnswerRefusal.DecisionMissing, HearingRules.Admit(state, Deadline, false, before, null));
        Assert.Equal(AnswerRefusal.DecisionMissing, HearingRules.Admit(state, Deadline, false, before, "maybe"));
        Assert.Null(HearingRules.Admit(state, Deadline, false, before, "rejected"));
    }
}
