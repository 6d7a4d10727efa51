using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Workflows.Host.Persistence;
using Workflows.Host.Rehearsal;
using Workflows.Tests.Support;

namespace Workflows.Tests.Rehearsal;

/// <summary>
/// Prøvekørsel of a draft through the API, on the real host: the made-up answers, the mails in their Danish words at the
/// moments they would go, and nothing saved or sent.
/// </summary>
public abstract class RehearsalApiTests(TestDatabase database) : IDisposable
{
    private readonly ProcesFlowApiFactory factory = new(database);

    private static JsonObject StandardHearing => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "definitions-json", "standard-hearing.json")))!.AsObject();

    private static object Input => new
    {
        title = "Erhvervsfremmestrategi 2020-2023",
        sender = "KKR Midtjylland",
        parties = "midtjylland",
        deadline = new { date = "2019-10-31", at = "12:00" },
        reminders = new[] { new { workingDaysBefore = 3, at = "09:00" } },
        latePolicy = new { mode = "acceptUntil", until = new { date = "2019-11-08", at = "12:00" } },
    };

    [Fact]
    public async Task StandardHearing_TwelveOnTimeTwoLate_RemindersGoOnlyToTheSevenWhoHadNotAnswered_AndNothingIsSavedOrSent()
    {
        var api = factory.CreateApiClient();
        var report = await (await api.PostJsonAsync("/api/definitions/rehearsal", new
        {
            definition = StandardHearing, input = Input, start = "2019-10-01T09:00", answers = new { onTime = 12, late = 2 },
        })).ReadAsync<RehearsalReport>();

        var mails = report.Steps.Where(s => s.Kind == "Mail").ToList();
        var invitations = mails.Where(m => m.Template == "invitation").ToList();
        Assert.Equal(19, invitations.Count);
        Assert.All(invitations, m => Assert.Equal("tirsdag den 1. oktober 2019 kl. 9.00", m.When));
        Assert.All(invitations, m => Assert.Equal("Høring: Erhvervsfremmestrategi 2020-2023", m.Subject));

        var answers = report.Steps.Where(s => s.Kind == "Answer").ToList();
        var onTime = answers.Where(a => a.At < Instant.FromUtc(2019, 10, 31, 11, 0)).Select(a => a.PartyId!).ToHashSet();
        Assert.Equal((12, 14), (onTime.Count, answers.Count));

        // The reminder three working days before the deadline (Monday 28 October, 09.00) reaches exactly the other seven.
        var reminders = mails.Where(m => m.Template == "reminder").ToList();
        Assert.Equal(invitations.Select(m => m.PartyId!).Except(onTime).Order(), reminders.Select(m => m.PartyId!).Order());
        Assert.All(reminders, m => Assert.Equal("mandag den 28. oktober 2019 kl. 9.00", m.When));
        Assert.All(reminders, m => Assert.Contains("Svar senest torsdag den 31. oktober 2019 kl. 12.00", m.Text, StringComparison.Ordinal));
        Assert.Equal(14, mails.Count(m => m.Template == "receipt"));
        Assert.Equal(19 + 7 + 14, report.Mails);
        Assert.Equal("Finished", report.Status);
        Assert.Contains(report.Steps, s => s.Text == "Høringen er afsluttet: 14 af 19 har svaret.");

        // A sandbox: no instance, no party task, no mail row, no mail file.
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ProcesFlowDbContext>>().CreateDbContextAsync();
        Assert.Equal((0, 0, 0), (await db.Instances.CountAsync(), await db.PartyTasks.CountAsync(), await db.Outbox.CountAsync()));
        Assert.False(Directory.Exists(Path.Combine(factory.Folder, "mail-outbox")) && Directory.EnumerateFiles(Path.Combine(factory.Folder, "mail-outbox")).Any());
    }

    [Fact]
    public async Task BadDefinitionOrInput_Is400_WithPathsIntoTheRequest()
    {
        var api = factory.CreateApiClient();
        var broken = StandardHearing;
        broken["root"]!["activities"]![1]!["type"] = "Hearingg";
        var definitionProblem = await api.PostJsonAsync("/api/definitions/rehearsal", new { definition = broken, input = Input, start = "2019-10-01T09:00" });
        Assert.Equal(HttpStatusCode.BadRequest, definitionProblem.StatusCode);
        Assert.Contains("$.definition.root.activities[1].type", await definitionProblem.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var inputProblem = await api.PostJsonAsync("/api/definitions/rehearsal", new
        {
            definition = StandardHearing, start = "2019-10-01T09:00",
            input = new { title = "X", parties = "midtjylland", deadline = new { date = "2019-02-30", at = "12:00" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, inputProblem.StatusCode);
        Assert.Contains("$.input.deadline", await inputProblem.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var noDefinition = await api.PostJsonAsync("/api/definitions/rehearsal", new { input = Input });
        Assert.Equal(HttpStatusCode.BadRequest, noDefinition.StatusCode);
        Assert.Contains("$.definition", await noDefinition.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => factory.Dispose();
}

[Trait("Database", "Sqlite")]
public sealed class RehearsalApiTestsOnSqlite() : RehearsalApiTests(TestDatabase.Sqlite);

[Trait("Database", "PostgreSql")]
public sealed class RehearsalApiTestsOnPostgreSql() : RehearsalApiTests(TestDatabase.PostgreSql);
