using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;
using Workflows.Host.Pages;
using Workflows.Host.Pages.Shared;
using Workflows.Host.Persistence;

namespace Workflows.Host.Staff;

/// <summary>
/// The start page <c>/</c>: every running hearing with its progress ("12 af 19 svar"), deadline, overdue and late
/// answers, open extension requests and incidents. Filters, sorting and search are a plain GET form; the handler
/// loads and filters, <c>OverviewPage.razor</c> renders.
/// </summary>
public sealed partial class OverviewPage
{
    private const int PageSize = 50;

    internal static readonly IReadOnlyList<SelectOption> Statuses =
    [
        new("", "Alle"), new("aaben", "Fristen er ikke overskredet"), new("overskredet", "Med overskredne svar"),
        new("fristforlaengelse", "Med anmodninger om fristforlængelse"), new("fejl", "Med fejl"), new("besvaret", "Alle har svaret"),
    ];

    internal static readonly IReadOnlyList<SelectOption> Sorts =
    [
        new("frist", "Frist (tidligste først)"), new("titel", "Titel"), new("sagsnummer", "Sagsnummer"), new("svar", "Færrest svar (andel)"),
        new("overskredet", "Flest overskredne"),
    ];

    public static async Task<IResult> ShowAsync(
        HttpContext http, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        string Param(string name) => query[name].ToString().Trim();
        var filters = new OverviewFilters(Param("q"), Param("region"), Param("status"), Param("ansvarlig"), Param("sort"), Param("fra"), Param("til"));
        var errors = new List<string>();
        var from = ParseDate(filters.From, "Frist fra", errors);
        var to = ParseDate(filters.To, "Frist til", errors);
        if (filters.Region.Length > 0 && filters.Region != HearingSummaries.SeveralRegions && filters.Region != HearingSummaries.NoRegion && !DanishRegions.Slugs.Contains(filters.Region))
        {
            errors.Add("Vælg en region fra listen.");
            filters = filters with { Region = "" };
        }
        if (Statuses.All(s => s.Value != filters.Status))
        {
            errors.Add("Vælg en status fra listen.");
            filters = filters with { Status = "" };
        }
        if (Sorts.All(s => s.Value != filters.Sort))
        {
            filters = filters with { Sort = "frist" };
        }
        var pageNumber = int.TryParse(Param("side"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100_000 ? n : 1;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var all = await HearingSummaries.RunningAsync(db, directory, only: null, cancellationToken);
        var now = clock.GetCurrentInstant();

        IEnumerable<HearingSummary> shown = all;
        if (filters.Search.Length > 0)
        {
            shown = shown.Where(h => h.Title.Contains(filters.Search, StringComparison.CurrentCultureIgnoreCase)
                || (h.CaseNumber?.Contains(filters.Search, StringComparison.OrdinalIgnoreCase) ?? false));
        }
        if (DanishRegions.TryParse(filters.Region, out var region))
        {
            // A hearing belongs to every KKR whose kommuner (or region) it was sent to.
            shown = shown.Where(h => h.Regions.Contains(region));
        }
        else if (filters.Region.Length > 0)
        {
            shown = shown.Where(h => h.Region == filters.Region);
        }
        if (filters.Owner.Length > 0)
        {
            shown = shown.Where(h => h.Owner == filters.Owner);
        }
        if (from is { } f)
        {
            shown = shown.Where(h => h.Deadline.InZone(zone).Date >= f);
        }
        if (to is { } t)
        {
            shown = shown.Where(h => h.Deadline.InZone(zone).Date <= t);
        }
        shown = filters.Status switch
        {
            "aaben" => shown.Where(h => h.Deadline > now),
            "overskredet" => shown.Where(h => h.Overdue > 0),
            "fristforlaengelse" => shown.Where(h => h.PendingExtensions > 0),
            "fejl" => shown.Where(h => h.Incidents > 0 || h.InstanceStatus == "Faulted"),
            "besvaret" => shown.Where(h => h.Answered == h.Total),
            _ => shown,
        };
        shown = filters.Sort switch
        {
            "titel" => shown.OrderBy(h => h.Title, DanishCollation.Comparer),
            "sagsnummer" => shown.OrderBy(h => h.CaseNumber ?? "", StringComparer.Ordinal),
            "svar" => shown.OrderBy(h => (double)h.Answered / h.Total).ThenBy(h => h.Deadline),
            "overskredet" => shown.OrderByDescending(h => h.Overdue).ThenBy(h => h.Deadline),
            _ => shown.OrderBy(h => h.Deadline).ThenBy(h => h.Title, DanishCollation.Comparer),
        };
        var matching = shown.ToList();
        var pages = Math.Max(1, (matching.Count + PageSize - 1) / PageSize);
        pageNumber = Math.Min(pageNumber, pages);

        var owners = all.Select(h => h.Owner).Distinct().Order(DanishCollation.Comparer).Select(o => new SelectOption(o, o)).Prepend(new SelectOption("", "Alle")).ToList();
        var model = new OverviewModel(
            errors, filters, owners, all.Count, matching.Count, all.Sum(h => h.Answered), all.Sum(h => h.Total), all.Sum(h => h.Overdue),
            matching.Skip((pageNumber - 1) * PageSize).Take(PageSize).ToList(), pageNumber, pages, PageLink(http), now);
        return PagesSetup.Page<OverviewPage>(new { Model = model }, errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    /// <summary>The region filter's choices: every KKR, then hearings across regions or with no region.</summary>
    internal static IReadOnlyList<SelectOption> RegionOptions(bool withoutRegion) =>
    [
        new("", "Alle"),
        .. Enum.GetValues<DanishRegion>().Select(r => new SelectOption(DanishRegions.Slug(r), $"KKR {HearingSummaries.Short(r)}")),
        .. withoutRegion ? new[] { new SelectOption(HearingSummaries.SeveralRegions, HearingSummaries.SeveralRegions), new SelectOption(HearingSummaries.NoRegion, HearingSummaries.NoRegion) } : [],
    ];

    /// <summary>The address of another page of the same filtered list (unencoded: the page encodes it).</summary>
    private static Func<int, string> PageLink(HttpContext http)
    {
        var parameters = http.Request.Query.Where(q => q.Key != "side").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}").ToList();
        return page => "/?" + string.Join('&', parameters.Append(string.Create(CultureInfo.InvariantCulture, $"side={page}")));
    }

    /// <summary>A date from a date field (<c>2019-10-31</c>); also accepts the Danish way of writing it (<c>31-10-2019</c>, <c>31.10.2019</c>).</summary>
    internal static LocalDate? ParseDate(string text, string field, List<string> errors)
    {
        if (text.Length == 0)
        {
            return null;
        }
        foreach (var pattern in new[] { "uuuu-MM-dd", "d-M-uuuu", "d.M.uuuu", "d/M/uuuu" })
        {
            var result = LocalDatePattern.CreateWithInvariantCulture(pattern).Parse(text);
            if (result.Success)
            {
                return result.Value;
            }
        }
        errors.Add($"{field}: \"{text}\" er ikke en dato. Skriv den som 31-10-2019.");
        return null;
    }
}

/// <summary>The overview's filters as the visitor gave them (the form shows them again as given).</summary>
public sealed record OverviewFilters(string Search, string Region, string Status, string Owner, string Sort, string From, string To);

/// <summary>What the overview shows: the totals over every running hearing, and one page of those the filters let through.</summary>
public sealed record OverviewModel(
    IReadOnlyList<string> Errors,
    OverviewFilters Filters,
    IReadOnlyList<SelectOption> Owners,
    int Running,
    int Matching,
    int Answered,
    int Total,
    int Overdue,
    IReadOnlyList<HearingSummary> Hearings,
    int PageNumber,
    int Pages,
    Func<int, string> PageLink,
    Instant Now);
