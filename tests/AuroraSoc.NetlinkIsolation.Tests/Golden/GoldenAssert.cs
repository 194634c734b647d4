using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.Tests.Golden;

/// <summary>Assertions that compare netlink messages with golden vectors captured from nft.</summary>
public static class GoldenAssert
{
    private const int NlmsgHdrLength = 16;
    private const int SeqOffset = 8;   // nlmsg_seq, bytes 8..11
    private const int PidOffset = 12;  // nlmsg_pid, bytes 12..15
    private const int NfnlSubsysNfTables = 10;

    // Low byte of nlmsg_type for NFNL_SUBSYS_NFTABLES, as enum nf_tables_msg_types numbers them.
    private static readonly string[] NfTablesMessages =
    [
        "NEWTABLE", "GETTABLE", "DELTABLE", "NEWCHAIN", "GETCHAIN", "DELCHAIN", "NEWRULE", "GETRULE", "DELRULE",
        "NEWSET", "GETSET", "DELSET", "NEWSETELEM", "GETSETELEM", "DELSETELEM", "NEWGEN", "GETGEN", "TRACE",
        "NEWOBJ", "GETOBJ", "DELOBJ", "GETOBJ_RESET", "NEWFLOWTABLE", "GETFLOWTABLE", "DELFLOWTABLE",
        "GETRULE_RESET", "DESTROYTABLE", "DESTROYCHAIN", "DESTROYRULE", "DESTROYSET", "DESTROYSETELEM",
        "DESTROYOBJ", "DESTROYFLOWTABLE", "GETSETELEM_RESET",
    ];

    /// <summary>
    /// Asserts that <paramref name="actual"/> holds the same netlink messages as <paramref name="expected"/>:
    /// same count, then each message byte for byte. With <paramref name="ignoreSequenceAndPortId"/>,
    /// nlmsg_seq (bytes 8..11) and nlmsg_pid (bytes 12..15) are zeroed on both sides first.
    /// Fails with the message index, its decoded nlmsg_type and a hex diff.
    /// </summary>
    public static void MessagesEqual(IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> actual, bool ignoreSequenceAndPortId = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);

        var ignoring = ignoreSequenceAndPortId ? " (nlmsg_seq and nlmsg_pid ignored: shown zeroed)" : string.Empty;
        var common = Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < common; i++)
        {
            var e = Normalize(expected[i], ignoreSequenceAndPortId);
            var a = Normalize(actual[i], ignoreSequenceAndPortId);
            if (e.AsSpan().SequenceEqual(a))
            {
                continue;
            }

            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"message {i} of {expected.Count} differs{ignoring}\n");
            sb.Append(CultureInfo.InvariantCulture, $"expected: {Describe(expected[i])}\n");
            sb.Append(CultureInfo.InvariantCulture, $"actual:   {Describe(actual[i])}\n");
            if (expected.Count != actual.Count)
            {
                AppendCounts(sb, expected, actual);
            }

            sb.Append(HexDump.Diff(e, a));
            Assert.Fail(sb.ToString());
        }

        if (expected.Count != actual.Count)
        {
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"the first {common} message(s) are equal{ignoring}, but ");
            AppendCounts(sb, expected, actual);
            Assert.Fail(sb.ToString());
        }
    }

    /// <summary>
    /// Names an nlmsg_type: <c>NLMSG_ERROR</c>, <c>NFNL_MSG_BATCH_BEGIN</c>, <c>NFT_MSG_NEWRULE</c>…;
    /// anything else as hex (with the nfnetlink subsystem when it is not nf_tables).
    /// </summary>
    public static string MessageTypeName(ushort type)
    {
        switch (type)
        {
            case 1: return "NLMSG_NOOP";
            case 2: return "NLMSG_ERROR";
            case 3: return "NLMSG_DONE";
            case 4: return "NLMSG_OVERRUN";
            case 0x10: return "NFNL_MSG_BATCH_BEGIN";
            case 0x11: return "NFNL_MSG_BATCH_END";
        }

        var subsystem = type >> 8;
        var low = type & 0xff;
        if (subsystem == NfnlSubsysNfTables && low < NfTablesMessages.Length)
        {
            return "NFT_MSG_" + NfTablesMessages[low];
        }

        return string.Create(CultureInfo.InvariantCulture, $"0x{type:x4} (subsys {subsystem}, msg {low})");
    }

    /// <summary>One-line summary of a message: type name, flags, seq, pid, length (and errno for NLMSG_ERROR).</summary>
    public static string Describe(ReadOnlySpan<byte> message)
    {
        if (message.Length < NlmsgHdrLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"<{message.Length} bytes: shorter than an nlmsghdr>");
        }

        var len = BinaryPrimitives.ReadUInt32LittleEndian(message);
        var type = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        var seq = BinaryPrimitives.ReadUInt32LittleEndian(message[SeqOffset..]);
        var pid = BinaryPrimitives.ReadUInt32LittleEndian(message[PidOffset..]);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{MessageTypeName(type)} flags=0x{flags:x4} seq={seq} pid={pid} nlmsg_len={len} ({message.Length} bytes)");
        if (type == 2 && message.Length >= NlmsgHdrLength + 4)
        {
            var error = BinaryPrimitives.ReadInt32LittleEndian(message[NlmsgHdrLength..]);
            text += string.Create(CultureInfo.InvariantCulture, $" error={error}");
        }

        return text;
    }

    private static byte[] Normalize(byte[] message, bool ignoreSequenceAndPortId)
    {
        ArgumentNullException.ThrowIfNull(message);
        var copy = (byte[])message.Clone();
        if (ignoreSequenceAndPortId)
        {
            copy.AsSpan(SeqOffset, Math.Clamp(copy.Length - SeqOffset, 0, 8)).Clear();
        }

        return copy;
    }

    private static void AppendCounts(StringBuilder sb, IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> actual)
    {
        sb.Append(CultureInfo.InvariantCulture, $"message count differs: expected {expected.Count}, actual {actual.Count}\n");
        sb.Append("expected: ").Append(Types(expected)).Append('\n');
        sb.Append("actual:   ").Append(Types(actual)).Append('\n');
    }

    private static string Types(IReadOnlyList<byte[]> messages) =>
        string.Join(", ", messages.Select(m => m.Length >= 6 ? MessageTypeName(BinaryPrimitives.ReadUInt16LittleEndian(m.AsSpan(4))) : "<short>"));
}
