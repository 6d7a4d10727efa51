using System.Diagnostics;

namespace Workflows.Benchmarks.Support;

/// <summary>
/// With <c>--trace DIR</c>: a <c>dotnet-trace</c> (a .NET global tool: <c>dotnet tool install -g dotnet-trace</c>) sampling
/// the host's thread stacks during one phase, and its top methods written beside the trace as text.
/// </summary>
public sealed class Tracer : IAsyncDisposable
{
    private readonly Process? process;
    private readonly string file;

    private Tracer(Process? process, string file)
    {
        this.process = process;
        this.file = file;
    }

    public static async Task<Tracer> StartAsync(string? folder, int processId, string phase)
    {
        if (folder is null)
        {
            return new Tracer(null, "");
        }
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, phase + ".nettrace");
        var process = Run(["collect", "-p", processId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "-o", file]);
        // dotnet-trace rewrites its status line on standard output all the time. Undrained, the pipe fills within a
        // minute or two, the tool blocks on it, and the trace ends there without the rundown that names the methods.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Give the session a moment to attach before the phase starts.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new Tracer(process, file);
    }

    public async ValueTask DisposeAsync()
    {
        if (process is null)
        {
            return;
        }
        // dotnet-trace ends a session cleanly on Ctrl+C (SIGINT).
        using (var interrupt = Process.Start("kill", ["-s", "INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }
        // Its rundown (the method names) takes a while on a loaded machine; killed before it ends, the trace is unreadable.
        if (!await WaitAsync(process, TimeSpan.FromMinutes(5)))
        {
            process.Kill();
        }
        process.Dispose();
        using var report = Run(["report", file, "topN", "-n", "60", "--inclusive"]);
        var text = await report.StandardOutput.ReadToEndAsync();
        await WaitAsync(report, TimeSpan.FromSeconds(120));
        await File.WriteAllTextAsync(Path.ChangeExtension(file, ".inclusive.txt"), text);
        using var exclusive = Run(["report", file, "topN", "-n", "40"]);
        text = await exclusive.StandardOutput.ReadToEndAsync();
        await WaitAsync(exclusive, TimeSpan.FromSeconds(120));
        await File.WriteAllTextAsync(Path.ChangeExtension(file, ".exclusive.txt"), text);
    }

    private static Process Run(string[] arguments)
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start.");
    }

    private static async Task<bool> WaitAsync(Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
