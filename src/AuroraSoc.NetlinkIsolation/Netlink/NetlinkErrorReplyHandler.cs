namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>Sees one error reply (not an acknowledgement) to a transaction.</summary>
internal delegate void NetlinkErrorReplyHandler<in TState>(TState state, in NetlinkErrorReply reply);
