using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MimeKit;
using NodaTime;
using Workflows.Host.Mail;
using Workflows.Host.Mail.Templates;
using Workflows.Host.Persistence.Rows;
using Workflows.Tests.Definitions;
using IcalCalendar = Ical.Net.Calendar;

namespace Workflows.Tests.Mail;

/// <summary>The Danish templates and the message around them, composed exactly as the dispatcher stores them.</summary>
public sealed class MailComposerTests
{
    private static readonly Instant Now = Instant.FromUtc(2019, 10, 1, 8, 0);

    private static readonly string[] MixedRecipients = ["ok@example.dk", "ikke en adresse"];

    [Theory]
    [InlineData("invitation", "Høring: Erhvervsfremmestrategi 2020-2023 (SAG-2019-05950)", "hermed »Erhvervsfremmestrategi 2020-2023« i høring", true)]
    [InlineData("reminder", "Påmindelse om høringssvar: Erhvervsfremmestrategi 2020-2023", "Dette er en venlig påmindelse. Vi har endnu ikke modtaget jeres høringssvar om »Erhvervsfremmestrategi 2020-2023«", true)]
    [InlineData("rykker", "Rykker: Manglende høringssvar om »Erhvervsfremmestrategi 2020-2023«", "Fristen var torsdag den 31. oktober 2019 kl. 12.00.", true)]
    [InlineData("receipt", "Kvittering for modtaget høringssvar: Erhvervsfremmestrategi 2020-2023", "Tak for jeres høringssvar", false)]
    [InlineData("deadline-changed", "Fristen er ændret: Erhvervsfremmestrategi 2020-2023", "Ny frist: torsdag den 31. oktober 2019 kl. 12.00", true)]
    [InlineData("extension-refused", "Fristen er uændret: Erhvervsfremmestrategi 2020-2023", "Vi kan desværre ikke forlænge fristen. Fristen er fortsat torsdag den 31. oktober 2019 kl. 12.00.", false)]
    [InlineData("approval-request", "Til godkendelse: Erhvervsfremmestrategi 2020-2023 (SAG-2019-05950)", "Meddel jeres beslutning senest torsdag den 31. oktober 2019 kl. 12.00.", true)]
    [InlineData("approval-reminder", "Påmindelse: godkendelse af »Erhvervsfremmestrategi 2020-2023«", "Vi har endnu ikke modtaget jeres beslutning om godkendelse af »Erhvervsfremmestrategi 2020-2023«", true)]
    public void Compose_EachTemplate_GivesDanishSubjectBothPartsAndCalendarWhereDue(string template, string subject, string phrase, bool hasCalendar)
    {
        var mail = Compose(template, MailTestBed.HearingModel());

        Assert.Equal(subject, mail.Subject);
        Assert.Contains(phrase, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(phrase, WithoutTags(mail.HtmlBody!), StringComparison.Ordinal);
        Assert.Contains("SAG-2019-05950", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Kære Aarhus Kommune", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"da\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("da", mail.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.Equal(hasCalendar, mail.Attachments.Any(a => a.ContentType.MimeType == "text/calendar"));
        Assert.DoesNotContain("{{", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    /// <summary>Every Danish mail the host sends.</summary>
    private static readonly string[] MailNames =
        ["invitation", "reminder", "rykker", "receipt", "deadline-changed", "extension-refused", "approval-request", "approval-reminder", "approval-receipt", "answer-held"];

    public static TheoryData<string> EveryMail { get; } = new(MailNames);

    [Theory]
    [MemberData(nameof(EveryMail))]
    public void Compose_OnlyATitle_RendersWithoutTheMissingParts(string template)
    {
        var mail = Compose(template, new JsonObject { ["title"] = "Sundhedsaftale" });

        Assert.Contains("Sundhedsaftale", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("()", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("senest .", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Sagsnummer:", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", mail.TextBody, StringComparison.Ordinal);
        Assert.Empty(mail.Attachments);
    }

    [Fact]
    public void Compose_ReminderWithoutAnswerLink_PointsToTheInvitation()
    {
        var model = MailTestBed.HearingModel();
        model.Remove("answerPath");

        var mail = Compose("reminder", model);

        Assert.Contains("Brug det personlige link i høringsbrevet", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Svar senest torsdag den 31. oktober 2019 kl. 12.00.", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_DeadlineChanged_NamesBothDeadlinesAndMovesTheSameCalendarEntry()
    {
        var partyTask = Guid.CreateVersion7();
        var model = MailTestBed.HearingModel();
        model["deadline"] = new JsonObject
        {
            ["instant"] = "2019-11-07T11:00:00Z",
            ["local"] = "2019-11-07T12:00:00",
            ["text"] = "torsdag den 7. november 2019 kl. 12.00",
        };
        model["previousDeadline"] = new JsonObject
        {
            ["instant"] = "2019-10-31T11:00:00Z",
            ["local"] = "2019-10-31T12:00:00",
            ["text"] = "torsdag den 31. oktober 2019 kl. 12.00",
        };
        model["sequence"] = 2;

        var invitation = Calendar(Compose("invitation", MailTestBed.HearingModel(), partyTask));
        var changed = Compose("deadline-changed", model, partyTask);
        var moved = Calendar(changed);

        Assert.Contains("Ny frist: torsdag den 7. november 2019 kl. 12.00", changed.TextBody, StringComparison.Ordinal);
        Assert.Contains("Tidligere frist: torsdag den 31. oktober 2019 kl. 12.00", changed.TextBody, StringComparison.Ordinal);
        Assert.Equal(invitation.Uid, moved.Uid);
        Assert.Equal($"{partyTask}@procesflow", moved.Uid);
        Assert.Equal((0, 2), (invitation.Sequence, moved.Sequence));
        Assert.Equal(new DateTime(2019, 11, 7, 11, 0, 0, DateTimeKind.Utc), moved.DtStart!.AsUtc);
    }

    [Fact]
    public void Compose_RowWithoutPartyTask_CalendarUidFallsBackToTheRow()
    {
        var row = Row("invitation", MailTestBed.HearingModel(), partyTaskId: null);

        var calendar = Calendar(Load(Composer().Compose(row, Now)));

        Assert.Equal($"{row.Id}@procesflow", calendar.Uid);
    }

    [Fact]
    public void Compose_Receipt_ListsAnswerAttachmentsAndLateness()
    {
        var model = MailTestBed.HearingModel();
        model.Remove("answerPath");
        model["receipt"] = new JsonObject
        {
            ["receivedAt"] = new JsonObject { ["text"] = "fredag den 1. november 2019 kl. 9.15" },
            ["noComments"] = false,
            ["late"] = true,
            ["text"] = "Aarhus Kommune bakker op om strategien.",
            ["attachments"] = new JsonArray("svar.pdf", new JsonObject { ["name"] = "bilag 2.docx" }),
        };

        var mail = Compose("receipt", model);

        Assert.Contains("Vi modtog det fredag den 1. november 2019 kl. 9.15.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Svaret kom efter fristen, som var torsdag den 31. oktober 2019 kl. 12.00, og er registreret som for sent.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Aarhus Kommune bakker op om strategien.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("- svar.pdf", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("- bilag 2.docx", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<li>bilag 2.docx</li>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("ingen bemærkninger", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_MaterialLinkThatIsNotHttp_IsLeftOut()
    {
        var model = MailTestBed.HearingModel();
        model["material"] = new JsonArray(new JsonObject { ["title"] = "Ondt link", ["url"] = "javascript:alert(1)" });

        var mail = Compose("invitation", model);

        Assert.Contains("Ondt link", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_WrittenOutRow_SendsSubjectAndBodiesAsTheyAre()
    {
        var row = Row(null, null);
        row.Subject = "Dagsorden for KKR-mødet";
        row.TextBody = "Se vedhæftede.";
        row.HtmlBody = "<p>Se vedhæftede.</p>";

        var mail = Load(Composer().Compose(row, Now));

        Assert.Equal("Dagsorden for KKR-mødet", mail.Subject);
        Assert.Equal("Se vedhæftede.", mail.TextBody);
        Assert.Equal("<p>Se vedhæftede.</p>", mail.HtmlBody);
        Assert.Empty(mail.Attachments);
    }

    [Fact]
    public void Compose_OverrideFolder_WinsFileByFile()
    {
        var folder = Directory.CreateTempSubdirectory("procesflow-templates-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "invitation.subject.liquid"), "Til {{ partyName }}: {{ title | upcase }}");
            var options = new MailOptions { TemplatesFolder = folder };

            var mail = Load(Composer(options).Compose(Row("invitation", MailTestBed.HearingModel()), Now));

            Assert.Equal("Til Aarhus Kommune: ERHVERVSFREMMESTRATEGI 2020-2023", mail.Subject);
            Assert.Contains("Svar senest torsdag den 31. oktober 2019 kl. 12.00", mail.TextBody, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void BuiltInTemplates_AreTheLiquidFilesOfTheRepository_ThreePartsPerMail()
    {
        var folder = Path.Combine(DefinitionsFolder.RepositoryRoot, "Workflows.Host", "Mail", "Templates");
        var files = Directory.GetFiles(folder, "*.liquid").ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f, Encoding.UTF8));

        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), BuiltInTemplates.Files.Keys.Order(StringComparer.Ordinal));
        Assert.All(files, file => Assert.Equal(file.Value, BuiltInTemplates.Files[file.Key]));
        var mails = files.Keys.Where(f => f != "layout.html.liquid").Select(f => f.Split('.')[0]).Distinct().ToList();
        Assert.Equal(MailNames.Order(StringComparer.Ordinal), mails.Order(StringComparer.Ordinal));
        Assert.All(mails, mail => Assert.All(new[] { "subject", "text", "html" }, part => Assert.Contains($"{mail}.{part}.liquid", files.Keys)));
    }

    [Theory]
    [MemberData(nameof(EveryMail))]
    public void Compose_ScriptAndQuotesInEveryText_AreEncodedInTheHtmlPart_AndPlainInTheText(string template)
    {
        const string Hostile = "<script>alert('x')</script> & \"mere\"";
        const string Encoded = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;mere&quot;";
        var model = MailTestBed.HearingModel(title: $"Plan {Hostile}");
        model["partyName"] = $"Kommune {Hostile}";
        model["sender"] = $"KKR {Hostile}";
        model["message"] = $"Besked {Hostile}";
        model["material"] = new JsonArray(new JsonObject { ["title"] = $"Bilag {Hostile}", ["url"] = "https://kkr.example.dk/b.pdf" });
        model["receipt"] = new JsonObject { ["text"] = $"Svar {Hostile}", ["attachments"] = new JsonArray($"fil {Hostile}.pdf") };

        var mail = Compose(template, model);

        Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"Plan {Encoded}", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"Kommune {Encoded}", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"Plan {Hostile}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Plan <script>", mail.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("escalation", null, "There is no mail template 'escalation' (no file escalation.subject.liquid).")]
    [InlineData("../secret", null, "'../secret' is not a mail template name.")]
    [InlineData("invitation", "[1, 2]", "The mail's model is not a JSON object.")]
    public void Compose_UnusableRow_ThrowsAClearMessage(string template, string? model, string message)
    {
        var row = Row(template, MailTestBed.HearingModel());
        row.Model = model ?? row.Model;

        var exception = Assert.Throws<MailComposeException>(() => Composer().Compose(row, Now));

        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void Compose_BadRecipient_ThrowsAClearMessage()
    {
        var row = Row("invitation", MailTestBed.HearingModel());
        row.To = JsonSerializer.Serialize(MixedRecipients);

        var exception = Assert.Throws<MailComposeException>(() => Composer().Compose(row, Now));

        Assert.Equal("'ikke en adresse' is not an e-mail address.", exception.Message);
    }

    [Fact]
    public void Compose_DateHeader_IsDanishLocalTime()
    {
        var mail = Compose("invitation", MailTestBed.HearingModel());

        Assert.Equal(new DateTimeOffset(2019, 10, 1, 10, 0, 0, TimeSpan.FromHours(2)), mail.Date);
    }

    [Fact]
    public void Compose_AnyRow_IsSevenBitWithCrLfLines()
    {
        var bytes = Composer().Compose(Row("invitation", MailTestBed.HearingModel()), Now);

        Assert.All(bytes, b => Assert.True(b < 128, "every byte is 7-bit"));
        var text = Encoding.ASCII.GetString(bytes);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static string WithoutTags(string html) => System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "");

    private static MimeMessage Compose(string template, JsonObject model, Guid? partyTaskId = null) =>
        Load(Composer().Compose(Row(template, model, partyTaskId ?? Guid.CreateVersion7()), Now));

    private static MailComposer Composer(MailOptions? options = null) =>
        new(options ?? new MailOptions(), MailTestBed.PublicBaseUrl, DateTimeZoneProviders.Tzdb["Europe/Copenhagen"]);

    private static OutboxRow Row(string? template, JsonObject? model, Guid? partyTaskId = null) => new()
    {
        Id = Guid.CreateVersion7(),
        InstanceId = Guid.CreateVersion7(),
        ActivityId = "hearing",
        To = "[\"hoeringer@aarhus.example.dk\"]",
        Subject = "",
        TextBody = "",
        Template = template,
        Model = model?.ToJsonString(),
        PartyTaskId = partyTaskId,
        Status = OutboxStatus.Pending,
        QueuedAt = Now,
        NextAttemptAt = Now,
    };

    private static MimeMessage Load(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return MimeMessage.Load(stream);
    }

    private static Ical.Net.CalendarComponents.CalendarEvent Calendar(MimeMessage mail)
    {
        var part = (MimePart)mail.Attachments.Single(a => a.ContentType.MimeType == "text/calendar");
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return IcalCalendar.Load(Encoding.UTF8.GetString(stream.ToArray()))!.Events.Single();
    }
}
