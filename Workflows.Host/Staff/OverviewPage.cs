using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Parties;
using Workflows.Host.Persistence;
using static Workflows.Host.Pages.PageText;
using static Workflows.Host.Staff.StaffLayout;

namespace Workflows.Host.Staff;

/// <summary>
/// The start page <c>/</c>: every running hearing with its progress ("12 af 19 svar"), deadline, overdue and late
/// answers, open extension requests and incidents. Filters, sorting and search are a plain GET form.
/// </summary>
public static class OverviewPage
{
    private const int PageSize = 50;

    private static readonly (string Value, string Label)[] Statuses =
    [
        ("", "Alle"), ("aaben", "Fristen er ikke overskredet"), ("overskredet", "Med overskredne svar"), ("fristforlaengelse", "Med anmodninger om fristforlængelse"),
        ("fejl", "Med fejl"), ("besvaret", "Alle har svaret"),
    ];

    private static readonly (string Value, string Label)[] Sorts =
    [
        ("frist", "Frist (tidligste først)"), ("titel", "Titel"), ("sagsnummer", "Sagsnummer"), ("svar", "Færrest svar (andel)"), ("overskredet", "Flest overskredne"),
    ];

    public static async Task<IResult> ShowAsync(
        HttpContext http, IAntiforgery antiforgery, IDbContextFactory<ProcesFlowDbContext> contexts, PartyDirectory directory, IClock clock, DateTimeZone zone,
        WorkingDayCalendar calendar, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        string Param(string name) => query[name].ToString().Trim();
        var search = Param("q");
        var region = Param("region");
        var status = Param("status");
        var owner = Param("ansvarlig");
        var sort = Param("sort");
        var errors = new List<string>();
        var from = ParseDate(Param("fra"), "Frist fra", errors);
        var to = ParseDate(Param("til"), "Frist til", errors);
        if (region.Length > 0 && region != HearingSummaries.SeveralRegions && region != HearingSummaries.NoRegion && !DanishRegions.Slugs.Contains(region))
        {
            errors.Add("Vælg en region fra listen.");
            region = "";
        }
        if (Statuses.All(s => s.Value != status))
        {
            errors.Add("Vælg en status fra listen.");
            status = "";
        }
        if (Sorts.All(s => s.Value != sort))
        {
            sort = "frist";
        }
        var pageNumber = int.TryParse(Param("side"), NumberStyles.None, Invariant, out var n) && n is > 0 and < 100_000 ? n : 1;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var all = await HearingSummaries.RunningAsync(db, directory, only: null, cancellationToken);
        var now = clock.GetCurrentInstant();

        var regionName = DanishRegions.TryParse(region, out var parsedRegion) ? HearingSummaries.Short(parsedRegion) : region;
        IEnumerable<HearingSummary> shown = all;
        if (search.Length > 0)
        {
            shown = shown.Where(h => h.Title.Contains(search, StringComparison.CurrentCultureIgnoreCase)
                || (h.CaseNumber?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false));
        }
        if (regionName.Length > 0)
        {
            shown = shown.Where(h => h.Region == regionName);
        }
        if (owner.Length > 0)
        {
            shown = shown.Where(h => h.Owner == owner);
        }
        if (from is { } f)
        {
            shown = shown.Where(h => h.Deadline.InZone(zone).Date >= f);
        }
        if (to is { } t)
        {
            shown = shown.Where(h => h.Deadline.InZone(zone).Date <= t);
        }
        shown = status switch
        {
            "aaben" => shown.Where(h => h.Deadline > now),
            "overskredet" => shown.Where(h => h.Overdue > 0),
            "fristforlaengelse" => shown.Where(h => h.PendingExtensions > 0),
            "fejl" => shown.Where(h => h.Incidents > 0 || h.InstanceStatus == "Faulted"),
            "besvaret" => shown.Where(h => h.Answered == h.Total),
            _ => shown,
        };
        shown = sort switch
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

        var body = new StringBuilder();
        foreach (var error in errors)
        {
            body.Append(Error(error));
        }
        body.Append(Filters(all, search, region, status, owner, sort, Param("fra"), Param("til")));
        body.Append("<div id=\"hoeringer\" data-live>");
        var filtered = matching.Count != all.Count;
        body.Append(CultureInfo.InvariantCulture, $"""
            <p>{Number(all.Count)} igangværende høringer{(filtered ? $", {Number(matching.Count)} vises efter filtrering" : "")}. I alt {Number(all.Sum(h => h.Answered))} af {Number(all.Sum(h => h.Total))} svar modtaget, {Number(all.Sum(h => h.Overdue))} overskredne.</p>
            """);
        if (matching.Count == 0)
        {
            body.Append(all.Count == 0 ? "<p>Der er ingen igangværende høringer.</p>" : "<p>Ingen høringer passer til filtrene.</p>");
        }
        else
        {
            body.Append("""
                <table><caption>Igangværende høringer</caption><thead><tr><th scope="col">Høring</th><th scope="col">Sagsnummer</th><th scope="col">Ansvarlig</th><th scope="col">KKR/region</th><th scope="col">Frist</th><th scope="col">Svar</th><th scope="col" class="num">Overskredet</th><th scope="col" class="num">For sent</th><th scope="col" class="num">Fristforlængelse</th><th scope="col" class="num">Fejl</th></tr></thead><tbody>
                """);
            foreach (var h in matching.Skip((pageNumber - 1) * PageSize).Take(PageSize))
            {
                var progress = $"{h.Answered} af {h.Total} svar";
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><td><a href="/hoeringer/{h.Id}">{Encode(h.Title)}</a>{Bounced(h)}</td><td>{Encode(h.CaseNumber ?? "")}</td><td>{Encode(h.Owner)}</td><td>{Encode(h.Region)}</td>
                    <td>{Encode(Text(h.Deadline, zone))}<br><small>{DaysLeft(h.Deadline, now, zone, calendar)}</small></td>
                    <td><progress max="{h.Total}" value="{h.Answered}" aria-label="{progress}">{progress}</progress> {progress}</td>
                    <td class="num{(h.Overdue > 0 ? " bad" : "")}">{h.Overdue}</td><td class="num">{h.Late}</td><td class="num">{h.PendingExtensions}</td><td class="num{(h.Incidents > 0 ? " bad" : "")}">{h.Incidents}</td></tr>
                    """);
            }
            body.Append("</tbody></table>");
            body.Append(Pager(pageNumber, pages, number => PageLink(http, number)));
        }
        body.Append("</div>");
        return Page(http, antiforgery, "Overblik", body.ToString(), errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, refresh: true);
    }

    private static string Filters(List<HearingSummary> all, string search, string region, string status, string owner, string sort, string from, string to)
    {
        static string Options(IEnumerable<(string Value, string Label)> options, string selected) =>
            string.Concat(options.Select(o => $"<option value=\"{Encode(o.Value)}\"{(o.Value == selected ? " selected" : "")}>{Encode(o.Label)}</option>"));
        var regions = new List<(string, string)> { ("", "Alle") };
        regions.AddRange(DanishRegions.Slugs.Select(s => (s, DanishRegions.TryParse(s, out var r) ? $"KKR {HearingSummaries.Short(r)}" : s)));
        regions.Add((HearingSummaries.SeveralRegions, HearingSummaries.SeveralRegions));
        regions.Add((HearingSummaries.NoRegion, HearingSummaries.NoRegion));
        var owners = new List<(string, string)> { ("", "Alle") };
        owners.AddRange(all.Select(h => h.Owner).Distinct().Order(StringComparer.CurrentCultureIgnoreCase).Select(o => (o, o)));
        return $"""
            <form method="get" action="/" class="filters" role="search" aria-label="Filtrér høringer">
              <p><label for="q">Søg i titel eller sagsnummer</label><input id="q" name="q" type="search" value="{Encode(search)}"></p>
              <p><label for="region">KKR/region</label><select id="region" name="region">{Options(regions, region)}</select></p>
              <p><label for="status">Status</label><select id="status" name="status">{Options(Statuses, status)}</select></p>
              <p><label for="ansvarlig">Ansvarlig</label><select id="ansvarlig" name="ansvarlig">{Options(owners, owner)}</select></p>
              <p><label for="fra">Frist fra</label><input id="fra" name="fra" type="date" value="{Encode(from)}"></p>
              <p><label for="til">Frist til</label><input id="til" name="til" type="date" value="{Encode(to)}"></p>
              <p><label for="sort">Sortér efter</label><select id="sort" name="sort">{Options(Sorts, sort)}</select></p>
              <p><button type="submit">Vis</button> <a href="/">Nulstil</a></p>
            </form>
            """;
    }

    private static string PageLink(HttpContext http, int page)
    {
        var parameters = http.Request.Query.Where(q => q.Key != "side").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}").ToList();
        parameters.Add(string.Create(CultureInfo.InvariantCulture, $"side={page}"));
        return Encode("/?" + string.Join('&', parameters));
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

    /// <summary>Parties that never got the hearing because their mail bounced, with the failing addresses.</summary>
    private static string Bounced(HearingSummary hearing) => hearing.Bounced.Count == 0
        ? ""
        : $"<br><small class=\"bad\">Afvist mail: {Encode(string.Join("; ", hearing.Bounced.Select(b => $"{b.PartyName} ({string.Join(", ", b.Addresses)})")))}</small>";
}
