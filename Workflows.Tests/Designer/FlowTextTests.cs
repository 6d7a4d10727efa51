using System.Text.Json.Nodes;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Designer;
using Workflows.Definitions.Parties;

namespace Workflows.Tests.Designer;

/// <summary>"Læs som tekst" and the diff on their own, without a host.</summary>
public sealed class FlowTextTests
{
    private static readonly FlowNarrator Narrator = new(ActivityRegistry.Default, PartyDirectory.LoadReference());
    private static readonly DefinitionDiff Diff = new(ActivityRegistry.Default, PartyDirectory.LoadReference());

    private static JsonObject Hearing(JsonNode parties, JsonNode deadline) => JsonNode.Parse($$"""
        {
          "definitionId": "erhvervsfremme", "name": "Erhvervsfremmestrategi",
          "root": {
            "activities": [
              { "id": "start", "type": "Start" },
              { "id": "hearing", "type": "Hearing", "name": "Høring i kommunerne", "title": "x", "parties": {{parties.ToJsonString()}},
                "deadline": {{deadline.ToJsonString()}}, "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ] },
              { "id": "done", "type": "Finish", "name": "Alle har svaret" },
              { "id": "late", "type": "Finish", "name": "Fristen er udløbet" }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "hearing" } },
              { "source": { "activity": "hearing", "port": "AllAnswered" }, "target": { "activity": "done" } },
              { "source": { "activity": "hearing", "port": "DeadlinePassed" }, "target": { "activity": "late" } }
            ]
          }
        }
        """)!.AsObject();

    [Fact]
    public void Hearing_ToARegion_WithAnAbsoluteDeadline_InDanish()
    {
        var lines = Narrator.Describe(Hearing(JsonValue.Create("midtjylland"), JsonNode.Parse("""{ "date": "2019-10-31", "at": "12:00" }""")!));
        Assert.Equal(
            [
                "Forløbet »Erhvervsfremmestrategi«:",
                "1. Forløbet starter. Derefter trin 2.",
                "2. Høring i kommunerne: sendes i høring til de 19 kommuner i Region Midtjylland med frist torsdag den 31. oktober 2019 kl. 12.00; påmindelse 3 arbejdsdage før fristen kl. 9.00. Ved »Alle har svaret«: trin 3. Ved »Fristen er udløbet«: trin 4.",
                "3. Forløbet slutter: Alle har svaret.",
                "4. Forløbet slutter: Fristen er udløbet.",
            ],
            lines);
    }

    [Fact]
    public void Hearing_WithPartiesAndDeadlineFromTheInput_SaysSo_AndTheTextIsTheSameEveryTime()
    {
        var flow = Hearing(JsonNode.Parse("""{ "expression": "input.parties" }""")!, JsonNode.Parse("""{ "expression": "input.deadline" }""")!);
        var lines = Narrator.Describe(flow);
        Assert.Equal(
            "2. Høring i kommunerne: sendes i høring til parterne angivet ved start (input.parties) med frist angives ved start (input.deadline); påmindelse 3 arbejdsdage før fristen kl. 9.00. Ved »Alle har svaret«: trin 3. Ved »Fristen er udløbet«: trin 4.",
            lines[2]);
        Assert.Equal(lines, Narrator.Describe(flow));
    }

    [Fact]
    public void Diff_RemovedAndRenamedActivities_AndTheDefinitionsName_MovingIsNoChange()
    {
        var before = Hearing(JsonValue.Create("midtjylland"), JsonNode.Parse("""{ "workingDays": 15, "at": "12:00" }""")!);
        var after = before.DeepClone().AsObject();
        after["name"] = "Erhvervsfremmestrategi 2020-2023";
        var activities = after["root"]!["activities"]!.AsArray();
        activities[1]!["name"] = "Høring";
        activities[1]!["parties"] = "sjaelland";
        activities[1]!["metadata"] = JsonNode.Parse("""{ "designer": { "position": { "x": 500, "y": 40 } } }""");
        activities[1]!["deadline"] = JsonNode.Parse("""{ "date": "2019-10-31", "at": "12:00" }""");
        activities[1]!["reminders"] = JsonNode.Parse("""[ { "workingDaysBefore": 2, "at": "09:00" } ]""");
        activities.RemoveAt(3);
        after["root"]!["connections"]!.AsArray().RemoveAt(2);

        Assert.Equal(
            [
                new DefinitionChange("definition", null, "Navn: »Erhvervsfremmestrategi« → »Erhvervsfremmestrategi 2020-2023«"),
                new DefinitionChange("removed", "late", "Aktivitet fjernet: Fristen er udløbet"),
                new DefinitionChange("changed", "hearing", "Aktivitet omdøbt: Høring i kommunerne → Høring"),
                new DefinitionChange("changed", "hearing", "Høring – Parter: de 19 kommuner i Region Midtjylland → de 17 kommuner i Region Sjælland"),
                new DefinitionChange("changed", "hearing", "Høring – Frist: 15 arbejdsdage efter afsendelse kl. 12.00 → torsdag den 31. oktober 2019 kl. 12.00"),
                new DefinitionChange("changed", "hearing", "Høring – Påmindelser: påmindelse 3 arbejdsdage før fristen kl. 9.00 → påmindelse 2 arbejdsdage før fristen kl. 9.00"),
                new DefinitionChange("disconnected", "hearing", "Forbindelse fjernet: Høring i kommunerne (Fristen er udløbet) → Fristen er udløbet"),
            ],
            Diff.Compare(before, after));
    }
}
