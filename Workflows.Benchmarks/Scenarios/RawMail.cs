using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Workflows.Benchmarks.Support;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>The raw limit for mail: MailKit sending ready messages one after another over one SMTP connection.</summary>
public static class RawMail
{
    public static async Task<double> SendAsync(int port, IReadOnlyList<byte[]> mimes)
    {
        var messages = mimes.Select(bytes =>
        {
            using var stream = new MemoryStream(bytes);
            return MimeMessage.Load(stream);
        }).ToList();
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        var elapsed = Stopwatch.StartNew();
        for (var i = 0; i < messages.Count; i++)
        {
            await client.SendAsync(messages[i]);
            if (i % 200 == 0)
            {
                Progress.Report($"{i}/{messages.Count}");
            }
        }
        var seconds = elapsed.Elapsed.TotalSeconds;
        await client.DisconnectAsync(quit: true);
        return messages.Count / seconds;
    }
}
