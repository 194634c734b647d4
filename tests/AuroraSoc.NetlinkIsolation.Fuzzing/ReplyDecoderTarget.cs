using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.Fuzzing;

/// <summary>
/// The reply decoder: each message of a received datagram goes where the isolator's reads send it — NEWTABLE,
/// NEWCHAIN and NEWRULE into the decoded table, chain and rule (every expression described and compared),
/// NLMSG_ERROR into nlmsgerr and its extended-ack TLVs. Malformed input may be refused only with
/// <see cref="NetlinkProtocolException"/>; after a refused message the next one is decoded, as long as the framing
/// holds, so one bad message does not hide the decoders of the rest.
/// </summary>
internal static class ReplyDecoderTarget
{
    private static readonly ushort NewTable = NfNetlinkConstants.NfTablesType(NftMessageType.NewTable);
    private static readonly ushort NewChain = NfNetlinkConstants.NfTablesType(NftMessageType.NewChain);
    private static readonly ushort NewRule = NfNetlinkConstants.NfTablesType(NftMessageType.NewRule);

    public static void Run(ReadOnlySpan<byte> input)
    {
        var reader = new NetlinkMessageReader(input);
        try
        {
            while (reader.Read())
            {
                Decode(reader.Current);
            }
        }
        catch (NetlinkProtocolException)
        {
            // The framing itself is broken: nothing after this point can be found.
        }
    }

    /// <summary>Every reply the kernel sent in the captures, whole, and each message of the table dump alone.</summary>
    public static IEnumerable<FuzzSeed> Seeds(TestVectorSet vectors)
    {
        foreach (string name in vectors.Names(".reply"))
        {
            yield return new FuzzSeed(name + ".bin", vectors.Datagram(name));
        }

        IReadOnlyList<byte[]> dump = vectors.Messages("list-table.reply");
        for (int i = 0; i < dump.Count; i++)
        {
            yield return new FuzzSeed($"list-table.reply.{i:00}.bin", dump[i]);
        }
    }

    private static void Decode(in NetlinkMessage message)
    {
        try
        {
            if (message.Type == (ushort)NetlinkMessageType.Error)
            {
                NetlinkErrorReply reply = NetlinkErrorReply.Parse(message);
                _ = (reply.IsAcknowledgement, reply.KernelMessage, reply.Offset);
            }
            else if (message.Type == NewTable)
            {
                NftTable table = NfTablesDecoder.DecodeTable(message);
                _ = (table.Family, table.Name, table.Flags, table.Handle, table.Use);
            }
            else if (message.Type == NewChain)
            {
                NftChain chain = NfTablesDecoder.DecodeChain(message);
                _ = (chain.Table, chain.Name, chain.IsBaseChain, chain.Hook, chain.Policy, chain.Type);
            }
            else if (message.Type == NewRule)
            {
                NftRule rule = NfTablesDecoder.DecodeRule(message);
                _ = rule.IsEquivalentTo(rule);
                foreach (NftExpression expression in rule.Expressions)
                {
                    _ = expression.ToString();
                }
            }
        }
        catch (NetlinkProtocolException)
        {
            // A refused message; the next one may still decode.
        }
    }
}
