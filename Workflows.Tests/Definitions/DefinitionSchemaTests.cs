using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;

namespace Workflows.Tests.Definitions;

public class DefinitionSchemaTests
{
    /// <summary>Set to 1 to (re)write <c>definitions-json/definition.schema.json</c> instead of failing.</summary>
    private const string WriteSchemaVariable = "PROCESFLOW_WRITE_SCHEMA";

    private static readonly JsonSerializerOptions FileFormat = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        // Danish titles stay readable (æ, ø, å) instead of becoming \u00E6 escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonObject Schema = DefinitionSchema.Build(ActivityRegistry.Default);

    private static JsonObject Defs => Schema["$defs"]!.AsObject();

    public static TheoryData<string> ActivityTypes
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var descriptor in ActivityRegistry.Default.All)
            {
                data.Add(descriptor.Type);
            }
            return data;
        }
    }

    public static TheoryData<string, string> ActivityProperties
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var descriptor in ActivityRegistry.Default.All)
            {
                foreach (var property in descriptor.Properties)
                {
                    data.Add(descriptor.Type, property.Name);
                }
            }
            return data;
        }
    }

    /// <summary>The schema file's exact text: indented with two spaces, UTF-8 without BOM, \n line endings and a trailing newline.</summary>
    internal static string FileText(JsonObject schema) => schema.ToJsonString(FileFormat) + "\n";

    [Fact]
    public void Build_CommittedSchemaFile_MatchesTheRegistry()
    {
        var path = Path.Combine(DefinitionsFolder.Path, "definition.schema.json");
        var expected = FileText(DefinitionSchema.Build(ActivityRegistry.Default));
        if (Environment.GetEnvironmentVariable(WriteSchemaVariable) == "1")
        {
            File.WriteAllText(path, expected, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;
        Assert.True(actual == expected,
            $"definitions-json/definition.schema.json is {(actual is null ? "missing" : "out of date (" + FirstDifference(actual, expected) + ")")}. "
            + "It is generated from the activity registry; regenerate it and commit the result:\n"
            + $"  {WriteSchemaVariable}=1 dotnet test Workflows.Tests --filter \"FullyQualifiedName~{nameof(DefinitionSchemaTests)}\"");
    }

    [Fact]
    public void Build_CalledTwice_GivesTheSameText() =>
        Assert.Equal(FileText(DefinitionSchema.Build(ActivityRegistry.Default)), FileText(DefinitionSchema.Build(ActivityRegistry.Default)));

    [Fact]
    public void Build_Header_NamesTheDialectAndId()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)Schema["$schema"]);
        Assert.Equal("https://procesflow.example/schemas/definition.schema.json", (string?)Schema["$id"]);
        Assert.Equal(["definitionId", "name", "root"], Strings(Schema["required"]));
        Assert.False((bool)Schema["additionalProperties"]!);
        Assert.Equal("^[a-z0-9][a-z0-9-]{0,99}$", (string?)Schema["properties"]!["definitionId"]!["pattern"]);
    }

    [Theory]
    [MemberData(nameof(ActivityTypes))]
    public void Build_ActivityType_HasItsOwnSchemaWithEveryProperty(string type)
    {
        var descriptor = ActivityRegistry.Default.Find(type)!;
        var name = DefinitionSchema.ActivityDefinitionName(type);
        var activity = Defs[name]!.AsObject();
        var properties = activity["properties"]!.AsObject();

        Assert.Equal(descriptor.DisplayName, (string?)activity["title"]);
        Assert.Equal(descriptor.Description, (string?)activity["description"]);
        Assert.Equal(type, (string?)properties["type"]!["const"]);
        Assert.Equal([.. DefinitionSchema.CommonActivityKeys, .. descriptor.Properties.Select(p => p.Name)], properties.Select(p => p.Key));
        Assert.All(descriptor.Properties, p => Assert.Equal(p.DisplayName, (string?)properties[p.Name]!["title"]));
        Assert.Equal(["id", "type", .. descriptor.Properties.Where(p => p.Required).Select(p => p.Name)], Strings(activity["required"]));
        Assert.False((bool)activity["additionalProperties"]!);

        var union = Defs["activity"]!;
        var branch = Assert.Single(union["allOf"]!.AsArray(), b => (string?)b!["if"]!["properties"]!["type"]!["const"] == type)!;
        Assert.Equal("#/$defs/" + name, (string?)branch["then"]!["$ref"]);
        Assert.Contains(type, Strings(union["properties"]!["type"]!["enum"]));
    }

    [Fact]
    public void Build_EnumProperties_ListTheDescriptorValues()
    {
        var enums = ActivityRegistry.Default.All.SelectMany(d => d.Properties.Where(p => p.Kind == "enum").Select(p => (d.Type, Property: p))).ToList();
        Assert.NotEmpty(enums);
        Assert.All(enums, e => Assert.Equal(e.Property.Values!, Strings(PropertySchema(e.Type, e.Property.Name)["enum"])));
    }

    [Fact]
    public void Build_Inputs_OfferTheInputTypesAndRequireAName()
    {
        var input = Defs["input"]!;
        Assert.Equal(InputTypes.All, Strings(input["properties"]!["type"]!["enum"]));
        Assert.Equal(["name"], Strings(input["required"]));
        Assert.False((bool)input["additionalProperties"]!);
    }

    [Fact]
    public void Build_Connections_RequireSourcePortAndDefaultTheTargetPortToIn()
    {
        Assert.Equal(["source", "target"], Strings(Defs["connection"]!["required"]));
        Assert.Equal(["activity", "port"], Strings(Defs["sourceEndpoint"]!["required"]));
        Assert.Equal(["activity"], Strings(Defs["targetEndpoint"]!["required"]));
        Assert.Equal("In", (string?)Defs["targetEndpoint"]!["properties"]!["port"]!["default"]);
    }

    [Fact]
    public void Build_SwitchCases_HaveTheItemPropertiesTheParserKnows()
    {
        var items = PropertySchema("Switch", "cases")["items"]!;
        var json = Definition("""{ "id": "a", "type": "Switch", "cases": [ { "port": "Yes", "condition": "true", "zzz": 1 } ] }""");

        var error = DefinitionParser.Default.Parse(json).Errors.Single(e => e.Path == "$.root.activities[1].cases[0].zzz");

        Assert.Equal(KnownKeys(error.Message), Keys(items));
        Assert.Equal(["port", "condition"], Strings(items["required"]));
    }

    /// <summary>The schema offers <c>{ "expression": "…" }</c> exactly where the parser accepts it.</summary>
    [Theory]
    [MemberData(nameof(ActivityProperties))]
    public void Build_ExpressionForm_IsOfferedExactlyWhereTheParserAcceptsIt(string type, string property)
    {
        var json = Definition($$"""{ "id": "a", "type": "{{type}}", "{{property}}": { "expression": "null" } }""");
        var path = "$.root.activities[1]." + property;
        var accepted = !DefinitionParser.Default.Parse(json).Errors.Any(e => e.Path == path || e.Path.StartsWith(path + ".", StringComparison.Ordinal));
        var kind = ActivityRegistry.Default.Find(type)!.Properties.Single(p => p.Name == property).Kind;

        var offered = PropertySchema(type, property)["anyOf"]?.AsArray().Any(s => (string?)s!["$ref"] == "#/$defs/expression") ?? false;

        // A json value takes any object literally, so offering the form there would mislead.
        Assert.Equal(accepted && kind is not ("json" or "object"), offered);
    }

    [Fact]
    public void Build_ExpressionForm_IsOfferedForDelayDuration() =>
        Assert.NotNull(PropertySchema("Delay", "duration")["anyOf"]);

    [Fact]
    public void Build_ObjectsTheParserChecksKeysOf_HaveExactlyTheParsersKeys()
    {
        var document = JsonNode.Parse(Definition("""{ "id": "a", "type": "Finish" }"""))!.AsObject();
        document["zzz"] = 1;
        document["inputs"] = JsonNode.Parse("""[ { "name": "x", "zzz": 1 } ]""");
        document["variables"] = JsonNode.Parse("""[ { "name": "y", "zzz": 1 } ]""");
        document["root"]!["zzz"] = 1;
        document["root"]!["connections"]!.AsArray().Add(JsonNode.Parse(
            """{ "source": { "activity": "start", "port": "Done", "zzz": 1 }, "target": { "activity": "a", "zzz": 1 }, "zzz": 1 }"""));
        var errors = DefinitionParser.Default.Parse(document).Errors;

        string[] Known(string path) => KnownKeys(errors.Single(e => e.Path == path + ".zzz").Message);
        Assert.Equal(Known("$"), Keys(Schema));
        Assert.Equal(Known("$.inputs[0]"), Keys(Defs["input"]!));
        Assert.Equal(Known("$.variables[0]"), Keys(Defs["variable"]!));
        Assert.Equal(Known("$.root"), Keys(Defs["flowchart"]!));
        Assert.Equal(Known("$.root.connections[1]"), Keys(Defs["connection"]!));
        Assert.Equal(Known("$.root.connections[1].source"), Keys(Defs["sourceEndpoint"]!));
        Assert.Equal(Known("$.root.connections[1].target"), Keys(Defs["targetEndpoint"]!));
        Assert.All(new[] { Schema, Defs["input"]!, Defs["variable"]!, Defs["flowchart"]!, Defs["connection"]!, Defs["sourceEndpoint"]!, Defs["targetEndpoint"]! },
            s => Assert.False((bool)s["additionalProperties"]!));
    }

    [Fact]
    public void Build_CommonActivityKeys_AreTheParsersActivityKeys()
    {
        // The parser's list is private and its message names only the activity's own properties.
        var parserKeys = (IEnumerable<string>)typeof(DefinitionParser).GetField("ActivityKeys", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(parserKeys.Order(StringComparer.Ordinal), DefinitionSchema.CommonActivityKeys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("PT2H")]
    [InlineData("P3D")]
    [InlineData("P4W")]
    [InlineData("P1Y2M3W4DT5H6M7S")]
    [InlineData("PT0.5S")]
    [InlineData("PT1,5S")]
    [InlineData("P10D")]
    [InlineData("P0D")]
    [InlineData("PT0S")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("P1W2D")]
    [InlineData("PT1.123456789S")]
    [InlineData("PT1.1234567891S")]
    [InlineData("PT1.S")]
    [InlineData("P-1D")]
    [InlineData("-P1D")]
    [InlineData("p3d")]
    [InlineData("P3")]
    [InlineData("P1.5D")]
    [InlineData("P1D2Y")]
    [InlineData("P3D ")]
    [InlineData("3 dage")]
    public void Build_PeriodPattern_AgreesWithThePeriodKind(string text)
    {
        var problems = new List<(string Path, string Message)>();
        PropertyKinds.Period.Convert(JsonValue.Create(text), problems);

        Assert.Equal(problems.Count == 0, Regex.IsMatch(text, DefinitionSchema.PeriodPattern, RegexOptions.ECMAScript));
    }

    [Theory]
    [InlineData("fredag")]
    [InlineData("FREDAG")]
    [InlineData("Søndag")]
    [InlineData("SØNDAG")]
    [InlineData("Monday")]
    [InlineData("fri")]
    [InlineData("fredag ")]
    [InlineData("5")]
    public void Build_DayNamePattern_AgreesWithTheDeadlineParser(string day)
    {
        var problems = new List<(string Path, string Message)>();
        DeadlineJson.Parse(new JsonObject { ["isoWeek"] = "2022-W12", ["day"] = day }, problems);
        var dayNames = Defs["deadline"]!["properties"]!["day"]!["anyOf"]![1]!;

        Assert.Equal(problems.Count == 0, Regex.IsMatch(day, (string)dayNames["pattern"]!));
    }

    [Fact]
    public void Build_Deadline_HasExactlyOneOfTheParsersForms()
    {
        var deadline = Defs["deadline"]!;
        var forms = deadline["oneOf"]!.AsArray().Select(f => Strings(f!["required"]).Single()).ToList();

        Assert.Equal(["date", "workingDays", "days", "weeks", "isoWeek", "week"], forms);
        Assert.False((bool)deadline["additionalProperties"]!);
        var problems = new List<(string Path, string Message)>();
        DeadlineJson.Parse(new JsonObject { ["zzz"] = 1, ["days"] = 1 }, problems);
        Assert.Equal(KnownDeadlineFields(problems.Single(p => p.Path == "zzz").Message), Keys(deadline));
    }

    private static JsonObject PropertySchema(string type, string property) =>
        Defs[DefinitionSchema.ActivityDefinitionName(type)]!["properties"]![property]!.AsObject();

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(v => (string)v!)];

    /// <summary>The property names of an object schema, sorted (the parser's own order is a hash set's).</summary>
    private static string[] Keys(JsonNode schema) => [.. schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>The list in a parser message "… (known: a, b, c)".</summary>
    private static string[] KnownKeys(string message) =>
        [.. Regex.Match(message, @"\(known: (?<keys>[^)]*)\)$").Groups["keys"].Value.Split(", ").Order(StringComparer.Ordinal)];

    /// <summary>The list in a deadline message "Ukendt felt. Tilladte felter er a, b, c."</summary>
    private static string[] KnownDeadlineFields(string message) =>
        [.. Regex.Match(message, "Tilladte felter er (?<keys>.*)\\.$").Groups["keys"].Value.Split(", ").Order(StringComparer.Ordinal)];

    /// <summary>A definition whose flowchart is a Start followed by <paramref name="activity"/> (id "a").</summary>
    private static string Definition(string activity) => $$"""
        {
          "definitionId": "schema-probe",
          "name": "Probe",
          "root": {
            "activities": [ { "id": "start", "type": "Start" }, {{activity}} ],
            "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "a" } } ]
          }
        }
        """;

    private static string FirstDifference(string actual, string expected)
    {
        var actualLines = actual.Split('\n');
        var expectedLines = expected.Split('\n');
        for (var i = 0; i < Math.Max(actualLines.Length, expectedLines.Length); i++)
        {
            var a = i < actualLines.Length ? actualLines[i] : "(end of file)";
            var e = i < expectedLines.Length ? expectedLines[i] : "(end of file)";
            if (a != e)
            {
                return $"first difference at line {i + 1}: file has '{a.Trim()}', registry gives '{e.Trim()}'";
            }
        }
        return "they differ";
    }
}
