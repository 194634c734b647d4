namespace AuroraSoc.NetlinkIsolation.NfTables;

// A kernel value that appears in decoded tables, chains and rules, and so belongs to the library's public model.
// Its values are checked against the kernel headers (tests/AuroraSoc.NetlinkIsolation.Tests/Interop).

/// <summary>Address families as nf_tables uses them (NFPROTO_*, &lt;linux/netfilter.h&gt;).</summary>
public enum NfProtocolFamily : byte
{
    /// <summary>NFPROTO_UNSPEC: batch and generation messages.</summary>
    Unspecified = 0,
    /// <summary>NFPROTO_INET: IPv4 and IPv6 in one table.</summary>
    Inet = 1,
    /// <summary>NFPROTO_IPV4.</summary>
    IPv4 = 2,
    /// <summary>NFPROTO_ARP.</summary>
    Arp = 3,
    /// <summary>NFPROTO_NETDEV.</summary>
    NetDev = 5,
    /// <summary>NFPROTO_BRIDGE.</summary>
    Bridge = 7,
    /// <summary>NFPROTO_IPV6.</summary>
    IPv6 = 10,
}
