using System.ComponentModel.DataAnnotations;

namespace Workflows.Host.Hosting;

/// <summary>The <c>ProcesFlow</c> configuration section (DESIGN §5 names the keys).</summary>
public sealed class ProcesFlowOptions
{
    public const string SectionName = "ProcesFlow";

    /// <summary>The address people use to reach this installation; answer links in mails start with it.</summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>A TZDB zone id.</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Copenhagen";

    /// <summary>Keys that API clients send in the <c>X-Api-Key</c> header.</summary>
    public List<string> ApiKeys { get; set; } = [];
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary><c>ProcesFlow:Database</c>; the connection string is <c>ConnectionStrings:Workflows</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "ProcesFlow:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

public enum ClockMode
{
    System,
    Simulated,
}

/// <summary><c>ProcesFlow:Clock</c>: the real clock, or a simulated one that only moves when told to.</summary>
public sealed class ClockOptions
{
    public const string SectionName = "ProcesFlow:Clock";

    public ClockMode Mode { get; set; } = ClockMode.System;

    /// <summary>For <see cref="ClockMode.Simulated"/> on a fresh database: an ISO instant or a local date-time in the configured zone.</summary>
    public string? Start { get; set; }
}
