namespace AuroraSoc.NetlinkIsolation.NfTables;

// A kernel value that appears in decoded tables, chains and rules, and so belongs to the library's public model.
// Its values are checked against the kernel headers (tests/AuroraSoc.NetlinkIsolation.Tests/Interop).

/// <summary>Netfilter hooks (enum nf_inet_hooks, &lt;linux/netfilter.h&gt;).</summary>
public enum NfInetHook : uint
{
    /// <summary>NF_INET_PRE_ROUTING.</summary>
    PreRouting = 0,
    /// <summary>NF_INET_LOCAL_IN: the input hook.</summary>
    LocalIn = 1,
    /// <summary>NF_INET_FORWARD: routed traffic.</summary>
    Forward = 2,
    /// <summary>NF_INET_LOCAL_OUT: the output hook.</summary>
    LocalOut = 3,
    /// <summary>NF_INET_POST_ROUTING.</summary>
    PostRouting = 4,
    /// <summary>NF_INET_INGRESS (Linux 5.10).</summary>
    Ingress = 5,
}
