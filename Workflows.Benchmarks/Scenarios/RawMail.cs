using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Workflows.Benchmarks.Support;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// The raw limit for mail: MailKit sending ready messages one after another over one SMTP connection. Measured twice:
/// as MailKit connects by default, and over a socket with Nagle's algorithm off (<c>NoDelay</c>), because by default
/// each message's last small write waits for the server's delayed ACK (about 40 ms on Linux loopback).
/// </summary>
public static class RawMail
{
    public static async Task<double> SendAsync(int port, IReadOnlyList<byte[]> mimes, bool noDelay)
    {
        var messages = mimes.Select(bytes =>
        {
            using var stream = new MemoryStream(bytes);
            return MimeMessage.Load(stream);
        }).ToList();
        using var client = new SmtpClient();
        if (noDelay)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await client.ConnectAsync(socket, "127.0.0.1", port, SecureSocketOptions.None);
        }
        else
        {
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        }
        var elapsed = Stopwatch.StartNew();
        for (var i = 0; i < messages.Count; i++)
        {
            await client.SendAsync(messages[i]);
            if (i % 50 == 0)
            {
                Progress.Report($"{i}/{messages.Count}");
            }
        }
        var seconds = elapsed.Elapsed.TotalSeconds;
        await client.DisconnectAsync(quit: true);
        return messages.Count / seconds;
    }
}
