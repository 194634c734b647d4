using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;

/// <summary>Pre-encoded requests for the bare-socket floors.</summary>
internal static class RawRequests
{
    /// <summary>NFT_MSG_GETTABLE for <c>inet TABLE</c>, as the library's probe sends it (without NLM_F_ACK, fixed sequence).</summary>
    public static byte[] GetTable(string table)
    {
        using var buffer = new NetlinkBuffer(256);
        var writer = new NetlinkWriter(buffer);
        MessageToken token = writer.BeginMessage(NfNetlinkConstants.NfTablesType(NftMessageType.GetTable), NetlinkMessageFlags.Request, 1);
        writer.WriteNfGenMessage(NfProtocolFamily.Inet, 0);
        writer.WriteString((ushort)NftTableAttribute.Name, table);
        writer.EndMessage(token);
        return buffer.WrittenSpan.ToArray();
    }
}
