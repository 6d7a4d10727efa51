using System.Text.Json.Nodes;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Parties;

namespace Workflows.Tests.Definitions;

public class InputTypesTests
{
    private static readonly DateTimeZone Copenhagen = DateTimeZoneProviders.Tzdb["Europe/Copenhagen"];

    /// <summary>Tuesday 1 October 2019, 10:00 in Copenhagen.</summary>
    private static readonly InputContext AtStart = new(
        PartyDirectory.LoadReference(), new DeadlineCalculator(new WorkingDayCalendar(), Copenhagen), Instant.FromUtc(2019, 10, 1, 8, 0));

    private static List<(string Path, string Message)> Check(string type, string json, string name, InputContext? context)
    {
        var errors = new List<ValidationError>();
        InputTypes.Check(type, JsonNode.Parse(json)!, $"$.input.{name}", errors, context);
        return errors.Select(e => (e.Path, e.Message)).ToList();
    }

    private static List<(string Path, string Message)> AtStartCheck(string type, string json, string name) => Check(type, json, name, AtStart);

    [Theory]
    [InlineData("""{ "date": "2019-10-31", "at": "12:00" }""")]
    [InlineData("""{ "workingDays": 10, "at": "12:00" }""")]
    [InlineData("""{ "weeks": 4 }""")]
    [InlineData("""{ "isoWeek": "2019-W44" }""")]
    public void Deadline_ValidAndAhead_HasNoErrors(string json) =>
        Assert.Empty(AtStartCheck("deadline", json, "deadline"));

    [Theory]
    [InlineData("""{ "date": "2026-02-30", "at": "12:00" }""", "$.input.deadline.date", "Skal være en dato \"YYYY-MM-DD\" mellem år 1700 og 9998, fx \"2019-10-31\".")]
    [InlineData("""{ "workingDays": "ti" }""", "$.input.deadline.workingDays", "Skal være et helt tal fra 0 til 3650.")]
    [InlineData("""{ "date": "2019-10-31", "at": "25:00" }""", "$.input.deadline.at", "Skal være et klokkeslæt \"HH:mm\" (24 timer), fx \"12:00\".")]
    [InlineData("""{ "at": "12:00" }""", "$.input.deadline", "Angiv fristen med én af date, workingDays, days, weeks eller isoWeek.")]
    [InlineData("""{ "date": "2019-10-31", "At": "12:00" }""", "$.input.deadline.At", "Ukendt felt; mente du \"at\"? Feltnavne skelner mellem store og små bogstaver.")]
    [InlineData("\"2019-10-31\"", "$.input.deadline", "Fristen skal være et objekt, fx { \"date\": \"2019-10-31\", \"at\": \"12:00\" } eller { \"workingDays\": 10, \"at\": \"12:00\" }.")]
    public void Deadline_Malformed_IsReportedAtThePathOfItsField(string json, string path, string message) =>
        Assert.Equal([(path, message)], AtStartCheck("deadline", json, "deadline"));

    [Theory]
    [InlineData("""{ "date": "2019-09-30", "at": "12:00" }""", "mandag den 30. september 2019 kl. 12.00 has already passed")]
    [InlineData("""{ "date": "2019-10-01", "at": "10:00" }""", "tirsdag den 1. oktober 2019 kl. 10.00 has already passed")]
    [InlineData("""{ "workingDays": 0, "at": "09:00" }""", "tirsdag den 1. oktober 2019 kl. 9.00 has already passed")]
    public void Deadline_AlreadyPassedAtStart_IsAnError(string json, string message) =>
        Assert.Equal([("$.input.deadline", message)], AtStartCheck("deadline", json, "deadline"));

    [Fact]
    public void Deadline_WithoutContext_ChecksOnlyTheForm()
    {
        Assert.Empty(Check("deadline", """{ "date": "2019-09-30", "at": "12:00" }""", "deadline", null));
        Assert.Equal(
            [("$.input.deadline.workingDays", "Skal være et helt tal fra 0 til 3650.")],
            Check("deadline", """{ "workingDays": -1 }""", "deadline", null));
    }

