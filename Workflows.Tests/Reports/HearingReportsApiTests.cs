using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Text;
using WordTable = DocumentFormat.OpenXml.Wordprocessing.Table;
using Workflows.Host.Api;
using Workflows.Tests.Answers;
using Workflows.Tests.Support;
using Xl = DocumentFormat.OpenXml.Spreadsheet;

namespace Workflows.Tests.Reports;

/// <summary>
/// The høringsnotat and the party matrix of a real standard hearing, over HTTP on the real host with a SQLite file
/// and the simulated clock: eight parties, answers by the API, on the answer page with a file, "ingen bemærkninger",
/// one late, one with control characters in it, three that never answer. The documents are opened with OpenXml.
/// </summary>
public abstract partial class HearingReportsApiTests : IDisposable
{
    private const string Email = "sekretariat@kkr-midtjylland.example";
    private const string Password = "Korrekt-Hest-Batteri-42";

    private const string OdderText = "Odder Kommune støtter strategien.\n\nVi foreslår et selvstændigt afsnit om turisme\nog om kystbyerne.";
    private const string AarhusText = "Aarhus Kommune har bemærkninger, se den vedhæftede fil.";
    private const string SkiveText = "Undskyld forsinkelsen. Skive Kommune støtter strategien.";
    private const string AeroeText = "Ærø bemærker:\u0001 færgerne er\u000B afgørende \uFFFF for øen.";
    private const string AeroeClean = "Ærø bemærker: færgerne er afgørende  for øen.";

    /// <summary>Danish alphabetical order: Æ, Ø and Å last, and "Aa" counts as Å.</summary>
    private static readonly string[] Alphabetical =
    [
        "Brøndby Kommune", "Dragør Kommune", "Odder Kommune", "Region Midtjylland", "Skive Kommune", "Ærø Kommune", "Aabenraa Kommune", "Aarhus Kommune",
    ];

    private readonly ProcesFlowApiFactory factory;

    protected HearingReportsApiTests(TestDatabase database)
    {
        factory = new(database);
        factory.Settings["ProcesFlow:Admin:Email"] = Email;
        factory.Settings["ProcesFlow:Admin:Password"] = Password;
        factory.Settings["ProcesFlow:Clock:Mode"] = "Simulated";
        factory.Settings["ProcesFlow:Clock:Start"] = "2019-10-01T10:00";
    }

    public void Dispose() => factory.Dispose();

