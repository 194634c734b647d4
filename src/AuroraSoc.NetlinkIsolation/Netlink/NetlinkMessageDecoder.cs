namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>Decodes one reply message into a result.</summary>
internal delegate T NetlinkMessageDecoder<out T>(in NetlinkMessage message);
