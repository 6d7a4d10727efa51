using NodaTime;

namespace Workflows.Host.Demo;

/// <summary>
/// What the demo shows on a fresh database: a few real hearings from the source documents (autumn 2019), each
/// started at its own moment on the simulated clock, with the answers and extension requests that have come in.
/// Times are local (<c>ProcesFlow:TimeZone</c>).
/// </summary>
/// <param name="ClockStart">Where the simulated clock starts on a fresh database (before the first hearing is sent).</param>
/// <param name="Now">Where the clock stands when the demo opens: the moment the dashboard shows.</param>
/// <param name="Hearings">The hearings, each with its own events; the seeder plays them in time order.</param>
public sealed record DemoScenario(LocalDateTime ClockStart, LocalDateTime Now, IReadOnlyList<DemoHearing> Hearings);

/// <summary>
/// One hearing. <see cref="DefinitionId"/> and <see cref="Input"/> are exactly what <c>POST /api/instances</c>
/// takes, so switching a hearing to a dedicated definition (e.g. <c>erhvervsfremmestrategi</c>) is a change here only.
/// </summary>
/// <param name="DefinitionId">A published definition, e.g. <c>standard-hearing</c>.</param>
/// <param name="SentAt">When the hearing is started (the invitations go out then).</param>
/// <param name="Input">The definition's input as JSON.</param>
/// <param name="Answers">Answers handed in, each at its own time (a party of the hearing's first Hearing activity).</param>
/// <param name="ExtensionRequests">Requests for a longer deadline, left pending.</param>
public sealed record DemoHearing(
    string DefinitionId,
    LocalDateTime SentAt,
    string Input,
    IReadOnlyList<DemoAnswer> Answers,
    IReadOnlyList<DemoExtensionRequest> ExtensionRequests);

/// <summary>A party's answer as if given on the answer page: a text, or "ingen bemærkninger" when <see cref="Text"/> is null.</summary>
public sealed record DemoAnswer(string PartyId, LocalDateTime At, string SubmittedBy, string? Text);

/// <summary>A party's request for a longer deadline, left pending for the secretariat to decide.</summary>
public sealed record DemoExtensionRequest(string PartyId, LocalDateTime At, LocalDate RequestedDate, string Reason);

