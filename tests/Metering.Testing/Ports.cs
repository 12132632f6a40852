using System.Net;
using System.Net.Sockets;

namespace Metering.Testing;

/// <summary>Loopback ports for services a test or benchmark starts as processes of their own.</summary>
public static class Ports
{
    /// <summary>A port nothing listens on now: the operating system's pick, released at once for the service to take.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
