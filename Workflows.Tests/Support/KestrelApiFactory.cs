using System.Globalization;
using System.Net;

namespace Workflows.Tests.Support;

/// <summary>
/// The host of <see cref="ProcesFlowApiFactory"/> on real Kestrel at 127.0.0.1, for a real browser. The port is
/// chosen before the host starts, so <c>ProcesFlow:PublicBaseUrl</c> (the base of the links in the mails) is this
/// very address and a link taken from a mail opens this host.
/// </summary>
public sealed class KestrelApiFactory : ProcesFlowApiFactory
{
    private readonly int port = LoopbackPort.Free();

    public KestrelApiFactory(TestDatabase database)
        : base(database)
    {
        Settings["ProcesFlow:PublicBaseUrl"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
    }

    /// <summary>Where Kestrel listens, and the base of every link in the mails.</summary>
    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));

    /// <summary>The pickup directory the mails are written to as <c>{outbox id}.eml</c>.</summary>
    public string MailFolder => Path.Combine(Folder, "mail-outbox");

    /// <summary>Starts Kestrel; set <see cref="ProcesFlowApiFactory.Settings"/> before.</summary>
    public void Start()
    {
        StartServer();
        if (ClientOptions.BaseAddress != BaseAddress)
        {
            throw new InvalidOperationException($"Kestrel listens on {ClientOptions.BaseAddress}, not on {BaseAddress}.");
        }
    }
}