    [Theory]
    [InlineData("\"midtjylland\"")]
    [InlineData("\"kkr-alle\"")]
    [InlineData("""["koebenhavn", "frederiksberg", "hovedstaden"]""")]
    public void Parties_Known_HaveNoErrors(string json) =>
        Assert.Empty(AtStartCheck("parties", json, "parties"));

    [Theory]
    [InlineData("""["koebenhavn", "nope"]""", "$.input.parties[1]", "Unknown party, group or region 'nope'.")]
    [InlineData("""["koebenhavn", "frederiksberg", "arhus"]""", "$.input.parties[2]", "Unknown party, group or region 'arhus'. Did you mean 'aarhus'?")]
    [InlineData("\"atlantis\"", "$.input.parties", "Unknown party, group or region 'atlantis'.")]
    [InlineData("\"\"", "$.input.parties", "Empty party selector.")]
    [InlineData("[]", "$.input.parties", "must name at least one party")]
    [InlineData("""["aarhus", 5]""", "$.input.parties[1]", "must be a text: a region, group or party id")]
    [InlineData("5", "$.input.parties", "must be a region (\"midtjylland\"), a group or party id, or a list of these")]
    [InlineData("""{ "region": "midtjylland" }""", "$.input.parties", "must be a region (\"midtjylland\"), a group or party id, or a list of these")]
    public void Parties_UnknownOrMalformed_IsReportedAtTheSelector(string json, string path, string message) =>
        Assert.Equal([(path, message)], AtStartCheck("parties", json, "parties"));

    [Fact]
    public void Parties_KommuneCodeIsNotAnId_EachUnknownSelectorIsReported() =>
        Assert.Equal(
            ["$.input.parties[0]", "$.input.parties[1]"],
            AtStartCheck("parties", """["101", "nope"]""", "parties").Select(e => e.Path));

