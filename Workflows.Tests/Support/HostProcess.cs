using System.Diagnostics;
using System.Net;
using System.Text;

namespace Workflows.Tests.Support;

/// <summary>
/// <c>Workflows.Host</c> as a real separate process on a real port, for tests that kill and restart it.
/// The host's build output is copied beside the tests by the project reference.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private HostProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The operating system's id of the process (the <c>dotnet</c> running the host).</summary>
    public int ProcessId => process.Id;

    /// <summary>What the process wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <param name="workingDirectory">The host's working directory and content root.</param>
    /// <param name="settings">Configuration, passed as environment variables.</param>
    /// <param name="arguments">Extra command-line arguments after <c>--urls</c>, e.g. <c>--demo</c>.</param>
    /// <param name="healthyWithin">How long the start may take (60 s unless given).</param>
    public static async Task<HostProcess> StartAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> settings, IReadOnlyList<string>? arguments = null, TimeSpan? healthyWithin = null)
    {
        var port = LoopbackPort.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Workflows.Host.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new HostProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilHealthyAsync(healthyWithin ?? TimeSpan.FromSeconds(60));
        }
        catch
        {
            // A host that never became healthy would otherwise outlive the test run.
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>Kills the process at once, like a power cut: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var until = Stopwatch.StartNew();
        while (until.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The host did not become healthy within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
