using System.Net;
using System.Net.Sockets;

namespace Workflows.Tests.Support;

/// <summary>Free ports on 127.0.0.1 for the servers the tests start (host, SMTP, IMAP, PostgreSQL, Kestrel).</summary>
public static class LoopbackPort
{
    /// <summary>A port the operating system has just reported free; a tiny window remains before the server binds it.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
