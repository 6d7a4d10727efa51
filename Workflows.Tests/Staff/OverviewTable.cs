using System.Net;
using System.Text.RegularExpressions;

namespace Workflows.Tests.Staff;

/// <summary>One hearing as the overview's table shows it (texts decoded, as a person reads them).</summary>
internal sealed record OverviewRow(Guid Id, string Title, string CaseNumber, string Owner, string Region, IReadOnlyList<string> Status);

/// <summary>Reads the hearings table of the overview page <c>/</c>.</summary>
internal static partial class OverviewTable
{
    /// <summary>The table's rows; none when the page shows no table (nothing running, or nothing passes the filters).</summary>
    public static List<OverviewRow> Rows(string html)
    {
        var body = TableBody().Match(html);
        if (!body.Success)
        {
            return [];
        }
        return TableRow().Matches(body.Groups[1].Value).Select(row =>
        {
            var cells = TableCell().Matches(row.Groups[1].Value).Select(c => WebUtility.HtmlDecode(Tags().Replace(c.Groups[1].Value, " ")).Trim()).ToList();
            var link = HearingLink().Match(row.Groups[1].Value);
            var caseNumber = CaseNumber().Match(row.Groups[1].Value);
            return new OverviewRow(
                Guid.Parse(link.Groups[1].Value), WebUtility.HtmlDecode(link.Groups[2].Value), WebUtility.HtmlDecode(caseNumber.Groups[1].Value), cells[1], cells[2],
                Badge().Matches(row.Groups[1].Value).Select(b => WebUtility.HtmlDecode(b.Groups[1].Value)).ToList());
        }).ToList();
    }

    [GeneratedRegex("<table class=\"table table--compact table--zebra list-table hearings-table\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline)]
    private static partial Regex TableBody();

    [GeneratedRegex("<tr>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex TableCell();

    [GeneratedRegex("<a href=\"/hoeringer/([0-9a-f-]{36})\">(.*?)</a>")]
    private static partial Regex HearingLink();

    [GeneratedRegex("<span class=\"small-text case-number\">(.*?)</span>")]
    private static partial Regex CaseNumber();

    [GeneratedRegex("<span class=\"badge [a-z-]+\">(.*?)</span>")]
    private static partial Regex Badge();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
