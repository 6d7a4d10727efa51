using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace Workflows.Tests.Support;

/// <summary>
/// A real IMAP server on loopback: a private dovecot (Debian package <c>dovecot-imapd</c>) with its own configuration
/// file, run and state folders in a temporary folder, plaintext login for one passwd-file user, and a Maildir owned by
/// <c>nobody</c>. Mail is delivered the way a local delivery agent does it: written to the Maildir's <c>tmp/</c> and
/// renamed into <c>new/</c>.
/// </summary>
public sealed class ImapServer : IAsyncDisposable
{
    private const string Dovecot = "/usr/sbin/dovecot";
    private static readonly string[] MaildirFolders = ["new", "cur"];
    private const UnixFileMode File644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Directory755 = File644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private readonly StringBuilder output = new();
    private Process? process;
    private int delivered;

    private ImapServer(string folder, int port, string user, string password)
    {
        Folder = folder;
        Port = port;
        User = user;
        Password = password;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    public string User { get; }

    public string Password { get; }

    public string Folder { get; }

    public string Maildir => Path.Combine(Folder, "mail", User, "Maildir");

    /// <summary>Starts a dovecot on a free loopback port with one user; returns once it greets IMAP clients.</summary>
    public static async Task<ImapServer> StartAsync(string user = "hoering")
    {
        if (!File.Exists(Dovecot))
        {
            throw new InvalidOperationException($"{Dovecot} is missing; the IMAP tests need dovecot-imapd (scripts/test.sh installs it).");
        }
        var folder = Directory.CreateTempSubdirectory("procesflow-imap-").FullName;
        // dovecot's auth and mail processes run as other users: they must be able to reach the files.
        Chmod(folder, Directory755);
        var server = new ImapServer(folder, LoopbackPort.Free(), user, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Delivers a message into the user's INBOX (Maildir <c>new/</c>), as a delivery agent would.</summary>
    public void Deliver(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        Deliver(stream.ToArray());
    }

    /// <summary>Delivers raw message bytes into the user's INBOX.</summary>
    public void Deliver(byte[] raw)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{1_700_000_000 + Interlocked.Increment(ref delivered)}.M{Environment.ProcessId}P{delivered}.procesflow-test");
        var temporary = Path.Combine(Maildir, "tmp", name);
        File.WriteAllBytes(temporary, raw);
        Chmod(temporary, File644);
        File.Move(temporary, Path.Combine(Maildir, "new", name));
    }

    /// <summary>The messages in the INBOX as files (dovecot moves them from <c>new/</c> to <c>cur/</c> and puts flags in the name).</summary>
    public IReadOnlyList<string> MessageFiles() =>
        MaildirFolders.Select(sub => Path.Combine(Maildir, sub)).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles).Order(StringComparer.Ordinal).ToList();

    /// <summary>dovecot's own log, for failure messages.</summary>
    public string Log
    {
        get
        {
            var log = Path.Combine(Folder, "dovecot.log");
            lock (output)
            {
                return output + (File.Exists(log) ? File.ReadAllText(log) : "");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
            process.Dispose();
            process = null;
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up.
        }
    }

    private async Task StartProcessAsync()
    {
        foreach (var sub in new[] { "run", "state", "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(sub is "run" or "state" ? Path.Combine(Folder, sub) : Path.Combine(Maildir, sub));
        }
        await File.WriteAllTextAsync(Path.Combine(Folder, "passwd"), $"{User}:{{PLAIN}}{Password}\n");
        Chmod(Path.Combine(Folder, "passwd"), File644);
        await File.WriteAllTextAsync(Path.Combine(Folder, "dovecot.conf"), $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{Folder}}/run
            state_dir = {{Folder}}/state
            log_path = {{Folder}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            mail_location = maildir:{{Folder}}/mail/%u/Maildir
            passdb {
              driver = passwd-file
              args = {{Folder}}/passwd
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home={{Folder}}/mail/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{Port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service anvil {
              chroot =
            }
            """);
        await RunAsync("chown", "-R", "nobody:nogroup", Path.Combine(Folder, "mail"));

        var start = new ProcessStartInfo(Dovecot) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // -F: in the foreground, so this process owns it and can end it.
        foreach (var argument in new[] { "-F", "-c", Path.Combine(Folder, "dovecot.conf") })
        {
            start.ArgumentList.Add(argument);
        }
        var started = Process.Start(start) ?? throw new InvalidOperationException("dovecot did not start.");
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;

        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"dovecot exited with {started.ExitCode}:\n{Log}");
            }
            if (await GreetsAsync())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"dovecot did not listen on {Host}:{Port} within 20 s:\n{Log}");
    }

    private async Task<bool> GreetsAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
            var greeting = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
            return greeting?.StartsWith("* OK", StringComparison.Ordinal) == true;
        }
        catch (Exception exception) when (exception is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var run = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var error = await run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync();
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({run.ExitCode}): {error}");
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

    private static void Chmod(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("dovecot runs on Linux only.");
        }
        File.SetUnixFileMode(path, mode);
    }
}
