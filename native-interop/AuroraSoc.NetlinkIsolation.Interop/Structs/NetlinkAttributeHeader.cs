using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.Interop.Structs;

/// <summary>
/// struct nlattr (&lt;linux/netlink.h&gt;). Host byte order, even though most NFTA_* payloads are big-endian.
/// The type's top bits are <see cref="NetlinkAttributeFlags"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetlinkAttributeHeader
{
    /// <summary>sizeof(struct nlattr); also NLA_HDRLEN.</summary>
    public const int Size = 4;

    /// <summary>nla_len: header plus payload, without the padding to the next 4-byte boundary.</summary>
    public ushort Length;

    /// <summary>nla_type, including the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits.</summary>
    public ushort Type;
}
