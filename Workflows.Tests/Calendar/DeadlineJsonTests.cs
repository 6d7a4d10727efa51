using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Calendar;

namespace Workflows.Tests.Calendar;

public class DeadlineJsonTests
{
    private readonly List<(string Path, string Message)> errors = [];

    [Theory]
    [InlineData("""{ "date": "2019-10-31", "at": "12:00" }""")]
    [InlineData("""{ "workingDays": 10, "at": "12:00" }""")]
    [InlineData("""{ "days": 30 }""")]
    [InlineData("""{ "weeks": 4, "at": "12:00" }""")]
    [InlineData("""{ "isoWeek": "2022-W12" }""")]
    [InlineData("""{ "isoWeek": "2022-W12-5", "at": "09:30" }""")]
    public void Parse_ValidForms_RoundTripThroughToJson(string json)
    {
        var spec = DeadlineJson.Parse(JsonNode.Parse(json), errors);

        Assert.Empty(errors);
        Assert.NotNull(spec);
        Assert.Equal(spec, DeadlineJson.Parse(DeadlineJson.ToJson(spec), errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void Parse_Date_GivesAtWithTime()
    {
        var spec = DeadlineJson.Parse(JsonNode.Parse("""{ "date": "2019-10-31", "at": "12:00" }"""), errors);

        Assert.Equal(new DeadlineSpec.At(new LocalDate(2019, 10, 31), new LocalTime(12, 0)), spec);
    }

    [Fact]
    public void Parse_WorkingDaysWithoutTime_LeavesTimeForPolicy()
    {
        var spec = DeadlineJson.Parse(JsonNode.Parse("""{ "workingDays": 10 }"""), errors);

        Assert.Equal(new DeadlineSpec.WorkingDaysAfter(10), spec);
    }

    [Fact]
    public void Parse_YearAndWeekWithDayName_GivesIsoWeek()
    {
        var spec = DeadlineJson.Parse(JsonNode.Parse("""{ "year": 2022, "week": 12, "day": "torsdag" }"""), errors);

        Assert.Empty(errors);
        Assert.Equal(new DeadlineSpec.IsoWeek(2022, 12, IsoDayOfWeek.Thursday), spec);
    }

    [Fact]
    public void Parse_IsoWeekText_GivesIsoWeek()
    {
        var spec = DeadlineJson.Parse(JsonNode.Parse("""{ "isoWeek": "2022-W12" }"""), errors);

        Assert.Equal(new DeadlineSpec.IsoWeek(2022, 12), spec);
    }

    [Theory]
    [InlineData("""{ "workingDays": -1 }""", "workingDays")]
    [InlineData("""{ "workingDays": 2.5 }""", "workingDays")]
    [InlineData("""{ "workingDays": "10" }""", "workingDays")]
    [InlineData("""{ "days": 100000 }""", "days")]
    [InlineData("""{ "weeks": null }""", "weeks")]
    [InlineData("""{ "date": "31-10-2019" }""", "date")]
    [InlineData("""{ "date": "2019-02-30" }""", "date")]
    [InlineData("""{ "date": 20191031 }""", "date")]
    [InlineData("""{ "date": "2019-10-31", "at": "12.00" }""", "at")]
    [InlineData("""{ "date": "2019-10-31", "at": "25:00" }""", "at")]
    [InlineData("""{ "date": "2019-10-31", "At": "12:00" }""", "At")]
    [InlineData("""{ "date": "2019-10-31", "kind": "hard" }""", "kind")]
    [InlineData("""{ "date": "2019-10-31", "days": 3 }""", "days")]
    [InlineData("""{ "date": "2019-10-31", "day": 3 }""", "day")]
    [InlineData("""{ "isoWeek": "2022-12" }""", "isoWeek")]
    [InlineData("""{ "isoWeek": "2022-W53" }""", "isoWeek")]
    [InlineData("""{ "isoWeek": "2022-W12-5", "day": 3 }""", "day")]
    [InlineData("""{ "isoWeek": "2022-W12", "year": 2022 }""", "year")]
    [InlineData("""{ "year": 2022, "week": 54 }""", "week")]
    [InlineData("""{ "week": 12 }""", "year")]
    [InlineData("""{ "year": 2022, "week": 12, "day": "fredagen" }""", "day")]
    [InlineData("""{ "at": "12:00" }""", "")]
    [InlineData("""{ }""", "")]
    [InlineData("""[ 1 ]""", "")]
    [InlineData("""10""", "")]
    public void Parse_InvalidInput_ReportsErrorAtField(string json, string path)
    {
        var spec = DeadlineJson.Parse(JsonNode.Parse(json), errors);

        Assert.Null(spec);
        Assert.Contains(errors, e => e.Path == path);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void Parse_Null_ReportsMissingDeadline()
    {
        Assert.Null(DeadlineJson.Parse(null, errors));

        Assert.Equal([("", "Fristen mangler; fx { \"date\": \"2019-10-31\", \"at\": \"12:00\" } eller { \"workingDays\": 10, \"at\": \"12:00\" }.")], errors);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEach()
    {
        DeadlineJson.Parse(JsonNode.Parse("""{ "workingDays": -3, "at": "noon", "colour": "red" }"""), errors);

        Assert.Equal(["at", "colour", "workingDays"], errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_WrongCase_SuggestsTheField()
    {
        DeadlineJson.Parse(JsonNode.Parse("""{ "workingdays": 3 }"""), errors);

        Assert.Contains(errors, e => e.Path == "workingdays" && e.Message.Contains("\"workingDays\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "workingDaysBefore": 3, "at": "09:00" }""", ReminderKind.WorkingDaysBefore, 3, 9)]
    [InlineData("""{ "daysBefore": 7 }""", ReminderKind.DaysBefore, 7, null)]
    [InlineData("""{ "workingDaysAfter": 1, "at": "09:00" }""", ReminderKind.WorkingDaysAfter, 1, 9)]
    public void ParseReminder_ValidForms_ParsesKindDaysAndTime(string json, ReminderKind kind, int days, int? hour)
    {
        var reminder = DeadlineJson.ParseReminder(JsonNode.Parse(json), errors);

        Assert.Empty(errors);
        Assert.Equal(new ReminderSpec(kind, days, hour is { } h ? new LocalTime(h, 0) : null), reminder);
        Assert.Equal(reminder, DeadlineJson.ParseReminder(DeadlineJson.ToJson(reminder!), errors));
    }

    [Theory]
    [InlineData("""{ "workingDaysBefore": -1 }""", "workingDaysBefore")]
    [InlineData("""{ "workingDaysAfter": 0 }""", "workingDaysAfter")]
    [InlineData("""{ "daysBefore": 7, "at": "9" }""", "at")]
    [InlineData("""{ "daysBefore": 7, "workingDaysBefore": 2 }""", "workingDaysBefore")]
    [InlineData("""{ "hoursBefore": 7 }""", "hoursBefore")]
    [InlineData("""{ "at": "09:00" }""", "")]
    [InlineData("\"3 dage før\"", "")]
    public void ParseReminder_InvalidInput_ReportsErrorAtField(string json, string path)
    {
        Assert.Null(DeadlineJson.ParseReminder(JsonNode.Parse(json), errors));

        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void ParseReminders_Array_PrefixesPathsWithIndex()
    {
        var reminders = DeadlineJson.ParseReminders(
            JsonNode.Parse("""[{ "workingDaysBefore": 3, "at": "09:00" }, { "daysBefore": "x" }, { "workingDaysAfter": 1 }]"""), errors);

        Assert.Null(reminders);
        Assert.Equal("[1].daysBefore", Assert.Single(errors).Path);
    }

    [Fact]
    public void ParseReminders_ValidArray_ParsesAll()
    {
        var reminders = DeadlineJson.ParseReminders(JsonNode.Parse("""[{ "workingDaysBefore": 3 }, { "workingDaysAfter": 1 }]"""), errors);

        Assert.Equal([ReminderSpec.WorkingDaysBefore(3), ReminderSpec.WorkingDaysAfter(1)], reminders);
    }

    [Fact]
    public void Parse_NodesBuiltInCode_AreReadToo()
    {
        var node = new JsonObject { ["workingDays"] = 5, ["at"] = "12:00" };

        Assert.Equal(new DeadlineSpec.WorkingDaysAfter(5, new LocalTime(12, 0)), DeadlineJson.Parse(node, errors));
    }
}
