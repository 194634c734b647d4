using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.Interop.Structs;

/// <summary>struct nfgenmsg (&lt;linux/netfilter/nfnetlink.h&gt;): the 4-byte header after every nfnetlink nlmsghdr.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NfGenMessage
{
    /// <summary>sizeof(struct nfgenmsg).</summary>
    public const int Size = 4;

    /// <summary>nfgen_family: an NFPROTO_* value, the library's <c>NfProtocolFamily</c> (AF_UNSPEC for batch and generation messages).</summary>
    public byte Family;

    /// <summary>version: <see cref="NfNetlinkConstants.NFNETLINK_V0"/>.</summary>
    public byte Version;

    /// <summary>
    /// res_id, declared __be16: big-endian on the wire, unlike the host-order nlmsghdr around it. Batch messages
    /// carry NFNL_SUBSYS_NFTABLES here. Read and write it with BinaryPrimitives / ReverseEndianness.
    /// </summary>
    public ushort ResourceIdBigEndian;
}
