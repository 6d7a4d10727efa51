using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Host.Calendar;

namespace Workflows.Tests.Calendar;

public class CalendarSetupTests
{
    [Fact]
    public void AddDanishCalendar_NoConfiguration_UsesCopenhagenEndOfDayAndFourWeeks()
    {
        using var host = Build([]);

        var calculator = host.Services.GetRequiredService<DeadlineCalculator>();

        Assert.Equal("Europe/Copenhagen", calculator.Zone.Id);
        Assert.Same(calculator.Zone, host.Services.GetRequiredService<DateTimeZone>());
        Assert.Same(calculator.Calendar, host.Services.GetRequiredService<WorkingDayCalendar>());
        Assert.Empty(calculator.Calendar.ClosingDays);
        Assert.Equal(CalendarPolicy.EndOfDay, calculator.Policy.DefaultTimeOfDay);
        Assert.Equal(new LocalTime(9, 0), calculator.Policy.DefaultReminderTimeOfDay);
        Assert.Equal(Period.FromWeeks(4), calculator.Policy.MinimumHearingPeriod);
    }

    [Fact]
    public void AddDanishCalendar_ClosingDaysAndPolicy_AreBoundFromConfiguration()
    {
        using var host = Build(new()
        {
            ["ProcesFlow:TimeZone"] = "America/Nuuk",
            ["ProcesFlow:Calendar:ClosingDays:0:Preset"] = "grundlovsdag",
            ["ProcesFlow:Calendar:ClosingDays:1:Name"] = "Juleaftensdag",
            ["ProcesFlow:Calendar:ClosingDays:1:Annual"] = "12-24",
            ["ProcesFlow:Calendar:ClosingDays:2:Name"] = "Fredag efter Kristi himmelfartsdag",
            ["ProcesFlow:Calendar:ClosingDays:2:DaysAfterEaster"] = "40",
            ["ProcesFlow:Calendar:ClosingDays:3:Name"] = "Flyttedag",
            ["ProcesFlow:Calendar:ClosingDays:3:Date"] = "2025-09-12",
            ["ProcesFlow:Calendar:DefaultTimeOfDay"] = "16:00",
            ["ProcesFlow:Calendar:DefaultReminderTimeOfDay"] = "08:30",
            ["ProcesFlow:Calendar:MinimumHearingPeriod"] = "P6W",
        });

        var calculator = host.Services.GetRequiredService<DeadlineCalculator>();

        Assert.Equal("America/Nuuk", calculator.Zone.Id);
        Assert.Equal(
            ["Grundlovsdag", "Juleaftensdag", "Fredag efter Kristi himmelfartsdag", "Flyttedag"],
            calculator.Calendar.ClosingDays.Select(r => r.Name));
        Assert.False(calculator.Calendar.IsWorkingDay(new LocalDate(2025, 9, 12)));
        Assert.False(calculator.Calendar.IsWorkingDay(new LocalDate(2025, 5, 30)));
        Assert.Equal(new LocalTime(16, 0), calculator.Policy.DefaultTimeOfDay);
        Assert.Equal(new LocalTime(8, 30), calculator.Policy.DefaultReminderTimeOfDay);
        Assert.Equal(Period.FromWeeks(6), calculator.Policy.MinimumHearingPeriod);
    }

    [Fact]
    public void AddDanishCalendar_EmptyMinimumHearingPeriod_DisablesTheCheck()
    {
        using var host = Build(new() { ["ProcesFlow:Calendar:MinimumHearingPeriod"] = "" });

        Assert.Null(host.Services.GetRequiredService<DeadlineCalculator>().Policy.MinimumHearingPeriod);
    }

    [Fact]
    public void AddDanishCalendar_ZoneAlreadyRegistered_KeepsIt()
    {
        var builder = Builder([]);
        var utc = DateTimeZone.Utc;
        builder.Services.AddSingleton(utc);
        builder.AddDanishCalendar();
        using var host = builder.Build();

        Assert.Same(utc, host.Services.GetRequiredService<DeadlineCalculator>().Zone);
    }

    [Fact]
    public async Task StartAsync_InvalidSettings_FailsListingEveryProblem()
    {
        using var host = Build(new()
        {
            ["ProcesFlow:TimeZone"] = "Europe/Kobenhavn",
            ["ProcesFlow:Calendar:ClosingDays:0:Preset"] = "sankthans",
            ["ProcesFlow:Calendar:ClosingDays:1:Name"] = "Juleaftensdag",
            ["ProcesFlow:Calendar:ClosingDays:1:Annual"] = "24/12",
            ["ProcesFlow:Calendar:ClosingDays:2:Annual"] = "12-31",
            ["ProcesFlow:Calendar:ClosingDays:3:Name"] = "Begge",
            ["ProcesFlow:Calendar:ClosingDays:3:Annual"] = "12-31",
            ["ProcesFlow:Calendar:ClosingDays:3:Date"] = "2025-12-31",
            ["ProcesFlow:Calendar:DefaultTimeOfDay"] = "midnat",
            ["ProcesFlow:Calendar:MinimumHearingPeriod"] = "4 uger",
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(7, exception.Failures.Count());
        Assert.Contains(exception.Failures, f => f.StartsWith("ProcesFlow:TimeZone", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("ProcesFlow:Calendar:ClosingDays:0:Preset", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("ProcesFlow:Calendar:ClosingDays:1:Annual", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("ProcesFlow:Calendar:ClosingDays:2:Name", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("ProcesFlow:Calendar:ClosingDays:3:", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("ProcesFlow:Calendar:DefaultTimeOfDay", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("ProcesFlow:Calendar:MinimumHearingPeriod", StringComparison.Ordinal));
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Builder(settings);
        builder.AddDanishCalendar();
        return builder.Build();
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