    [Fact]
    public void Parties_WithoutContext_ChecksOnlyTheForm()
    {
        Assert.Empty(Check("parties", """["nope"]""", "parties", null));
        Assert.Equal([("$.input.parties", "must name at least one party")], Check("parties", "[]", "parties", null));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{ "workingDaysBefore": 3, "at": "09:00" }, { "daysBefore": 7 }]""")]
    public void Reminders_Valid_HaveNoErrors(string json) =>
        Assert.Empty(AtStartCheck("reminders", json, "reminders"));

    [Theory]
    [InlineData("""[{ "workingDaysBefore": -1 }]""", "$.input.reminders[0].workingDaysBefore", "Skal være et helt tal fra 0 til 3650.")]
    [InlineData("""[{ "workingDaysBefore": 3 }, { "workingDaysBefore": 1, "at": "9" }]""", "$.input.reminders[1].at", "Skal være et klokkeslæt \"HH:mm\" (24 timer), fx \"12:00\".")]
    [InlineData("""[{ "workingDaysBefore": 3 }, { "workingDaysAfter": 1 }]""", "$.input.reminders[1]", "is a rykker (after the deadline); a reminder comes before it, e.g. { \"workingDaysBefore\": 3, \"at\": \"09:00\" }")]
    [InlineData("""{ "workingDaysBefore": 3 }""", "$.input.reminders", "Påmindelserne skal være en liste, fx [{ \"workingDaysBefore\": 3, \"at\": \"09:00\" }].")]
    public void Reminders_Malformed_IsReportedAtThePathOfItsField(string json, string path, string message) =>
        Assert.Equal([(path, message)], AtStartCheck("reminders", json, "reminders"));

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{ "title": "Udkast", "url": "https://www.example.dk/udkast.pdf" }, { "title": "Bilag" }, { "title": "Notat", "url": "HTTP://example.dk/n" }]""")]
    public void Material_Valid_HasNoErrors(string json) =>
        Assert.Empty(AtStartCheck("material", json, "material"));

    [Theory]
    [InlineData("""[{ "title": "Udkast", "url": "ftp://example.dk/udkast.pdf" }]""", "$.input.material[0].url", "must be an http(s) address")]
    [InlineData("""[{ "title": "Udkast", "url": "udkast.pdf" }]""", "$.input.material[0].url", "must be an http(s) address")]
    [InlineData("""[{ "title": "Udkast" }, { "url": "https://example.dk/b.pdf" }]""", "$.input.material[1].title", "is required")]
    [InlineData("""[{ "title": "  " }]""", "$.input.material[0].title", "must be a text that is not empty")]
    [InlineData("""[{ "title": "Udkast", "URL": "https://example.dk/u.pdf" }]""", "$.input.material[0].URL", "is not a field of material (fields: title, url)")]
    [InlineData("""["Udkast"]""", "$.input.material[0]", "must be an object { \"title\": \"…\", \"url\": \"…\" }")]
    [InlineData("""{ "title": "Udkast" }""", "$.input.material", "must be a list of { \"title\": \"…\", \"url\": \"…\" }")]
    public void Material_Malformed_IsReportedAtThePathOfItsField(string json, string path, string message) =>
        Assert.Equal([(path, message)], AtStartCheck("material", json, "material"));

    [Theory]
    [InlineData("\"reject\"")]
    [InlineData("""{ "mode": "reject" }""")]
    [InlineData("""{ "mode": "acceptUntil", "until": { "date": "2019-11-08", "at": "09:00" } }""")]
    [InlineData("""{ "mode": "acceptAndMarkLate", "until": { "workingDays": 5 } }""")]
    public void LatePolicy_Valid_HasNoErrors(string json) =>
        Assert.Empty(AtStartCheck("latePolicy", json, "latePolicy"));

    [Theory]
    [InlineData("\"accept\"", "$.input.latePolicy", "must be \"reject\", or { \"mode\": \"acceptUntil\", \"until\": { \"date\": \"…\", \"at\": \"…\" } }")]
    [InlineData("""{ "mode": "later" }""", "$.input.latePolicy.mode", "must be \"reject\" or \"acceptUntil\"")]
    [InlineData("""{ "until": { "date": "2019-11-08" } }""", "$.input.latePolicy.mode", "is required: \"reject\" or \"acceptUntil\"")]
    [InlineData("""{ "mode": "acceptUntil" }""", "$.input.latePolicy.until", "Fristen mangler; fx { \"date\": \"2019-10-31\", \"at\": \"12:00\" } eller { \"workingDays\": 10, \"at\": \"12:00\" }.")]
    [InlineData("""{ "mode": "acceptUntil", "until": { "date": "2019-11-08", "at": "9" } }""", "$.input.latePolicy.until.at", "Skal være et klokkeslæt \"HH:mm\" (24 timer), fx \"12:00\".")]
    [InlineData("""{ "mode": "reject", "until": { "date": "2019-11-08" } }""", "$.input.latePolicy.until", "applies only when the mode is \"acceptUntil\"")]
    [InlineData("""{ "mode": "reject", "untill": 1 }""", "$.input.latePolicy.untill", "is not a field of a late policy (fields: mode, until)")]
    public void LatePolicy_Malformed_IsReportedAtThePathOfItsField(string json, string path, string message) =>
        Assert.Equal([(path, message)], AtStartCheck("latePolicy", json, "latePolicy"));

    [Theory]
    [InlineData("string", "5", "must be a text")]
    [InlineData("integer", "1.5", "must be a whole number")]
    [InlineData("date", "\"2019-02-30\"", "must be a date written YYYY-MM-DD")]
    [InlineData("object", "[]", "must be an object")]
    [InlineData("array", "{}", "must be a list")]
    public void JsonKinds_WrongKind_IsOneErrorAtTheInput(string type, string json, string message) =>
        Assert.Equal([("$.input.x", message)], AtStartCheck(type, json, "x"));

    [Fact]
    public void All_OffersTheHearingTypesBesideTheJsonKinds() =>
        Assert.Equal(
            ["string", "number", "integer", "boolean", "date", "object", "array", "any", "deadline", "parties", "reminders", "material", "latePolicy"],
            InputTypes.All);
}
