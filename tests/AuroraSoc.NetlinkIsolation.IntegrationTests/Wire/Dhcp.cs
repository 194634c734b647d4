using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>
/// Just enough DHCP (RFC 2131 / RFC 8415) to prove that a real exchange crosses the veth: genuine BOOTP-format
/// and DHCPv6 messages, sent and answered over UDP sockets bound to the well-known ports. Written in the test
/// rather than using dnsmasq so each run is in-process, needs no daemon or lease file, and the server's source
/// address is under control (the gateway, never a collector, so the collector rules cannot let the answer in).
/// </summary>
internal static class Dhcp
{
    public const int ServerPortV4 = 67;
    public const int ClientPortV4 = 68;
    public const int ClientPortV6 = 546;
    public const int ServerPortV6 = 547;

    /// <summary>All_DHCP_Relay_Agents_and_Servers.</summary>
    public static readonly IPAddress AllServersV6 = IPAddress.Parse("ff02::1:2");

    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    /// <summary>Binds <paramref name="socket"/> to an interface (<c>SO_BINDTODEVICE</c>).</summary>
    public static void BindToDevice(Socket socket, string interfaceName)
    {
        var name = Encoding.ASCII.GetBytes(interfaceName + "\0");
        socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
    }

    /// <summary>The ifindex of <paramref name="interfaceName"/> inside <paramref name="ns"/>.</summary>
    public static int InterfaceIndex(ThrowawayNamespace ns, string interfaceName)
    {
        // `ip -o link show dev X` prints "5: X@if4: <...> ...".
        var line = ns.Ip("-o", "link", "show", "dev", interfaceName);
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return int.Parse(line.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The link-local IPv6 address of <paramref name="interfaceName"/> inside <paramref name="ns"/>.</summary>
    public static IPAddress LinkLocalAddress(ThrowawayNamespace ns, string interfaceName)
    {
        // `ip -6 -o addr show dev X scope link` prints "5: X    inet6 fe80::…/64 scope link ...".
        var fields = ns.Ip("-6", "-o", "addr", "show", "dev", interfaceName, "scope", "link").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var text = fields[Array.IndexOf(fields, "inet6") + 1];
        return IPAddress.Parse(text[..text.IndexOf('/', StringComparison.Ordinal)]);
    }

    /// <summary>Binds a client socket, calls <paramref name="trigger"/> (a server sends without being asked), and
    /// waits for a datagram that <paramref name="accept"/> recognises: the inbound half of an exchange alone.</summary>
    internal static DhcpResult AwaitUnsolicited(Socket socket, Action trigger, Func<byte[], bool> accept, TimeSpan timeout)
    {
        using (socket)
        {
            var clock = Stopwatch.StartNew();
            trigger();
            var received = ReceiveUntil(socket, clock, timeout, data => accept(data) ? data : null);
            return new DhcpResult(received is null ? DhcpOutcome.NoOffer : DhcpOutcome.Received, null, clock.Elapsed);
        }
    }

    internal static uint NewTransactionId() => BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4));

    internal static DhcpResult Classify(SocketException ex, TimeSpan elapsed) =>
        ex.SocketErrorCode is SocketError.AccessDenied
            ? new DhcpResult(DhcpOutcome.SendDenied, null, elapsed, ex.SocketErrorCode.ToString())
            : new DhcpResult(DhcpOutcome.Failed, null, elapsed, ex.SocketErrorCode.ToString());

    /// <summary>Receives datagrams until <paramref name="accept"/> returns a value or <paramref name="deadline"/> passes.</summary>
    internal static T? ReceiveUntil<T>(Socket socket, Stopwatch clock, TimeSpan deadline, Func<byte[], T?> accept)
        where T : class
    {
        var buffer = new byte[2048];
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            var left = deadline - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            using var cancellation = new CancellationTokenSource(left);
            try
            {
                var received = socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellation.Token).AsTask().GetAwaiter().GetResult();
                if (accept(buffer[..received.ReceivedBytes]) is { } value)
                {
                    return value;
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }
}
