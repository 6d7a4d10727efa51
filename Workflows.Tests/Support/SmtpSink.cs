using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Workflows.Tests.Support;

/// <summary>A message the sink received, as the Maildir file holds it (the sink adds <c>X-Peer</c>, <c>X-MailFrom</c>, <c>X-RcptTo</c>).</summary>
public sealed record ReceivedMail(string File, byte[] Raw, MimeMessage Message)
{
    /// <summary>The client's address and port as the server saw them: one value per SMTP connection.</summary>
    public string Peer => Message.Headers["X-Peer"] ?? "";

    public string MessageId => Message.MessageId ?? "";

    /// <summary>The file without the headers the sink added, newlines as LF: what the client sent, for comparing two deliveries.</summary>
    public string WithoutSinkHeaders() =>
        string.Join('\n', Encoding.UTF8.GetString(Raw).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Where(line => !line.StartsWith("X-Peer:", StringComparison.Ordinal)
                && !line.StartsWith("X-MailFrom:", StringComparison.Ordinal)
                && !line.StartsWith("X-RcptTo:", StringComparison.Ordinal)));
}

/// <summary>
/// A real SMTP server on loopback: aiosmtpd (Debian package <c>python3-aiosmtpd</c>) writing every message into a
/// Maildir. It can be stopped and started again on the same port, to play "the SMTP server is down".
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly string[] MaildirFolders = ["new", "cur"];
    private readonly StringBuilder output = new();
    private Process? process;

    private readonly int? maxMessageSize;

    private SmtpSink(string folder, int port, int? maxMessageSize)
    {
        Folder = folder;
        Port = port;
        this.maxMessageSize = maxMessageSize;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>A temporary folder: the Maildir is <c>Folder/maildir</c>; tests may put other files here.</summary>
    public string Folder { get; }

    public string Maildir => Path.Combine(Folder, "maildir");

    public bool IsRunning => process is { HasExited: false };

    /// <summary>Starts a sink on a free loopback port; with <paramref name="maxMessageSize"/> it refuses larger messages (552).</summary>
    public static async Task<SmtpSink> StartAsync(int? maxMessageSize = null)
    {
        var sink = new SmtpSink(Directory.CreateTempSubdirectory("procesflow-smtp-").FullName, LoopbackPort.Free(), maxMessageSize);
        await sink.StartAgainAsync();
        return sink;
    }

    /// <summary>A sink that has a port but no server yet: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public static SmtpSink NotStarted() => new(Directory.CreateTempSubdirectory("procesflow-smtp-").FullName, LoopbackPort.Free(), null);

    /// <summary>(Re)starts the server on the same port and Maildir; returns once it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing; the SMTP tests need python3-aiosmtpd (scripts/test.sh installs it).");
        }
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"{Host}:{Port}" })
        {
            start.ArgumentList.Add(argument);
        }
        if (maxMessageSize is { } size)
        {
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        // The handler and its Maildir come last: they are the handler's own arguments.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("aiosmtpd.handlers.Mailbox");
        start.ArgumentList.Add(Maildir);
        var started = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {started.ExitCode} (is python3-aiosmtpd installed?):\n{Output}");
            }
            if (await AcceptsConnectionsAsync())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"aiosmtpd did not listen on {Host}:{Port} within 20 s:\n{Output}");
    }

    /// <summary>Kills the server; connections are refused until it is started again. Received mail stays.</summary>
    public async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    /// <summary>Every message delivered so far, oldest file first.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        var files = MaildirFolders
            .Select(sub => Path.Combine(Maildir, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Select(path => new FileInfo(path))
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal);
        return files.Select(f =>
        {
            var raw = File.ReadAllBytes(f.FullName);
            using var stream = new MemoryStream(raw);
            return new ReceivedMail(f.Name, raw, MimeMessage.Load(stream));
        }).ToList();
    }

    /// <summary>What aiosmtpd wrote, for failure messages.</summary>
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up.
        }
    }

    private async Task<bool> AcceptsConnectionsAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
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
