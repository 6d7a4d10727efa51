using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Workflows.Tests.Support;

/// <summary>
/// A mail route on loopback that bounces the way real mail does. ProcesFlow hands its mail to <b>Postfix</b> (Debian
/// package <c>postfix</c>, a private instance with its own configuration and queue folders), which relays everything to a
/// "remote" SMTP server (aiosmtpd) that refuses the addresses it was given with <c>550 5.1.1 User unknown</c> and
/// delivers the rest: mail for the answer inbox's domain into the IMAP server's Maildir, the kommuner's into another. For a refused address Postfix writes its own delivery status
/// notification to the envelope sender and relays it the same way, so it lands in the answer inbox. The remote server
/// alone (<see cref="RemotePort"/>) is a server that refuses an address while the mail is being sent.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class BouncingMailRoute : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string Postfix = "/usr/sbin/postfix";
    private readonly StringBuilder output = new();
    private Process? remote;
    private bool postfixStarted;

    private BouncingMailRoute(string folder)
    {
        Folder = folder;
    }

    public string Host { get; } = "127.0.0.1";

    /// <summary>Postfix: mail given here is relayed, and bounced by Postfix itself when the remote refuses it.</summary>
    public int PostfixPort { get; } = LoopbackPort.Free();

    /// <summary>The remote server: refuses the listed addresses during the SMTP dialogue.</summary>
    public int RemotePort { get; } = LoopbackPort.Free();

    public string Folder { get; }

    /// <summary>Where the mail to the kommuner arrives (every accepted mail not for the answer inbox).</summary>
    public string KommuneMaildir => Path.Combine(Folder, "kommuner");

    private string ConfigFolder => Path.Combine(Folder, "etc");

    /// <summary>What Postfix logged and the remote server printed, for failure messages.</summary>
    public string Log
    {
        get
        {
            var log = Path.Combine(Folder, "maillog");
            lock (output)
            {
                return output + (File.Exists(log) ? File.ReadAllText(log) : "");
            }
        }
    }

    /// <param name="maildir">Where accepted mail to <paramref name="inboxDomain"/> is delivered (the IMAP server's Maildir).</param>
    /// <param name="inboxDomain">The answer inbox's domain; mail to any other is delivered to <see cref="KommuneMaildir"/>.</param>
    /// <param name="refused">The addresses the remote server does not know.</param>
    /// <param name="withPostfix">False for the remote server alone.</param>
    public static async Task<BouncingMailRoute> StartAsync(string maildir, string inboxDomain, IReadOnlyList<string> refused, bool withPostfix = true)
    {
        if (!File.Exists(Python) || (withPostfix && !File.Exists(Postfix)))
        {
            throw new InvalidOperationException("The bounce tests need python3-aiosmtpd and postfix (scripts/test.sh installs them).");
        }
        if (withPostfix && Environment.UserName != "root")
        {
            throw new InvalidOperationException("A private Postfix instance starts only as root (as CI and scripts/test.sh run).");
        }
        var route = new BouncingMailRoute(Directory.CreateTempSubdirectory("procesflow-postfix-").FullName);
        try
        {
            await route.StartRemoteAsync(maildir, inboxDomain, refused);
            if (withPostfix)
            {
                await route.StartPostfixAsync();
            }
            return route;
        }
        catch
        {
            await route.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (postfixStarted)
        {
            await RunPostfixAsync("stop");
        }
        if (remote is not null)
        {
            if (!remote.HasExited)
            {
                remote.Kill(entireProcessTree: true);
            }
            await remote.WaitForExitAsync();
            remote.Dispose();
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Postfix may still be writing its log; the OS cleans up /tmp.
        }
    }

    private async Task StartRemoteAsync(string maildir, string inboxDomain, IReadOnlyList<string> refused)
    {
        var script = Path.Combine(Folder, "remote.py");
        await File.WriteAllTextAsync(script, """
            import asyncio, mailbox, sys
            from aiosmtpd.controller import Controller

            port, inbox, elsewhere, inbox_domain = int(sys.argv[1]), mailbox.Maildir(sys.argv[2]), mailbox.Maildir(sys.argv[3], create=True), sys.argv[4].lower()
            refused = {a.lower() for a in sys.argv[5:]}

            class Remote:
                async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                    if address.lower() in refused:
                        return '550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table' % address
                    envelope.rcpt_tos.append(address)
                    return '250 OK'

                async def handle_DATA(self, server, session, envelope):
                    to_inbox = any(r.lower().endswith('@' + inbox_domain) for r in envelope.rcpt_tos)
                    (inbox if to_inbox else elsewhere).add(envelope.original_content)
                    return '250 OK'

            controller = Controller(Remote(), hostname='127.0.0.1', port=port)
            controller.start()
            print('listening', flush=True)
            asyncio.get_event_loop().run_forever()
            """);
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture), maildir, KommuneMaildir, inboxDomain }.Concat(refused))
        {
            start.ArgumentList.Add(argument);
        }
        remote = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        remote.OutputDataReceived += (_, e) => Append(e.Data);
        remote.ErrorDataReceived += (_, e) => Append(e.Data);
        remote.BeginOutputReadLine();
        remote.BeginErrorReadLine();
        await WaitForPortAsync(RemotePort, "the remote SMTP server (aiosmtpd)");
    }

    private async Task StartPostfixAsync()
    {
        Directory.CreateDirectory(ConfigFolder);
        foreach (var sub in new[] { "queue", "data" })
        {
            Directory.CreateDirectory(Path.Combine(Folder, sub));
        }
        // Postfix's own processes run as the user postfix: the folder must be reachable, its data folder writable.
        File.SetUnixFileMode(Folder, File.GetUnixFileMode(Folder) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await RunAsync("/bin/chown", "postfix", Path.Combine(Folder, "data"));
        await File.WriteAllTextAsync(Path.Combine(ConfigFolder, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {Folder}/queue
            data_directory = {Folder}/data
            command_directory = /usr/sbin
            daemon_directory = /usr/lib/postfix/sbin
            meta_directory = /etc/postfix
            shlib_directory = /usr/lib/postfix
            mail_owner = postfix
            setgid_group = postdrop
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = mx.kkr.example
            mydomain = kkr.example
            myorigin = kkr.example
            mydestination =
            mynetworks = 127.0.0.0/8
            relayhost = [127.0.0.1]:{RemotePort}
            smtp_tls_security_level = none
            smtputf8_enable = no
            maillog_file_prefixes = {Folder}
            maillog_file = {Folder}/maillog
            """);
        // Debian's master.cf, listening on our port, with every service outside a chroot (the queue folder has none).
        var master = (await File.ReadAllLinesAsync("/etc/postfix/master.cf"))
            .Select(line => line.StartsWith("smtp      inet", StringComparison.Ordinal) ? $"{PostfixPort} inet n - n - - smtpd" : ChrootColumn().Replace(line, "$1n$2"));
        await File.WriteAllLinesAsync(Path.Combine(ConfigFolder, "master.cf"), master);
        var (code, text) = await RunPostfixAsync("start");
        if (code != 0)
        {
            throw new InvalidOperationException($"Postfix did not start ({code}): {text}\n{Log}");
        }
        postfixStarted = true;
        await WaitForPortAsync(PostfixPort, "Postfix");
    }

    private Task<(int Code, string Output)> RunPostfixAsync(string command) => RunAsync(Postfix, "-c", ConfigFolder, command);

    private static async Task<(int Code, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var text = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, text);
    }

    private async Task WaitForPortAsync(int port, string what)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Host, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"{what} did not listen on {Host}:{port} within 20 s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    /// <summary>A master.cf service line's chroot column (the fifth): <c>smtp unix - - y - - smtp</c>.</summary>
    [GeneratedRegex(@"^(\S+\s+\S+\s+\S+\s+\S+\s+)y(\s)")]
    private static partial Regex ChrootColumn();
}
