using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Workflows.Benchmarks.Support;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// What figures 1, 2 and 8 send: Standardhøringer of the 29 kommuner in Region Hovedstaden started over
/// <c>POST /api/instances</c>, and answers posted to their answer links as a kommune's browser does, both over HTTP on
/// loopback and spread evenly over the deployment's nodes.
/// </summary>
public sealed partial class HearingTraffic(Deployment deployment, Results results) : IDisposable
{
    public const string ApiKey = "bench-key-7d2a";
    public const int PartiesPerHearing = 29;
    private const int StartClients = 4;
    private const int AnswerClients = 16;

    private readonly List<HttpClient> apis = deployment.Nodes.Select(n => ApiClient(n.BaseAddress)).ToList();
    private int started;

    /// <summary>Hearings started so far through this traffic.</summary>
    public int Started => started;

    public static HttpClient ApiClient(Uri baseAddress)
    {
        var api = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return api;
    }

    /// <summary>Starts <paramref name="count"/> hearings from 4 clients, client i on node i mod nodes; party tasks per second.</summary>
    public async Task<double> StartHearingsAsync(int count)
    {
        var next = 0;
        var done = 0;
        var elapsed = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, StartClients).Select(async client =>
        {
            var api = apis[client % apis.Count];
            while (Interlocked.Increment(ref next) <= count)
            {
                var number = Interlocked.Increment(ref started);
                using var response = await api.PostAsJsonAsync("/api/instances", new
                {
                    definitionId = "standard-hearing",
                    input = new
                    {
                        title = $"Benchmark-høring {number}",
                        caseNumber = $"SAG-BENCH-{number:00000}",
                        sender = "KKR Hovedstaden",
                        parties = "hovedstaden",
                        deadline = new { workingDays = 20, at = "12:00" },
                        reminders = new[] { new { workingDaysBefore = 3, at = "09:00" } },
                        material = new[] { new { title = "Udkast", url = "https://www.example.dk/udkast.pdf" } },
                    },
                });
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"Starting a hearing answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                var finished = Interlocked.Increment(ref done);
                if (finished % 10 == 0 || finished == count)
                {
                    Progress.Report($"{finished}/{count} hearings, {finished * PartiesPerHearing / elapsed.Elapsed.TotalSeconds:N0} party tasks/s");
                }
            }
        }));
        return count * PartiesPerHearing / elapsed.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// <paramref name="count"/> answers to random waiting party tasks from 16 clients, client i on node i mod nodes; the
    /// rate, and p50 and p99 of the POST, which returns once the answer is committed and the instance has run on.
    /// </summary>
    public async Task<(double Rate, double P50, double P99)> AnswerAsync(int count)
    {
        List<Guid> tasks;
        using (var sql = deployment.OpenSql())
        {
            tasks = sql.Rows("SELECT \"Id\" FROM party_tasks WHERE \"Status\" = 'Sent' ORDER BY random() LIMIT @n", r => Sql.GuidAt(r, 0), ("@n", count));
        }
        using var links = AnswerLinkMaker.Open(deployment.DatabaseSettings);
        var queue = new ConcurrentQueue<string>(tasks.Select(links.PathFor));
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var clients = new List<(HttpClient Client, string FormToken)>();
        for (var i = 0; i < AnswerClients && queue.TryPeek(out var first); i++)
        {
            // A browser's visit: the page sets the anti-forgery cookie and carries the form token; the client keeps both.
            var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
            {
                BaseAddress = deployment.Nodes[i % deployment.Nodes.Count].BaseAddress,
                Timeout = TimeSpan.FromMinutes(2),
            };
            var page = await client.GetStringAsync(new Uri(first, UriKind.Relative));
            clients.Add((client, FormToken().Match(page).Groups[1].Value));
        }
        var total = queue.Count;
        var answered = 0;
        var elapsed = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async c =>
        {
            while (queue.TryDequeue(out var path))
            {
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = c.FormToken,
                    ["text"] = "Kommunen har ingen indvendinger mod udkastet, men foreslår en tydeligere tidsplan for indsatsen.",
                });
                var request = Stopwatch.StartNew();
                using var response = await c.Client.PostAsync(new Uri(path, UriKind.Relative), form);
                latencies.Add(request.Elapsed.TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.Redirect)
                {
                    Interlocked.Increment(ref failures);
                }
                var n = Interlocked.Increment(ref answered);
                if (n % 50 == 0)
                {
                    Progress.Report($"{n}/{total} answers, {n / elapsed.Elapsed.TotalSeconds:N0}/s");
                }
            }
        }));
        var seconds = elapsed.Elapsed.TotalSeconds;
        foreach (var (client, _) in clients)
        {
            client.Dispose();
        }
        if (failures > 0)
        {
            results.Note($"{deployment.Description}: {failures} of {total} answers were not accepted with a redirect to the receipt.");
        }
        return (total / seconds, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99));
    }

    public void Dispose()
    {
        foreach (var api in apis)
        {
            api.Dispose();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    internal static partial Regex FormToken();
}