public static class DemoScenarios
{
    /// <summary>
    /// Monday 28 October 2019 in the morning: the erhvervsfremme input is due on Thursday (7 of 19 in, reminders
    /// just sent, Skive asks for more time), the Sjælland rammeaftale deadline passed on Friday (late answers
    /// are still taken until the KKR meeting), and the praksisplan hearing has weeks to go.
    /// </summary>
    public static DemoScenario Autumn2019 { get; } = new(
        ClockStart: new LocalDateTime(2019, 9, 27, 8, 0),
        Now: new LocalDateTime(2019, 10, 28, 10, 0),
        Hearings:
        [
            new DemoHearing(
                DefinitionId: "erhvervsfremmestrategi-midtjylland",
                SentAt: new LocalDateTime(2019, 10, 14, 10, 0),
                Input: """
                    {
                      "title": "Strategi for decentral erhvervsfremme 2020-2023",
                      "caseNumber": "SAG-2019-05950",
                      "inputDeadline": { "date": "2019-10-31", "at": "12:00" },
                      "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ],
                      "latePolicy": { "mode": "acceptUntil", "until": { "date": "2019-11-08", "at": "09:00" } },
                      "material": [
                        { "title": "Udkast til strategi for decentral erhvervsfremme 2020-2023", "url": "https://www.example.dk/erhvervsfremme/udkast-strategi-2020-2023.pdf" },
                        { "title": "Udkast til regionalt kapitel for Midtjylland", "url": "https://www.example.dk/erhvervsfremme/regionalt-kapitel-midtjylland.pdf" }
                      ]
                    }
                    """,
                Answers:
                [
                    new("aarhus", new LocalDateTime(2019, 10, 17, 14, 12), "Erhvervsafdelingen, Aarhus Kommune",
                        "Aarhus Kommune bakker op om strategiens fokus på digitalisering og grøn omstilling. Vi foreslår, at det regionale kapitel i højere grad fremhæver samspillet med vidensinstitutionerne i Aarhus og tydeliggør, hvordan Erhvervshus Midtjylland understøtter vækstvirksomheder i hele regionen."),
                    new("samsoe", new LocalDateTime(2019, 10, 18, 9, 40), "Samsø Kommune", null),
                    new("silkeborg", new LocalDateTime(2019, 10, 21, 11, 5), "Erhverv og Turisme, Silkeborg Kommune",
                        "Silkeborg Kommune ønsker, at den kommunale erhvervsfremmeindsats får en mere fremtrædende rolle i strategien, og at turisme nævnes som en selvstændig styrkeposition. Vi savner desuden en klar kobling til Resultatkontrakt 2020."),
                    new("herning", new LocalDateTime(2019, 10, 22, 15, 30), "Herning Kommune, Erhverv",
                        "Herning Kommune finder udkastet gennemarbejdet. Vi anbefaler, at tekstil- og modeerhvervene samt events og messer nævnes i det regionale kapitel, og at kvalificeret arbejdskraft prioriteres højere."),
                    new("viborg", new LocalDateTime(2019, 10, 24, 10, 15), "Viborg Kommune",
                        "Viborg Kommune støtter strategien. Landdistrikternes erhvervsudvikling og fødevareerhvervet bør fremgå tydeligere af det regionale kapitel, og indsatsen for iværksættere uden for de større byer bør styrkes."),
                    new("randers", new LocalDateTime(2019, 10, 25, 13, 50), "Randers Kommune, Erhvervsservice",
                        "Randers Kommune har ingen principielle indvendinger, men ønsker, at infrastruktur og erhvervsarealer langs E45 indgår som en forudsætning for vækst i Østjylland. Byrådet behandler sagen den 4. november, og et eventuelt supplerende svar eftersendes derefter."),
                    new("horsens", new LocalDateTime(2019, 10, 28, 9, 20), "Horsens Kommune",
                        "Horsens Kommune bakker op om et fælles KKR-høringssvar. Vi foreslår, at strategien forholder sig konkret til automatisering og robotteknologi i produktionsvirksomhederne, som er en styrkeposition i Horsens-området."),
                ],
                ExtensionRequests:
                [
                    new("skive", new LocalDateTime(2019, 10, 25, 10, 30), new LocalDate(2019, 11, 6),
                        "Økonomiudvalget i Skive Kommune behandler vores input på mødet den 5. november. Vi beder derfor om frist til onsdag den 6. november."),
                ]),
            new DemoHearing(
                DefinitionId: "standard-hearing",
                SentAt: new LocalDateTime(2019, 9, 27, 10, 0),
                Input: """
                    {
                      "title": "Rammeaftale 2021-22 på det specialiserede social- og undervisningsområde",
                      "caseNumber": "SAG-2019-04418",
                      "sender": "KKR Sjælland",
                      "parties": "byraad-og-regionsraad-sjaelland",
                      "deadline": { "date": "2019-10-25", "at": "12:00" },
                      "reminders": [ { "workingDaysBefore": 3, "at": "09:00" } ],
                      "latePolicy": { "mode": "acceptUntil", "until": { "date": "2019-11-08", "at": "12:00" } },
                      "message": "KKR Sjælland sender hermed udkast til Rammeaftale 2021-22 med styringsdel, takstaftale og de seks fokusområder i høring hos de 17 kommunalbestyrelser og Regionsrådet i Region Sjælland. Svar efter fristen modtages frem til den 8. november og indgår i sagen til K17.",
                      "material": [
                        { "title": "Udkast til Rammeaftale 2021-22", "url": "https://www.example.dk/rammeaftale/udkast-rammeaftale-2021-22.pdf" },
                        { "title": "Takstaftale 2021-22", "url": "https://www.example.dk/rammeaftale/takstaftale-2021-22.pdf" }
                      ]
                    }
                    """,
                Answers:
                [
                    new("roskilde", new LocalDateTime(2019, 10, 10, 13, 0), "Social, Job og Sundhed, Roskilde Kommune",
                        "Roskilde Kommune kan tiltræde udkastet. Vi foreslår, at fokusområdet om borgere med komplekse behov suppleres med en fælles model for samarbejde med psykiatrien."),
                    new("region-sjaelland", new LocalDateTime(2019, 10, 16, 15, 45), "Koncern Social, Region Sjælland",
                        "Region Sjælland tiltræder rammeaftalen og takstaftalen. Regionen gør opmærksom på, at de regionale tilbud fortsat skal have et tilstrækkeligt belægningsgrundlag, og ser frem til det fortsatte samarbejde om de højt specialiserede tilbud."),
                    new("holbaek", new LocalDateTime(2019, 10, 22, 11, 30), "Holbæk Kommune", null),
                    new("naestved", new LocalDateTime(2019, 10, 24, 16, 10), "Næstved Kommune, Center for Handicap og Psykiatri",
                        "Næstved Kommune bakker op om udkastet, men finder, at takstudviklingen bør følges tættere. Vi foreslår en årlig fælles opfølgning på takster og belægning i K17."),
                    new("slagelse", new LocalDateTime(2019, 10, 28, 9, 45), "Slagelse Kommune",
                        "Slagelse Kommune beklager det sene svar. Kommunen tiltræder udkastet med den bemærkning, at overgangen fra barn til voksen bør indgå som et selvstændigt fokusområde."),
                ],
                ExtensionRequests: []),
            new DemoHearing(
                DefinitionId: "standard-hearing",
                SentAt: new LocalDateTime(2019, 10, 21, 10, 0),
                Input: """
                    {
                      "title": "Praksisplan for almen praksis",
                      "caseNumber": "SAG-2019-06127",
                      "sender": "Region Hovedstaden",
                      "parties": "hovedstaden",
                      "deadline": { "date": "2019-12-13", "at": "12:00" },
                      "reminders": [ { "workingDaysBefore": 5, "at": "09:00" } ],
                      "message": "Praksisplanudvalget sender hermed udkast til Praksisplan for almen praksis i formel høring hos de 29 kommuner. Planen består af en kapacitetsdel og en del om samarbejde og kvalitet. Høringssvarene indarbejdes, inden planen drøftes i praksisplanudvalget og forelægges kommunalbestyrelserne og regionsrådet til godkendelse.",
                      "material": [
                        { "title": "Høringsudkast: Praksisplan for almen praksis", "url": "https://www.example.dk/praksisplan/hoeringsudkast.pdf" },
                        { "title": "Bilag: Kapacitetsanalyse for almen praksis", "url": "https://www.example.dk/praksisplan/kapacitetsanalyse.pdf" }
                      ]
                    }
                    """,
                Answers:
                [
                    new("frederiksberg", new LocalDateTime(2019, 10, 23, 14, 0), "Sundhed og Omsorg, Frederiksberg Kommune",
                        "Frederiksberg Kommune er positiv over for planens fokus på sammenhæng for borgere med kronisk sygdom. Kommunen ønsker, at kapacitetsdelen tager højde for den forventede befolkningstilvækst og lægedækningen i de nye byområder."),
                    new("bornholm", new LocalDateTime(2019, 10, 25, 12, 15), "Bornholms Regionskommune",
                        "Bornholms Regionskommune henleder opmærksomheden på de særlige udfordringer med rekruttering af praktiserende læger på Bornholm og ønsker, at planen indeholder konkrete tiltag for lægedækning i yderområder."),
                    new("gentofte", new LocalDateTime(2019, 10, 25, 15, 40), "Gentofte Kommune", null),
                ],
                ExtensionRequests: []),
        ]);
}
