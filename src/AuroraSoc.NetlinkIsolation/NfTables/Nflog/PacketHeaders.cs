using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.NfTables.Nflog;

/// <summary>
/// What the network and transport headers of one logged packet say: the family, both addresses, the transport protocol
/// (after any IPv6 extension headers), the ports for TCP and UDP, the message type for ICMP and ICMPv6.
/// </summary>
internal sealed record PacketHeaders(
    AddressFamily Family,
    IPAddress Source,
    IPAddress Destination,
    byte Protocol,
    ushort? SourcePort,
    ushort? DestinationPort,
    byte? IcmpType);
