using NodaTime;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Runtime;
using Workflows.Tests.Fakes;
using static Workflows.Tests.Runtime.FlowBuilder;

namespace Workflows.Tests.Activities;

/// <summary>
/// A hearing that asks for a decision (godkendelse or tiltrædelse) instead of a høringssvar: one decision per party,
/// counted against a quorum, with a warning when not all have acceded by the entry into force.
/// </summary>
public class ApprovalRoundTests
{
    // Monday 4 November 2019, 10:00 in Copenhagen.
    private static readonly Instant Sent = Instant.FromUtc(2019, 11, 4, 9, 0);

    private static async Task<(EngineHarness Harness, Guid Id)> StartAsync(string type, string properties)
    {
        var harness = new EngineHarness(Sent);
        var id = await harness.PublishAsync(
            List(
                """{ "id": "start", "type": "Start" }""",
                $$"""{ "id": "round", "type": "{{type}}", "title": "Samarbejdsaftale om akutfunktioner", "sender": "KKR Hovedstaden", "resultVariable": "result", {{properties}} }""",
                """{ "id": "approved", "type": "SetVariable", "variable": "outcome", "value": "Approved" }""",
                """{ "id": "not", "type": "SetVariable", "variable": "outcome", "value": "NotApproved" }"""),
            List(C("start", "round"), C("round", "approved", "Approved"), C("round", "not", "NotApproved")),
            """ "variables": [ { "name": "result" }, { "name": "outcome" } ] """);
        return (harness, (await harness.StartAsync(id)).Id);
    }

    private static async Task Decide(EngineHarness harness, Guid id, string partyId, string? decision)
    {
        var task = (await harness.ReloadAsync(id)).PartyTasks.Single(t => t.PartyId == partyId);
        await Stimuli.DeliverAsync(harness, id, "round", Stimuli.Answer(task, harness.Clock.GetCurrentInstant(), text: null, decision: decision));
    }

    private static List<string> Journal(EngineHarness harness, Guid id) =>
        harness.Instances.Journal.Where(j => j.InstanceId == id).Select(j => j.Message).ToList();

    private const string Accession = """
        "ask": "accession", "parties": [ "albertslund", "ballerup", "bornholm" ],
        "deadline": { "date": "2020-01-31", "at": "12:00" }, "effectiveDate": { "date": "2020-02-01" }
        """;

    /// <remarks>As an <c>Approval</c>, and as a <c>Hearing</c> that asks for approval (definitions from before <c>Approval</c>).</remarks>
    [Theory]
    [InlineData("Approval")]
    [InlineData("Hearing")]
    public async Task Send_UsesTheApprovalTemplates_AndNamesTheEntryIntoForce(string type)
    {
        var (harness, id) = await StartAsync(type, Accession);

        var mails = harness.Instances.Outbox.Where(m => m.InstanceId == id).ToList();
        Assert.Equal(3, mails.Count);
        Assert.All(mails, m => Assert.Equal("approval-request", m.Template));
        Assert.All(mails, m => Assert.Equal("lørdag den 1. februar 2020", m.Model!["effectiveDate"]!.GetValue<string>()));
        Assert.All(mails, m => Assert.Equal("accession", m.Model!["ask"]!.GetValue<string>()));
        Assert.Contains("'Samarbejdsaftale om akutfunktioner' sendes til tiltrædelse hos 3 parter med frist fredag den 31. januar 2020 kl. 12.00; træder i kraft lørdag den 1. februar 2020.", Journal(harness, id));
    }

    /// <remarks>As an <c>Approval</c>, and as a <c>Hearing</c> that asks for approval (definitions from before <c>Approval</c>).</remarks>
    [Theory]
    [InlineData("Approval")]
    [InlineData("Hearing")]
    public async Task AllAccede_ApprovedWithoutWarning(string type)
    {
        var (harness, id) = await StartAsync(type, Accession);

        foreach (var party in new[] { "albertslund", "ballerup", "bornholm" })
        {
            await Decide(harness, id, party, "approved");
        }

        var instance = await harness.ReloadAsync(id);
        Assert.Equal("Approved", instance.State.Variables["outcome"]!.GetValue<string>());
        Assert.Equal(3, instance.State.Variables["result"]!["approved"]!.GetValue<int>());
        Assert.DoesNotContain(Journal(harness, id), l => l.StartsWith("Advarsel", StringComparison.Ordinal));
        Assert.All(instance.PartyTasks, t => Assert.Equal("approved", t.Decision));
        Assert.Equal(3, harness.Instances.Outbox.Count(m => m.InstanceId == id && m.Template == "approval-receipt"));
    }

