using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Definitions.Meetings;
using Workflows.Definitions.Parties;
using Workflows.Host.Parties;

namespace Workflows.Tests.Parties;

/// <summary>Exercises <see cref="PartiesSetup.AddPartyDirectory"/> on a bare host, so these tests
/// do not depend on how the rest of the application is wired.</summary>
public sealed class PartiesSetupTests : IDisposable
{
    private readonly string contentRoot = Directory.CreateTempSubdirectory("procesflow-parties-").FullName;

    public void Dispose() => Directory.Delete(contentRoot, recursive: true);

    [Fact]
    public async Task AddPartyDirectory_WithoutContactsFile_RegistersTheReferenceData()
    {
        using var host = await StartAsync(contactsFile: null);

        var directory = host.Services.GetRequiredService<PartyDirectory>();

        Assert.Same(PartyDirectory.LoadReference(), directory);
    }

    [Fact]
    public async Task AddPartyDirectory_WithRelativeContactsFile_OverlaysItFromTheContentRoot()
    {
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "contacts.csv"), "partyId;address\naarhus;hoering@aarhus.dk\n");
        using var host = await StartAsync("contacts.csv");

        var directory = host.Services.GetRequiredService<PartyDirectory>();

        Assert.Equal(["hoering@aarhus.dk"], directory.Find("aarhus")!.Contacts);
        Assert.True(ContactAddress.IsPlaceholder(directory.Find("skive")!.Contacts[0]));
    }

    [Fact]
    public async Task AddPartyDirectory_MissingContactsFile_FailsOnStart()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("missing.json"));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ProcesFlow:Parties:ContactsFile", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPartyDirectory_ContactsFileWithErrors_FailsOnStartListingEveryError()
    {
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "contacts.csv"), "partyId;address\nnowhere;a@b.dk\naarhus;broken\n");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("contacts.csv"));

        Assert.Contains("contacts.csv:2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'nowhere'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("contacts.csv:3 address", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPartyDirectory_MeetingsFile_AddsNextYearsMeetingsToTheShippedCalendar()
    {
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "meetings.json"), """
            { "calendars": [ { "body": "kkr-midtjylland", "meetings": [ { "date": "2021-02-03", "at": "09:30" } ] } ] }
            """);
        using var host = await StartAsync(contactsFile: null, meetingsFile: "meetings.json");

        var calendars = host.Services.GetRequiredService<MeetingCalendars>();

        Assert.Equal(new LocalDateTime(2020, 2, 5, 10, 0), calendars.NextMeeting("kkr-midtjylland", new LocalDateTime(2020, 1, 1, 0, 0)));
        Assert.Equal(new LocalDateTime(2021, 2, 3, 9, 30), calendars.NextMeeting("kkr-midtjylland", new LocalDateTime(2020, 11, 9, 10, 0)));
    }

    [Theory]
    [InlineData("""{ "calendars": [ { "body": "dassos", "meetings": [ { "date": "2021-02-03", "at": "09:30" } ] } ] }""", "names bodies that are no party: dassos")]
    [InlineData("""{ "calendars": [ { "body": "kkr-midtjylland", "meetings": [ { "date": "3. februar 2021", "at": "09:30" } ] } ] }""", "'3. februar 2021 09:30' is not a date (yyyy-MM-dd) and a time (HH:mm)")]
    [InlineData("""{ "calendars": [ { "body": "kkr-midtjylland", "meetings": [ { "dato": "2021-02-03" } ] } ] }""", "meetings.json:")]
    public async Task AddPartyDirectory_BadMeetingsFile_FailsOnStartSayingWhatIsWrong(string content, string expected)
    {
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "meetings.json"), content);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(contactsFile: null, meetingsFile: "meetings.json"));

        Assert.Contains("ProcesFlow:Parties:MeetingsFile", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private async Task<IHost> StartAsync(string? contactsFile, string? meetingsFile = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = contentRoot,
            DisableDefaults = true,
        });
        if (contactsFile is not null)
        {
            builder.Configuration["ProcesFlow:Parties:ContactsFile"] = contactsFile;
        }
        if (meetingsFile is not null)
        {
            builder.Configuration["ProcesFlow:Parties:MeetingsFile"] = meetingsFile;
        }

        builder.AddPartyDirectory();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