    /// <summary>Starts the hearing, answers five of the eight parties (one late), and returns the instance id.</summary>
    private async Task<Guid> HearingWithAnswersAsync()
    {
        var client = factory.CreateApiClient();
        var started = await (await client.PostJsonAsync("/api/instances", new
        {
            definitionId = "standard-hearing",
            input = JsonNode.Parse("""
                {
                  "title": "Erhvervsfremmestrategi 2020-2023", "caseNumber": "SAG-2019-05950", "sender": "KKR Midtjylland",
                  "parties": [ "skive", "aeroe", "aarhus", "aabenraa", "odder", "broendby", "dragoer", "region-midtjylland" ],
                  "deadline": { "date": "2019-10-31", "at": "12:00" },
                  "latePolicy": { "mode": "acceptUntil", "until": { "date": "2019-11-14", "at": "12:00" } }
                }
                """),
        })).ReadAsync<InstanceStarted>();
        var id = started.InstanceId;

        await AnswerAsync(client, id, "odder", OdderText);
        await AnswerAsync(client, id, "broendby", null, noComments: true);
        await AnswerAsync(client, id, "aeroe", AeroeText);

        // Aarhus answers on its answer page, with a file.
        var link = await AnswerLinkAsync(id, "aarhus");
        var browser = factory.CreateClient();
        var page = await browser.GetStringAsync(link);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent(AarhusText), "text" },
        };
        var file = new ByteArrayContent(AnswerPageTests.Pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "attachments", "Høringssvar Aarhus.pdf");
        var posted = await browser.PostAsync(link, form);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        // Skive answers after the deadline; the hearing accepts late answers until 14 November.
        await client.PostJsonAsync("/api/clock/advance", new { to = "2019-11-04T08:00:00Z" });
        await AnswerAsync(client, id, "skive", SkiveText);
        return id;
    }

    private static async Task AnswerAsync(HttpClient client, Guid id, string partyId, string? text, bool noComments = false)
    {
        var result = await (await client.PostJsonAsync($"/api/instances/{id}/parties/{partyId}/answer", new { noComments, text })).ReadAsync<SignalResult>();
        Assert.Equal("Resumed", result.Outcome);
    }

    private async Task<string> AnswerLinkAsync(Guid id, string partyId) =>
        (await AnswerPaths.OfOutboxAsync(factory.Services, "invitation", id)).Single(m => m.PartyId == partyId).AnswerPath;

    [Fact]
    public async Task Memo_HasEveryPartyAndAnswer_AlphabeticalTickList_PeriodAndDayCount()
    {
        var id = await HearingWithAnswersAsync();

        var response = await factory.CreateApiClient().GetAsync($"/api/instances/{id}/memo");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("hoeringsnotat-SAG-2019-05950.docx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = WordprocessingDocument.Open(stream, isEditable: false);
        Valid(new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document));
        var body = document.MainDocumentPart!.Document!.Body!;
        var paragraphs = body.Descendants<Paragraph>().Select(p => p.InnerText).ToList();
        var text = string.Join("\n", paragraphs);

        // Word opens it in its current mode, with the page numbers in the footer.
        Assert.Equal("15", document.MainDocumentPart!.DocumentSettingsPart!.Settings!.Descendants<CompatibilitySetting>().Single().Val!.Value);
        Assert.Equal("Høringsnotat – SAG-2019-05950 – side 1 af 1", document.MainDocumentPart.FooterParts.Single().Footer!.InnerText);
        Assert.Equal("da-DK", document.PackageProperties.Language);
        Assert.Equal("Høringsnotat: Erhvervsfremmestrategi 2020-2023", document.PackageProperties.Title);

        // Title, case number, sender; the headings are real heading styles.
        Assert.Equal("Høringsnotat", Styled(body, "Title").Single());
        Assert.Equal("Erhvervsfremmestrategi 2020-2023", Styled(body, "Subtitle").Single());
        Assert.Contains("Sagsnummer: SAG-2019-05950", paragraphs);
        Assert.Contains("Afsender: KKR Midtjylland", paragraphs);
        Assert.Equal(["1. Høringsperiode", "2. Hørte parter", "3. Høringssvar", "4. Parter, der ikke har svaret"], Styled(body, "Heading1"));
        Assert.Equal(["Odder Kommune", "Skive Kommune", "Ærø Kommune", "Aarhus Kommune"], Styled(body, "Heading2").Where(h => h != "Brøndby Kommune"));

        // The period: 1 October to 31 October 2019 is 30 days, 22 of them working days.
        Assert.Contains(
            "Høringsperioden var fra tirsdag den 1. oktober 2019 til torsdag den 31. oktober 2019, i alt 30 dage (22 arbejdsdage).", paragraphs);
        Assert.Contains("KKR Midtjylland sendte materialet i høring tirsdag den 1. oktober 2019 hos 8 parter med frist torsdag den 31. oktober 2019 kl. 12.00.", paragraphs);
        Assert.Contains("Der er modtaget 5 høringssvar fra 8 hørte parter, heraf 1 uden bemærkninger og 1 efter fristen. 3 parter har ikke svaret.", paragraphs);

        // The tick list: every party once, in Danish alphabetical order, with its tick and remark.
        var tables = body.Elements<WordTable>().ToList();
        var tickList = Rows(tables[0]);
        Assert.Equal(["Hørt part", "Høringssvar modtaget", "Bemærkning"], tickList[0]);
        Assert.True(IsHeaderRow(tables[0]));
        Assert.Equal(Alphabetical, tickList.Skip(1).Select(r => r[0]));
        var ticks = tickList.Skip(1).ToDictionary(r => r[0], r => (r[1], r[2]));
        Assert.Equal(("✓ Ja", "Ingen bemærkninger"), ticks["Brøndby Kommune"]);
        Assert.Equal(("✓ Ja", "Modtaget for sent"), ticks["Skive Kommune"]);
        Assert.Equal(("✓ Ja", "1 bilag"), ticks["Aarhus Kommune"]);
        Assert.Equal(("✓ Ja", ""), ticks["Odder Kommune"]);
        Assert.Equal(("✓ Ja", ""), ticks["Ærø Kommune"]);
        Assert.Equal(("Nej", "Ikke besvaret"), ticks["Dragør Kommune"]);
        Assert.Equal(("Nej", "Ikke besvaret"), ticks["Aabenraa Kommune"]);
        Assert.Equal(("Nej", "Ikke besvaret"), ticks["Region Midtjylland"]);

        // Every answer under its party, in a table with an empty column for the administration.
        var answers = tables.Skip(1).ToList();
        Assert.Equal(5, answers.Count);
        Assert.All(answers, t =>
        {
            var rows = Rows(t);
            Assert.True(IsHeaderRow(t));
            Assert.Equal(["Høringssvar", "Administrationens bemærkninger", "Ændret (ja/nej)"], rows[0]);
            Assert.Equal(("", ""), (rows[1][1], rows[1][2]));
        });
        var answerTexts = answers.Select(t => string.Join("\n", t.Elements<TableRow>().ElementAt(1).Elements<TableCell>().First().Elements<Paragraph>().Select(Lines))).ToList();
        Assert.Contains(answerTexts, a => a == "Ingen bemærkninger.");
        Assert.Contains(answerTexts, a => a == OdderText.Replace("\n\n", "\n", StringComparison.Ordinal));
        Assert.Contains(answerTexts, a => a == AarhusText + "\nBilag:\nHøringssvar Aarhus.pdf");
        Assert.Contains(answerTexts, a => a == SkiveText);
        Assert.Contains(answerTexts, a => a == AeroeClean);
        Assert.Contains("Modtaget mandag den 4. november 2019 kl. 9.00 registreret af sekretariatet. Svaret er modtaget efter fristen (torsdag den 31. oktober 2019 kl. 12.00).", paragraphs);
        Assert.Contains("Modtaget tirsdag den 1. oktober 2019 kl. 10.00 via svarsiden.", paragraphs);

        // The parties that did not answer, as a list.
        var missing = body.Elements<Paragraph>().SkipWhile(p => p.InnerText != "4. Parter, der ikke har svaret").Skip(2).Select(p => p.InnerText).ToList();
        Assert.Equal(["Dragør Kommune", "Region Midtjylland", "Aabenraa Kommune"], missing);
        Assert.Contains("Der er ikke modtaget høringssvar fra følgende 3 parter:", paragraphs);
        Assert.DoesNotContain("\u0001", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HearingPage_ListsThePartiesInTheNotatsDanishOrder_AarhusAfterAeroe()
    {
        var id = await HearingWithAnswersAsync();
        var staff = await Staff.StaffSession.SignedInAsync(factory);

        var page = await staff.GetStringAsync($"/hoeringer/{id}");

        // The party matrix on the page: each party's row header, in the order the rows come.
        var names = Regex.Matches(page, "<th scope=\"row\"><a [^>]*>([^<]+)</a></th>").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(Alphabetical, names);
    }

    [Fact]
    public async Task Matrix_CsvAndXlsx_ParseBackToTheParties()
    {
        var id = await HearingWithAnswersAsync();
        var client = factory.CreateApiClient();
        var parties = (await (await client.GetAsync($"/api/instances/{id}")).ReadAsync<InstanceDetails>()).Parties.ToDictionary(p => p.Name);

        var csvResponse = await client.GetAsync($"/api/instances/{id}/matrix?format=csv");
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("partsmatrix-SAG-2019-05950.csv", csvResponse.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await csvResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.EndsWith("\r\n", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
        // Read back as Excel would: semicolons, the BOM, RFC 4180 quoting.
        var rows = new List<string[]>();
        using (var reader = CsvHelper.CsvReader.FromText(Encoding.UTF8.GetString(bytes), new CsvHelper.CsvReaderOptions { Separator = ';', HasHeader = false }))
        {
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
            }
        }
        Assert.Equal(["Part", "Kommunekode", "Region", "Status", "Frist", "Frist (ISO)", "Besvaret", "For sent", "Antal bilag"], rows[0]);
        Assert.Equal(Alphabetical, rows.Skip(1).Select(r => r[0]));
        foreach (var row in rows.Skip(1))
        {
            var party = parties[row[0]];
            Assert.Equal(9, row.Length);
            Assert.Equal(party.Deadline, OffsetDateTimePattern.ExtendedIso.Parse(row[5]).Value.ToInstant());
            Assert.Equal(party.AnsweredAt is not null, row[6].Length > 0);
            Assert.Equal(
                party.Status switch
                {
                    "Answered" => "Besvaret",
                    "NoComments" => "Ingen bemærkninger",
                    "AnsweredLate" => "Besvaret for sent",
                    "Overdue" => "Overskredet",
                    _ => party.Status,
                },
                row[3]);
        }
        var byName = rows.Skip(1).ToDictionary(r => r[0]);
        Assert.Equal(["Aarhus Kommune", "751", "Region Midtjylland", "Besvaret", "torsdag den 31. oktober 2019 kl. 12.00", "2019-10-31T12:00:00+01:00", "tirsdag den 1. oktober 2019 kl. 10.00", "Nej", "1"], byName["Aarhus Kommune"]);
        Assert.Equal(["Skive Kommune", "779", "Region Midtjylland", "Besvaret for sent", "torsdag den 31. oktober 2019 kl. 12.00", "2019-10-31T12:00:00+01:00", "mandag den 4. november 2019 kl. 9.00", "Ja", "0"], byName["Skive Kommune"]);
        Assert.Equal(["Brøndby Kommune", "153", "Region Hovedstaden", "Ingen bemærkninger"], byName["Brøndby Kommune"][..4]);
        Assert.Equal(["Region Midtjylland", "", "Region Midtjylland", "Overskredet"], byName["Region Midtjylland"][..4]);
        Assert.Equal(("", "Nej", "0"), (byName["Dragør Kommune"][6], byName["Dragør Kommune"][7], byName["Dragør Kommune"][8]));

        var xlsxResponse = await client.GetAsync($"/api/instances/{id}/matrix?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsxResponse.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsxResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("partsmatrix-SAG-2019-05950.xlsx", xlsxResponse.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var stream = new MemoryStream(await xlsxResponse.Content.ReadAsByteArrayAsync());
        using var workbook = SpreadsheetDocument.Open(stream, isEditable: false);
        Valid(new OpenXmlValidator(FileFormatVersions.Office2019).Validate(workbook));
        var sheet = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet!;
        var cells = sheet.Descendants<Xl.Row>().Select(r => r.Elements<Xl.Cell>().Select(c => c.DataType?.Value == Xl.CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue!.Text).ToArray()).ToList();
        Assert.Equal(rows, cells);
        Assert.Equal(Xl.PaneStateValues.Frozen, sheet.Descendants<Xl.Pane>().Single().State!.Value);
        Assert.Equal("A2", sheet.Descendants<Xl.Pane>().Single().TopLeftCell!.Value);
        Assert.Equal(9, sheet.Descendants<Xl.Column>().Count(c => c.CustomWidth?.Value == true && c.Width?.Value > 8));
        Assert.All(sheet.Descendants<Xl.Row>().First().Elements<Xl.Cell>(), c => Assert.Equal(1u, c.StyleIndex!.Value));
        Assert.Equal(Xl.CellValues.Number, sheet.Descendants<Xl.Row>().ElementAt(1).Elements<Xl.Cell>().Last().DataType!.Value);
    }

    [Fact]
    public async Task Matrix_UnknownOrMissingFormat_Is400NamingTheParameter()
    {
        var id = await HearingWithAnswersAsync();
        foreach (var query in new[] { "?format=pdf", "" })
        {
            var response = await factory.CreateApiClient().GetAsync($"/api/instances/{id}/matrix{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.NotNull(problem["errors"]!["format"]);
        }
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateApiClient().GetAsync($"/api/instances/{id}/matrix?format=XLSX")).StatusCode);
    }

    [Fact]
    public async Task UnknownInstance_Is404_AndAnInstanceWithoutHearing_Is409()
    {
        var client = factory.CreateApiClient();
        var unknown = Guid.NewGuid();
        foreach (var path in new[] { "memo", "matrix?format=csv" })
        {
            var response = await client.GetAsync($"/api/instances/{unknown}/{path}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"There is no workflow instance {unknown}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var definition = await client.PostJsonAsync("/api/definitions", JsonNode.Parse("""
            {
              "definitionId": "just-waiting", "name": "Venter",
              "root": {
                "activities": [
                  { "id": "start", "type": "Start" },
                  { "id": "wait", "type": "WaitUntil", "deadline": { "workingDays": 10, "at": "12:00" } },
                  { "id": "end", "type": "Finish" }
                ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
                  { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
                ]
              }
            }
            """));
        Assert.Equal(HttpStatusCode.Created, definition.StatusCode);
        Assert.True((await client.PostAsync("/api/definitions/just-waiting/publish", null)).IsSuccessStatusCode);
        var started = await (await client.PostJsonAsync("/api/instances", new { definitionId = "just-waiting", input = new { } })).ReadAsync<InstanceStarted>();
        var memo = await client.GetAsync($"/api/instances/{started.InstanceId}/memo");
        Assert.Equal(HttpStatusCode.Conflict, memo.StatusCode);
        Assert.Contains("has no hearing", await memo.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/instances/{started.InstanceId}/matrix?format=csv")).StatusCode);
        var namedHearing = await client.GetAsync($"/api/instances/{started.InstanceId}/memo?activityId=wait");
        Assert.Equal(HttpStatusCode.NotFound, namedHearing.StatusCode);
        Assert.Contains("has no hearing 'wait'", await namedHearing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesTheDocuments()
    {
        var document = JsonNode.Parse(await factory.CreateApiClient().GetStringAsync("/openapi/v1.json"))!;
        var memo = document["paths"]!["/api/instances/{instanceId}/memo"]!["get"]!;
        var matrix = document["paths"]!["/api/instances/{instanceId}/matrix"]!["get"]!;
        Assert.NotNull(memo["responses"]!["200"]!["content"]!["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]);
        Assert.NotNull(memo["responses"]!["404"]);
        Assert.NotNull(matrix["responses"]!["200"]!["content"]!["text/csv; charset=utf-8"]);
        Assert.Equal(["instanceId", "activityId"], memo["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(["instanceId", "format", "activityId"], matrix["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Anonymous_IsRefused_SignedInStaff_GetsTheDocuments()
    {
        var id = await HearingWithAnswersAsync();
        foreach (var path in new[] { "memo", "matrix?format=csv", "matrix?format=xlsx" })
        {
            var anonymous = await factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync($"/api/instances/{id}/{path}");
            Assert.True(
                anonymous.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    || (anonymous.StatusCode == HttpStatusCode.Redirect && anonymous.Headers.Location!.OriginalString.Contains("/login", StringComparison.Ordinal)),
                $"{path}: {(int)anonymous.StatusCode}");
            Assert.NotEqual("application/vnd.openxmlformats-officedocument.wordprocessingml.document", anonymous.Content.Headers.ContentType?.MediaType);

            var wrongKey = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key");
            Assert.False((await wrongKey.GetAsync($"/api/instances/{id}/{path}")).IsSuccessStatusCode);
        }

        // The dashboard links here for signed-in staff: the cookie is enough.
        var staff = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await staff.GetStringAsync("/login");
        var signedIn = await staff.PostAsync("/login", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", AntiforgeryToken().Match(page).Groups[1].Value), new("email", Email), new("password", Password), new("returnUrl", "/"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var memo = await staff.GetAsync($"/api/instances/{id}/memo");
        Assert.Equal(HttpStatusCode.OK, memo.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", memo.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>No schema errors: the file opens in Word and Excel as it is.</summary>
    private static void Valid(IEnumerable<ValidationErrorInfo> errors)
    {
        var messages = errors.Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        if (messages.Count > 0)
        {
            Assert.Fail(string.Join("\n", messages));
        }
    }

    private static List<string> Styled(Body body, string style) =>
        body.Elements<Paragraph>().Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == style).Select(p => p.InnerText).ToList();

    private static List<string[]> Rows(WordTable table) =>
        table.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => string.Join("\n", c.Elements<Paragraph>().Select(p => p.InnerText))).ToArray()).ToList();

    private static bool IsHeaderRow(WordTable table) =>
        table.Elements<TableRow>().First().TableRowProperties?.GetFirstChild<TableHeader>() is not null;

    /// <summary>A paragraph's text with its line breaks as <c>\n</c>.</summary>
    private static string Lines(Paragraph paragraph) =>
        string.Concat(paragraph.Descendants().Select(e => e switch
        {
            DocumentFormat.OpenXml.Wordprocessing.Text t => t.Text,
            Break => "\n",
            TabChar => "\t",
            _ => "",
        }));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

[Trait("Database", "Sqlite")]
public sealed class HearingReportsApiTestsOnSqlite() : HearingReportsApiTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class HearingReportsApiTestsOnPostgreSql() : HearingReportsApiTests(TestDatabase.PostgreSql);