    /// <remarks>As an <c>Approval</c>, and as a <c>Hearing</c> that asks for approval (definitions from before <c>Approval</c>).</remarks>
    [Theory]
    [InlineData("Approval")]
    [InlineData("Hearing")]
    public async Task OneDeclinesOneSilent_NotApprovedAtTheDeadline_WithTheWarningNamingTheMissing(string type)
    {
        var (harness, id) = await StartAsync(type, Accession);
        await Decide(harness, id, "albertslund", "approved");
        await Decide(harness, id, "ballerup", "rejected");

        await harness.AdvanceAsync(Duration.FromDays(90));

        var instance = await harness.ReloadAsync(id);
        Assert.Equal("NotApproved", instance.State.Variables["outcome"]!.GetValue<string>());
        var result = instance.State.Variables["result"]!;
        Assert.Equal((1, 1, 2), (result["approved"]!.GetValue<int>(), result["rejected"]!.GetValue<int>(), result["answered"]!.GetValue<int>()));
        Assert.Contains("Runden er afsluttet: 1 af 3 har tiltrådt (3 kræves), 1 har ikke, 1 har ikke svaret.", Journal(harness, id));
        Assert.Contains("Advarsel: kun 1 af 3 har tiltrådt 'Samarbejdsaftale om akutfunktioner' til ikrafttrædelsen lørdag den 1. februar 2020. Mangler: Ballerup Kommune, Bornholms Regionskommune.", Journal(harness, id));
    }

    /// <remarks>As an <c>Approval</c>, and as a <c>Hearing</c> that asks for approval (definitions from before <c>Approval</c>).</remarks>
    [Theory]
    [InlineData("Approval")]
    [InlineData("Hearing")]
    public async Task Quorum_TwoOfThreeIsEnough(string type)
    {
        var (harness, id) = await StartAsync(type, """
            "ask": "approval", "quorum": 2, "parties": [ "albertslund", "ballerup", "bornholm" ], "deadline": { "date": "2020-01-31", "at": "12:00" }
            """);
        await Decide(harness, id, "albertslund", "approved");
        await Decide(harness, id, "ballerup", "approved");
        await Decide(harness, id, "bornholm", "rejected");

        Assert.Equal("Approved", (await harness.ReloadAsync(id)).State.Variables["outcome"]!.GetValue<string>());
        Assert.Contains("Runden er afsluttet: 2 af 3 har godkendt (2 kræves), 1 har ikke, 0 har ikke svaret.", Journal(harness, id));
    }

    /// <remarks>As an <c>Approval</c>, and as a <c>Hearing</c> that asks for approval (definitions from before <c>Approval</c>).</remarks>
    [Theory]
    [InlineData("Approval")]
    [InlineData("Hearing")]
    public async Task AnswerWithoutDecision_IsIgnoredAndJournaled(string type)
    {
        var (harness, id) = await StartAsync(type, Accession);

        await Decide(harness, id, "albertslund", null);

        var instance = await harness.ReloadAsync(id);
        Assert.False(instance.PartyTasks.Single(t => t.PartyId == "albertslund").IsAnswered);
        Assert.Contains("Svar fra Albertslund Kommune uden en beslutning (godkendt eller ikke godkendt) er ignoreret.", Journal(harness, id));
    }

    /// <remarks>As an <c>Approval</c>, and as a <c>Hearing</c> that asks for approval (definitions from before <c>Approval</c>).</remarks>
    [Theory]
    [InlineData("Approval")]
    [InlineData("Hearing")]
    public async Task QuorumLargerThanTheParties_FaultsNamingQuorum(string type)
    {
        var (harness, id) = await StartAsync(type, """
            "ask": "approval", "quorum": 4, "parties": [ "albertslund", "ballerup", "bornholm" ], "deadline": { "date": "2020-01-31", "at": "12:00" }
            """);

        Assert.Equal(WorkflowStatus.Faulted, (await harness.ReloadAsync(id)).Status);
        Assert.Contains(harness.Instances.Incidents, i => i.Message.Contains("quorum", StringComparison.Ordinal) && i.Message.Contains("more than the 3 parties", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(""" "quorum": 2 """, "$.root.activities[1].quorum")]
    [InlineData(""" "effectiveDate": { "date": "2020-02-01" } """, "$.root.activities[1].effectiveDate")]
    public void Parse_ApprovalPropertiesOnAPlainHearing_AreErrors(string property, string path)
    {
        var result = DefinitionParser.Default.Parse($$"""
            { "definitionId": "x", "name": "x", "root": { "type": "Flowchart",
              "activities": [ { "id": "start", "type": "Start" },
                { "id": "h", "type": "Hearing", "title": "T", "parties": "midtjylland", "deadline": { "date": "2020-01-31" }, {{property}} } ],
              "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "h", "port": "In" } } ] } }
            """);

        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains("\"approval\" or \"accession\"", StringComparison.Ordinal));
    }
}
