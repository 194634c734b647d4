namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>Where an errno came from; the same errno means different things at different steps.</summary>
internal enum NetlinkErrorSource
{
    /// <summary>socket(2)/bind(2) in the calling thread's network namespace.</summary>
    OpenSocket,

    /// <summary>Entering the network namespace at a path (open(2), setns(2)) and opening the socket there.</summary>
    OpenSocketInNamespace,

    /// <summary>sendmsg(2).</summary>
    Send,

    /// <summary>recvmsg(2).</summary>
    Receive,

    /// <summary>The kernel's error reply to a request, or to the first message of a transaction.</summary>
    Reply,

    /// <summary>The kernel's error reply to a later message of a transaction.</summary>
    TransactionReply,
}
