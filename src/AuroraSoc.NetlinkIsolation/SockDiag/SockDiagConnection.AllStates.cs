using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.SockDiag;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.SockDiag;

// Every socket of a protocol, whatever its state: watch looks up the socket a blocked packet came from (an unconnected
// UDP socket is in TCP_CLOSE's slot, a connecting TCP socket in SYN_SENT).
internal sealed partial class SockDiagConnection
{
    /// <summary>Every socket of <paramref name="protocol"/> (IPPROTO_TCP or IPPROTO_UDP) and <paramref name="family"/>, as one dump.</summary>
    public List<InetDiagSocket> DumpAllStates(byte family, byte protocol) => Dump(family, protocol, uint.MaxValue);

    /// <summary>The sockets of <paramref name="family"/> and <paramref name="protocol"/> in the states of the bit mask <paramref name="states"/>.</summary>
    private List<InetDiagSocket> Dump(byte family, byte protocol, uint states)
    {
        var request = new InetDiagRequestV2
        {
            Family = family,
            Protocol = protocol,
            States = states,
        };
        NetlinkWriter writer = _netlink.BeginRequest(SockDiagConstants.SOCK_DIAG_BY_FAMILY, NetlinkMessageFlags.Dump, out MessageToken token);
        writer.WriteRaw(MemoryMarshal.AsBytes(new ReadOnlySpan<InetDiagRequestV2>(in request)));
        writer.EndMessage(token);
        return _netlink.Dump(static (in NetlinkMessage message) => InetDiagSocket.Decode(message));
    }
}
