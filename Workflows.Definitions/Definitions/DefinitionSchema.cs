using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Definitions.Activities;
using Workflows.Definitions.Calendar;

namespace Workflows.Definitions.Definitions;

/// <summary>
/// The JSON Schema (draft 2020-12) of the definition format that <see cref="DefinitionParser"/> reads, generated
/// from an <see cref="ActivityRegistry"/> so it cannot drift from the code. Activities are discriminated by their
/// <c>type</c> (an <c>enum</c> of the registered types, then one <c>if</c>/<c>then</c> per type); each type's schema
/// lists exactly the properties its descriptor declares.
/// </summary>
/// <remarks>
/// The schema checks the shape of a document. What needs the whole graph (ids that connections refer to, ports,
/// reachability, loops without a wait) or an activity's own binding code (a join's quorum, a switch's distinct
/// ports) is left to the parser, which reports every error with its path. The output is deterministic: activity
/// types are sorted by name, and properties keep the order of their descriptors.
/// </remarks>
public static class DefinitionSchema
{
    /// <summary>The schema's <c>$id</c>.</summary>
    public const string Id = "https://procesflow.example/schemas/definition.schema.json";

    /// <summary>The JSON Schema dialect.</summary>
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>The keys every activity node may carry besides its own properties (the parser's activity keys).</summary>
    public static IReadOnlyList<string> CommonActivityKeys { get; } =
        ["id", "type", "name", "displayName", "description", "metadata", "customProperties", "version"];

    /// <summary>A positive ISO 8601 period as <c>PeriodPattern.NormalizingIso</c> reads it; at least one digit is not 0.</summary>
    public const string PeriodPattern = @"^P(?=.*[1-9])(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+([.,]\d{1,9})?S)?)?$";

    private const string DefinitionIdPattern = "^[a-z0-9][a-z0-9-]{0,99}$";
    private const string IdentifierPattern = "^[A-Za-z][A-Za-z0-9_]{0,63}$";
    private const string NotBlankPattern = @"\S";
    private const string DatePattern = @"^\d{4}-\d{2}-\d{2}$";
    private const string InstantPattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}(:\d{2})?)$";
    private const string TimePattern = "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$";
    private const string IsoWeekPattern = "^[0-9]{4}-W[0-9]{2}(-[1-7])?$";

    private const string IgnoredText = "Læses ikke af ProcesFlow; tilladt af hensyn til Elsa-eksport.";

    /// <summary>
    /// The items of <c>list</c> properties. Their item properties are not part of <see cref="PropertyDescriptor"/>,
    /// so they are repeated here; a <c>list</c> property missing from this table makes <see cref="Build"/> throw.
    /// </summary>
    private static readonly Dictionary<(string Type, string Property), PropertyDescriptor[]> ListItems = new()
    {
        [("Switch", "cases")] =
        [
            new("port", "string", true, "Udgang"),
            new("condition", "condition", true, "Betingelse"),
        ],
    };

    private static readonly string[] DayNames =
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
         "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];

    /// <summary>The fields of <see cref="DeadlineJson"/> that each make a deadline form; exactly one must be present.</summary>
    private static readonly string[] DeadlineForms = ["date", "workingDays", "days", "weeks", "isoWeek", "week"];

    private static readonly DefinitionSymbols NoSymbols = new(new HashSet<string>(), new HashSet<string>());

    /// <summary>Builds the schema for the activity types of <paramref name="registry"/>.</summary>
    public static JsonObject Build(ActivityRegistry registry)
    {
        var descriptors = registry.All.OrderBy(d => d.Type, StringComparer.Ordinal).ToList();

        var defs = new JsonObject
        {
            ["input"] = Input(),
            ["variable"] = Variable(),
            ["flowchart"] = Flowchart(),
            ["activity"] = ActivityUnion(descriptors),
        };
        foreach (var descriptor in descriptors)
        {
            defs[ActivityDefinitionName(descriptor.Type)] = Activity(descriptor);
        }
        defs["designerMetadata"] = DesignerMetadata();
        defs["connection"] = Connection();
        defs["sourceEndpoint"] = Endpoint(source: true);
        defs["targetEndpoint"] = Endpoint(source: false);
        defs["expression"] = ExpressionForm();
        defs["deadline"] = Deadline();
        defs["reminder"] = Reminder();
        defs["material"] = Material();
        defs["latePolicy"] = LatePolicy();

        return new JsonObject
        {
            ["$schema"] = Dialect,
            ["$id"] = Id,
            ["title"] = "ProcesFlow-procesdefinition",
            ["description"] = "En procesdefinition: inddata, variabler og et flowchart af aktiviteter og forbindelser.",
            ["type"] = "object",
            ["required"] = Strings("definitionId", "name", "root"),
            ["properties"] = new JsonObject
            {
                ["$schema"] = Annotated("Skema", "Adressen på dette skema, til editorer.", new JsonObject { ["type"] = "string" }),
                ["definitionId"] = Annotated(
                    "Definitions-id",
                    "1–100 små bogstaver, cifre og bindestreger; begynder med et bogstav eller et ciffer.",
                    new JsonObject { ["type"] = "string", ["pattern"] = DefinitionIdPattern }),
                ["version"] = Annotated("Version", "Tildeles af serveren.", WholeNumber()),
                ["name"] = Annotated("Navn", null, NotBlank()),
                ["description"] = Annotated("Beskrivelse", null, new JsonObject { ["type"] = "string" }),
                ["inputs"] = Annotated("Inddata", "Værdier, som gives, når et forløb startes.", ArrayOf("input")),
                ["variables"] = Annotated("Variabler", "Forløbets variabler og deres startværdier.", ArrayOf("variable")),
                ["root"] = Annotated("Forløb", null, Ref("flowchart")),
                ["isPublished"] = Ignored(),
                ["isLatest"] = Ignored(),
                ["createdAt"] = Ignored(),
                ["toolVersion"] = Ignored(),
            },
            ["additionalProperties"] = false,
            ["$defs"] = defs,
        };
    }

    /// <summary>The <c>$defs</c> name of an activity type's schema, e.g. <c>activity.Delay</c>.</summary>
    public static string ActivityDefinitionName(string type) => "activity." + type;

    private static JsonObject Input()
    {
        var defaultChecks = new JsonArray();
        foreach (var type in InputTypes.All.Where(t => t != "any"))
        {
            defaultChecks.Add(new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = type } },
                    ["required"] = Strings("type"),
                },
                ["then"] = new JsonObject { ["properties"] = new JsonObject { ["default"] = InputValue(type) } },
            });
        }

        return new JsonObject
        {
            ["title"] = "Inddata",
            ["type"] = "object",
            ["required"] = Strings("name"),
            ["properties"] = new JsonObject
            {
                ["name"] = Annotated("Navn", "Bogstaver, cifre og _; begynder med et bogstav. Læses som input.navn.", Identifier()),
                ["type"] = Annotated("Type", null, new JsonObject { ["enum"] = Strings([.. InputTypes.All]), ["default"] = "any" }),
                ["required"] = Annotated("Påkrævet", null, new JsonObject { ["type"] = "boolean", ["default"] = false }),
                ["displayName"] = Annotated("Visningsnavn", null, new JsonObject { ["type"] = "string" }),
                ["description"] = Annotated("Beskrivelse", null, new JsonObject { ["type"] = "string" }),
                ["default"] = Annotated("Standardværdi", "Skal passe til typen.", new JsonObject()),
                ["uiHint"] = Ignored(),
            },
            ["additionalProperties"] = false,
            ["allOf"] = defaultChecks,
        };
    }

    private static JsonObject InputValue(string type) => type switch
    {
        "string" => new JsonObject { ["type"] = "string" },
        "number" => new JsonObject { ["type"] = "number" },
        "integer" => new JsonObject { ["type"] = "integer" },
        "boolean" => new JsonObject { ["type"] = "boolean" },
        "date" => new JsonObject { ["type"] = "string", ["format"] = "date", ["pattern"] = DatePattern },
        "object" => new JsonObject { ["type"] = "object" },
        "array" => new JsonObject { ["type"] = "array" },
        "deadline" => Ref("deadline"),
        "parties" => new JsonObject
        {
            ["description"] = "En region (fx midtjylland), en gruppe eller en part, eller en liste af dem.",
            ["anyOf"] = new JsonArray(
                NotBlank(),
                new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = NotBlank() }),
        },
        "reminders" => ArrayOf("reminder"),
        "material" => ArrayOf("material"),
        "latePolicy" => Ref("latePolicy"),
        _ => throw new InvalidOperationException($"The input type '{type}' has no schema; add it to {nameof(DefinitionSchema)}.{nameof(InputValue)}."),
    };

    private static JsonObject Variable() => new()
    {
        ["title"] = "Variabel",
        ["type"] = "object",
        ["required"] = Strings("name"),
        ["properties"] = new JsonObject
        {
            ["name"] = Annotated("Navn", "Bogstaver, cifre og _; begynder med et bogstav. Læses som variables.navn.", Identifier()),
            ["value"] = Annotated("Startværdi", "En vilkårlig JSON-værdi.", new JsonObject()),
            ["type"] = Ignored(),
            ["description"] = Ignored(),
        },
        ["additionalProperties"] = false,
    };

    private static JsonObject Flowchart() => new()
    {
        ["title"] = "Flowchart",
        ["type"] = "object",
        ["required"] = Strings("activities"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["const"] = "Flowchart", ["default"] = "Flowchart" },
            ["id"] = Ignored(),
            ["activities"] = Annotated("Aktiviteter", "Præcis én Start og højst " + DefinitionParser.MaxActivities.ToString(CultureInfo.InvariantCulture) + " aktiviteter.", new JsonObject
            {
                ["type"] = "array",
                ["maxItems"] = DefinitionParser.MaxActivities,
                ["items"] = Ref("activity"),
                ["contains"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = "Start" } },
                    ["required"] = Strings("type"),
                },
                ["minContains"] = 1,
                ["maxContains"] = 1,
            }),
            ["connections"] = Annotated("Forbindelser", null, ArrayOf("connection")),
            ["metadata"] = Ignored(),
        },
        ["additionalProperties"] = false,
    };

    private static JsonObject ActivityUnion(List<ActivityDescriptor> descriptors) => new()
    {
        ["title"] = "Aktivitet",
        ["type"] = "object",
        ["required"] = Strings("id", "type"),
        ["properties"] = new JsonObject { ["type"] = new JsonObject { ["enum"] = Strings([.. descriptors.Select(d => d.Type)]) } },
        // Discriminated by type with if/then rather than a bare oneOf, so a validator reports the wrong property
        // itself ("signall is not allowed") instead of "not valid under any of the given schemas".
        ["allOf"] = new JsonArray([.. descriptors.Select(d => (JsonNode)IfThen(
            new JsonObject
            {
                ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = d.Type } },
                ["required"] = Strings("type"),
            },
            Ref(ActivityDefinitionName(d.Type))))]),
    };

    private static JsonObject Activity(ActivityDescriptor descriptor)
    {
        var properties = new JsonObject
        {
            ["id"] = Annotated("Id", "Entydigt blandt forløbets aktiviteter; forbindelser henviser til det.", NotBlank()),
            ["type"] = new JsonObject { ["const"] = descriptor.Type },
            ["name"] = Annotated("Navn", null, new JsonObject { ["type"] = "string" }),
            ["displayName"] = Annotated("Visningsnavn", "Bruges, når name mangler.", new JsonObject { ["type"] = "string" }),
            ["description"] = Ignored(),
            ["metadata"] = Ref("designerMetadata"),
            ["customProperties"] = Ignored(),
            ["version"] = Ignored(),
        };
        foreach (var property in descriptor.Properties)
        {
            if (properties.ContainsKey(property.Name))
            {
                throw new InvalidOperationException(
                    $"The property '{property.Name}' of {descriptor.Type} collides with a key every activity carries.");
            }
            properties[property.Name] = Property(descriptor, property);
        }

        return new JsonObject
        {
            ["title"] = descriptor.DisplayName,
            ["description"] = descriptor.Description,
            ["type"] = "object",
            ["required"] = Strings(["id", "type", .. descriptor.Properties.Where(p => p.Required).Select(p => p.Name)]),
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject Property(ActivityDescriptor descriptor, PropertyDescriptor property)
    {
        var (literal, description) = Literal(descriptor.Type, property);
        var schema = AcceptsExpression(descriptor, property)
            ? new JsonObject
            {
                ["anyOf"] = new JsonArray(literal, Ref("expression")),
            }
            : literal;
        return Annotated(property.DisplayName, description, schema);
    }

    /// <summary>The schema of a property's literal value, by its kind, and a Danish description of the kind.</summary>
    private static (JsonObject Schema, string Description) Literal(string type, PropertyDescriptor property) => property.Kind switch
    {
        "text" => (new JsonObject { ["type"] = "string" }, "Tekst med Liquid-pladsholdere, fx {{ input.title }}."),
        "string" => (new JsonObject { ["type"] = "string" }, "Tekst."),
        "condition" => (new JsonObject { ["type"] = "string" }, "Betingelse i udtrykssproget, fx variables.answered >= 17."),
        "expression" => (new JsonObject { ["type"] = "string" }, "Udtryk i udtrykssproget, fx variables.answered + 1."),
        "integer" => (WholeNumber(), "Helt tal."),
        "boolean" => (new JsonObject { ["type"] = "boolean" }, "true eller false."),
        "period" => (new JsonObject { ["type"] = "string", ["pattern"] = PeriodPattern }, "Positiv ISO 8601-periode, fx PT2H, P3D eller P4W."),
        "instant" => (
            new JsonObject { ["type"] = "string", ["format"] = "date-time", ["pattern"] = InstantPattern },
            "Tidspunkt i ISO 8601 med forskydning eller Z, fx 2019-10-31T11:00:00Z."),
        "textList" => (
            new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["type"] = "string" },
                    new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }),
            },
            "En tekst eller en liste af tekster."),
        "enum" => Enumeration(property.Values ?? throw Unsupported(type, property, "has no Values")),
        "deadline" => (Ref("deadline"), "Frist efter dansk kalender, fx { \"workingDays\": 10, \"at\": \"12:00\" }."),
        "json" => (new JsonObject(), "En vilkårlig JSON-værdi."),
        "object" => (new JsonObject { ["type"] = "object" }, "Et objekt."),
        "list" => List(ListItems.GetValueOrDefault((type, property.Name)) ?? throw Unsupported(type, property, "is a list with no item schema")),
        _ => throw Unsupported(type, property, "has a kind the schema does not know"),
    };

    private static (JsonObject Schema, string Description) Enumeration(IReadOnlyList<string> values) =>
        (new JsonObject { ["type"] = "string", ["enum"] = Strings([.. values]) }, "En af: " + string.Join(", ", values) + ".");

    private static (JsonObject Schema, string Description) List(PropertyDescriptor[] itemProperties) =>
        (new JsonObject { ["type"] = "array", ["items"] = ListItem(itemProperties) },
         "En liste af objekter med " + string.Join(" og ", itemProperties.Select(p => p.Name)) + ".");

    private static JsonObject ListItem(PropertyDescriptor[] itemProperties)
    {
        var properties = new JsonObject();
        foreach (var item in itemProperties)
        {
            var (schema, description) = Literal("", item);
            properties[item.Name] = Annotated(item.DisplayName, description, schema);
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["required"] = Strings([.. itemProperties.Where(p => p.Required).Select(p => p.Name)]),
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }

    /// <summary>
    /// Whether the activity's binding reads the property with <see cref="PropertyReader.Get{T}"/>, which also accepts
    /// <c>{ "expression": "…" }</c>. Asked of the binding code itself, by binding a node that carries only that
    /// form and seeing whether the property is reported. <c>json</c> and <c>object</c> values take any object
    /// literally, so they never get the expression form.
    /// </summary>
    private static bool AcceptsExpression(ActivityDescriptor descriptor, PropertyDescriptor property)
    {
        if (property.Kind is "json" or "object")
        {
            return false;
        }
        var node = new JsonObject { [property.Name] = new JsonObject { ["expression"] = "null" } };
        var errors = new List<ValidationError>();
        descriptor.Bind(new PropertyReader(node, "$", "probe", descriptor.Properties, NoSymbols, errors));
        var path = "$." + property.Name;
        return !errors.Any(e => e.Path == path
            || e.Path.StartsWith(path + ".", StringComparison.Ordinal)
            || e.Path.StartsWith(path + "[", StringComparison.Ordinal));
    }

    private static InvalidOperationException Unsupported(string type, PropertyDescriptor property, string problem) =>
        new($"The property '{property.Name}' ({property.Kind}) of '{type}' {problem}; teach {nameof(DefinitionSchema)} about it.");

    private static JsonObject DesignerMetadata() => new()
    {
        ["title"] = "Metadata",
        ["description"] = "Designerens data; kun positionen kontrolleres.",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["designer"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["position"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = Strings("x", "y"),
                        ["properties"] = new JsonObject
                        {
                            ["x"] = new JsonObject { ["type"] = "number" },
                            ["y"] = new JsonObject { ["type"] = "number" },
                        },
                    },
                },
            },
        },
    };

    private static JsonObject Connection() => new()
    {
        ["title"] = "Forbindelse",
        ["type"] = "object",
        ["required"] = Strings("source", "target"),
        ["properties"] = new JsonObject
        {
            ["source"] = Annotated("Fra", "En aktivitet og en af dens udgange.", Ref("sourceEndpoint")),
            ["target"] = Annotated("Til", "En aktivitet; dens eneste indgang er In.", Ref("targetEndpoint")),
            ["vertices"] = Ignored(),
        },
        ["additionalProperties"] = false,
    };

    private static JsonObject Endpoint(bool source) => new()
    {
        ["type"] = "object",
        ["required"] = source ? Strings("activity", "port") : Strings("activity"),
        ["properties"] = new JsonObject
        {
            ["activity"] = Annotated("Aktivitet", "Id'et på en aktivitet i forløbet.", NotBlank()),
            ["port"] = source
                ? Annotated("Udgang", "Fx Done, True, False eller en grens navn.", NotBlank())
                : Annotated("Indgang", null, new JsonObject { ["const"] = "In", ["default"] = "In" }),
        },
        ["additionalProperties"] = false,
    };

    private static JsonObject ExpressionForm() => new()
    {
        ["title"] = "Udtryk",
        ["description"] = "Værdien beregnes, når aktiviteten kører, fx { \"expression\": \"input.deadline\" }.",
        ["type"] = "object",
        ["required"] = Strings("expression"),
        ["properties"] = new JsonObject { ["expression"] = new JsonObject { ["type"] = "string" } },
        ["additionalProperties"] = false,
    };

    /// <summary>The deadline forms of <see cref="DeadlineJson.Parse"/>: exactly one of date, workingDays, days, weeks, isoWeek or week.</summary>
    private static JsonObject Deadline()
    {
        var years = $"{DanishHolidays.MinYear.ToString(CultureInfo.InvariantCulture)}–{(DanishHolidays.MaxYear - 1).ToString(CultureInfo.InvariantCulture)}";
        return new JsonObject
        {
            ["title"] = "Frist",
            ["description"] = "Én form: date, workingDays, days, weeks, isoWeek eller week (med year), evt. med klokkeslæt i at.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["date"] = Annotated("Dato", $"YYYY-MM-DD, år {years}.", new JsonObject { ["type"] = "string", ["format"] = "date", ["pattern"] = DatePattern }),
                ["workingDays"] = Annotated("Arbejdsdage", null, Count(0, DeadlineJson.MaxDays)),
                ["days"] = Annotated("Dage", null, Count(0, DeadlineJson.MaxDays)),
                ["weeks"] = Annotated("Uger", null, Count(0, DeadlineJson.MaxWeeks)),
                ["isoWeek"] = Annotated("ISO-uge", "YYYY-Www eller YYYY-Www-d, fx 2022-W12.", new JsonObject { ["type"] = "string", ["pattern"] = IsoWeekPattern }),
                ["year"] = Annotated("År", "Kun sammen med week.", Count(DanishHolidays.MinYear, DanishHolidays.MaxYear - 1)),
                ["week"] = Annotated("Uge", "Sammen med year.", Count(1, 53)),
                ["day"] = Annotated("Ugedag", "1 (mandag) til 7 (søndag) eller navnet, fx fredag; kun med isoWeek eller week.", new JsonObject
                {
                    ["anyOf"] = new JsonArray(
                        Count(1, 7),
                        new JsonObject { ["type"] = "string", ["pattern"] = CaseInsensitive(DayNames) }),
                }),
                ["at"] = Annotated("Klokkeslæt", "HH:mm (24 timer), fx 12:00.", new JsonObject { ["type"] = "string", ["pattern"] = TimePattern }),
            },
            ["additionalProperties"] = false,
            ["oneOf"] = new JsonArray([.. DeadlineForms.Select(f => (JsonNode)new JsonObject { ["required"] = Strings(f) })]),
            ["allOf"] = new JsonArray(
                IfThen(new JsonObject { ["required"] = Strings("week") }, new JsonObject { ["required"] = Strings("year") }),
                IfThen(new JsonObject { ["required"] = Strings("year") }, new JsonObject { ["required"] = Strings("week") }),
                IfThen(
                    new JsonObject { ["required"] = Strings("day") },
                    new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["required"] = Strings("isoWeek") }, new JsonObject { ["required"] = Strings("week") }) }),
                IfThen(
                    new JsonObject
                    {
                        ["properties"] = new JsonObject { ["isoWeek"] = new JsonObject { ["pattern"] = "-[1-7]$" } },
                        ["required"] = Strings("isoWeek"),
                    },
                    new JsonObject { ["not"] = new JsonObject { ["required"] = Strings("day") } })),
        };
    }

    /// <summary>A reminder before the deadline, as <see cref="DeadlineJson.ParseReminder"/> reads it (a rykker is not a reminder input).</summary>
    private static JsonObject Reminder() => new()
    {
        ["title"] = "Påmindelse",
        ["description"] = "Én form: workingDaysBefore eller daysBefore, evt. med klokkeslæt i at.",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["workingDaysBefore"] = Annotated("Arbejdsdage før fristen", null, Count(0, DeadlineJson.MaxDays)),
            ["daysBefore"] = Annotated("Dage før fristen", null, Count(0, DeadlineJson.MaxDays)),
            ["at"] = Annotated("Klokkeslæt", "HH:mm (24 timer), fx 09:00.", new JsonObject { ["type"] = "string", ["pattern"] = TimePattern }),
        },
        ["additionalProperties"] = false,
        ["oneOf"] = new JsonArray(new JsonObject { ["required"] = Strings("workingDaysBefore") }, new JsonObject { ["required"] = Strings("daysBefore") }),
    };

    /// <summary>One document of a hearing's material, as <see cref="MaterialJson"/> reads it.</summary>
    private static JsonObject Material() => new()
    {
        ["title"] = "Materiale",
        ["type"] = "object",
        ["required"] = Strings("title"),
        ["properties"] = new JsonObject
        {
            ["title"] = Annotated("Titel", null, NotBlank()),
            ["url"] = Annotated("Adresse", "En http(s)-adresse.", new JsonObject { ["type"] = "string", ["pattern"] = "^[hH][tT][tT][pP][sS]?://" }),
        },
        ["additionalProperties"] = false,
    };

    /// <summary>A hearing's late policy, as <see cref="LatePolicyJson"/> reads it.</summary>
    private static JsonObject LatePolicy() => new()
    {
        ["title"] = "For sene svar",
        ["description"] = "reject (høringen lukker ved fristen), eller { \"mode\": \"acceptUntil\", \"until\": frist }: sene svar modtages og markeres som for sene indtil until.",
        ["anyOf"] = new JsonArray(
            new JsonObject { ["const"] = "reject" },
            new JsonObject
            {
                ["type"] = "object",
                ["required"] = Strings("mode"),
                ["properties"] = new JsonObject
                {
                    ["mode"] = new JsonObject { ["enum"] = Strings([.. LatePolicyJson.Modes]) },
                    ["until"] = Ref("deadline"),
                },
                ["additionalProperties"] = false,
                ["if"] = new JsonObject { ["properties"] = new JsonObject { ["mode"] = new JsonObject { ["const"] = "reject" } } },
                ["then"] = new JsonObject { ["not"] = new JsonObject { ["required"] = Strings("until") } },
                ["else"] = new JsonObject { ["required"] = Strings("until") },
            }),
    };

    /// <summary>An ECMA-262 pattern matching any of <paramref name="words"/> regardless of case, as the parser compares them.</summary>
    private static string CaseInsensitive(IEnumerable<string> words)
    {
        var pattern = new StringBuilder("^(");
        var first = true;
        foreach (var word in words)
        {
            pattern.Append(first ? "" : "|");
            first = false;
            foreach (var c in word)
            {
                var (lower, upper) = (char.ToLowerInvariant(c), char.ToUpperInvariant(c));
                if (lower == upper)
                {
                    pattern.Append(c);
                }
                else
                {
                    pattern.Append('[').Append(lower).Append(upper).Append(']');
                }
            }
        }
        return pattern.Append(")$").ToString();
    }

    private static JsonObject IfThen(JsonObject condition, JsonObject then) => new() { ["if"] = condition, ["then"] = then };

    private static JsonObject Annotated(string title, string? description, JsonObject schema)
    {
        var result = new JsonObject { ["title"] = title };
        if (description is not null)
        {
            result["description"] = description;
        }
        foreach (var (key, value) in schema.ToList())
        {
            schema.Remove(key);
            result[key] = value;
        }
        return result;
    }

    private static JsonObject Ignored() => new() { ["description"] = IgnoredText };

    private static JsonObject NotBlank() => new() { ["type"] = "string", ["pattern"] = NotBlankPattern };

    private static JsonObject Identifier() => new() { ["type"] = "string", ["pattern"] = IdentifierPattern };

    private static JsonObject WholeNumber() => new() { ["type"] = "integer", ["minimum"] = int.MinValue, ["maximum"] = int.MaxValue };

    private static JsonObject Count(int minimum, int maximum) => new() { ["type"] = "integer", ["minimum"] = minimum, ["maximum"] = maximum };

    private static JsonObject Ref(string name) => new() { ["$ref"] = "#/$defs/" + name };

    private static JsonObject ArrayOf(string name) => new() { ["type"] = "array", ["items"] = Ref(name) };

    private static JsonArray Strings(params string[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
