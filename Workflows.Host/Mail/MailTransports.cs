using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace Workflows.Host.Mail;

/// <summary>Where mails go: an SMTP server, or the pickup directory. One connection serves a whole batch.</summary>
internal interface IMailTransport
{
    /// <summary>Connects (and authenticates); a failure here fails the attempt of every mail in the batch.</summary>
    Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken);
}

internal interface IMailConnection : IAsyncDisposable
{
    /// <summary>False once the connection is lost; the rest of the batch then fails without trying.</summary>
    bool IsConnected { get; }

    /// <summary>Sends the stored message as it is.</summary>
    Task SendAsync(Guid id, byte[] mime, CancellationToken cancellationToken);
}

/// <summary>MailKit's SMTP client: connect once, send every mail of the batch, disconnect.</summary>
internal sealed class SmtpMailTransport(SmtpMailOptions options) : IMailTransport
{
    public async Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = string.IsNullOrWhiteSpace(options.ProtocolLog) ? new SmtpClient() : new SmtpClient(new ProtocolLogger(options.ProtocolLog, append: true) { RedactSecrets = true });
        try
        {
            client.Timeout = (int)options.Timeout.TotalMilliseconds;
            var host = options.Host ?? throw new InvalidOperationException("No SMTP host is configured.");
            await client.ConnectAsync(await ConnectSocketAsync(host, cancellationToken), host, options.Port, options.Security, cancellationToken);
            if (!string.IsNullOrEmpty(options.User))
            {
                await client.AuthenticateAsync(options.User, options.Password ?? "", cancellationToken);
            }
            return new Connection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A TCP connection with Nagle's algorithm off. SMTP is a dialogue of small writes; with Nagle on, each mail's last
    /// small write waits for the server's delayed ACK (about 40 ms), which capped a batch at some 20 mails a second
    /// (Workflows.Benchmarks, "mail").
    /// </summary>
    private async Task<Socket> ConnectSocketAsync(string host, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            await socket.ConnectAsync(host, options.Port, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class Connection(SmtpClient client) : IMailConnection
    {
        public bool IsConnected => client.IsConnected;

        public async Task SendAsync(Guid id, byte[] mime, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(mime, writable: false);
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            // A Return-Path written by the composer names the envelope sender (where bounces go: the answer inbox). It is
            // not sent as a header: the receiving server writes its own.
            if (message.Headers[HeaderId.ReturnPath] is { } returnPath && MailboxAddress.TryParse(returnPath, out var envelopeSender))
            {
                message.Headers.Remove(HeaderId.ReturnPath);
                var recipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes);
                await client.SendAsync(message, envelopeSender, recipients, cancellationToken);
                return;
            }
            await client.SendAsync(message, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: true, CancellationToken.None);
                }
            }
            catch (Exception exception) when (exception is IOException or ProtocolException or OperationCanceledException)
            {
                // The mails were accepted already; a failed QUIT changes nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}

/// <summary>
/// Writes <c>{id}.eml</c> into a folder, atomically (a temporary file, then a rename), so a reader never sees half a
/// mail. Sending the same row again replaces its file: still one mail.
/// </summary>
internal sealed class PickupDirectoryTransport(string directory) : IMailTransport
{
    public Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        return Task.FromResult<IMailConnection>(new Connection(directory));
    }

    private sealed class Connection(string directory) : IMailConnection
    {
        public bool IsConnected => true;

        public async Task SendAsync(Guid id, byte[] mime, CancellationToken cancellationToken)
        {
            var target = Path.Combine(directory, $"{id}.eml");
            var temporary = Path.Combine(directory, $".{id}.{Guid.NewGuid():N}.tmp");
            try
            {
                await File.WriteAllBytesAsync(temporary, mime, cancellationToken);
                File.Move(temporary, target, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
