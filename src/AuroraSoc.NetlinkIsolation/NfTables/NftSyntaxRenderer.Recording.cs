using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// The statements and sets of --record-blocked, printed as nft 1.0.6 prints them (tests/TestVectors/record-blocked):
// `counter packets N bytes M limit rate 10/second burst 20 packets log group N`,
// `update @SET { ip daddr . meta l4proto . tcp dport } drop`, and the ledgers with their elements and counters.
public static partial class NftSyntaxRenderer
{
    // nft's datatype id of inet_proto (datatype.h, enum datatypes): the protocol part of a ledger's key. The address and
    // port ids are with the sets (NftSyntaxRenderer.Sets.cs).
    internal const uint InetProtoType = 12;

    /// <summary>The whole rule as one recording statement, or null when it is not one of them.</summary>
    private static string? RecordingStatement(IReadOnlyList<NftExpression> e)
    {
        if (e.Count == 1 && e[0] is CounterExpression counter)
        {
            return CounterText(counter);
        }

        if (e.Count == 2 && e[0] is LimitExpression limit && e[1] is LogExpression { Group: ushort group, Prefix: null })
        {
            return LimitText(limit) + " log group " + group.ToString(CultureInfo.InvariantCulture);
        }

        if (e.Count == 3 && e[0] is CounterExpression logged && e[1] is LimitExpression loggedLimit && e[2] is LogExpression { Group: ushort loggedGroup, Prefix: null })
        {
            return CounterText(logged) + " " + LimitText(loggedLimit) + " log group " + loggedGroup.ToString(CultureInfo.InvariantCulture);
        }

        // meta nfproto F meta l4proto P update @LEDGER { ip(6) s|daddr . meta l4proto . th dport } VERDICT, printed as nft
        // 1.0.6 prints it: both matches are implied, the family by the address and the protocol by `tcp dport`.
        if (e.Count == 9
            && NfprotoMatch(e) is byte family
            && e[2] is MetaExpression { Key: NftMetaKey.L4Proto, DestinationRegister: NftRegister.Reg1 }
            && e[3] is CmpExpression { Operator: NftCmpOperator.Eq, Data: [byte protocol] } && protocol is (byte)ProtocolType.Tcp or (byte)ProtocolType.Udp
            && LedgerUpdateText(family, e, 4, portless: false) is string tcpOrUdp
            && RecordingVerdict(e[8]) is string verdict)
        {
            return tcpOrUdp.Replace(". th dport", ". " + ProtocolNames.Of(protocol) + " dport", StringComparison.Ordinal) + " " + verdict;
        }

        // meta nfproto F meta l4proto != tcp meta l4proto != udp update @LEDGER { … . 0 } VERDICT: the family implied.
        if (e.Count == 11
            && NfprotoMatch(e) is byte otherFamily
            && IsProtocolOtherThan(e[2], e[3], ProtocolType.Tcp)
            && IsProtocolOtherThan(e[4], e[5], ProtocolType.Udp)
            && LedgerUpdateText(otherFamily, e, 6, portless: true) is string other
            && RecordingVerdict(e[10]) is string otherVerdict)
        {
            return "meta l4proto != tcp meta l4proto != udp " + other + " " + otherVerdict;
        }

        return null;
    }

    /// <summary>The family byte of a rule that starts <c>meta nfproto F</c>.</summary>
    private static byte? NfprotoMatch(IReadOnlyList<NftExpression> e)
        => e[0] is MetaExpression { Key: NftMetaKey.NfProto, DestinationRegister: NftRegister.Reg1 } && e[1] is CmpExpression { Operator: NftCmpOperator.Eq, Data: [byte family] }
            ? family
            : null;

    private static bool IsProtocolOtherThan(NftExpression load, NftExpression compare, ProtocolType protocol)
        => load is MetaExpression { Key: NftMetaKey.L4Proto, DestinationRegister: NftRegister.Reg1 }
            && compare is CmpExpression { Operator: NftCmpOperator.Neq, Data: [byte value] } && value == (byte)protocol;

    /// <summary>
    /// <c>update @LEDGER { ip daddr . meta l4proto . th dport }</c> (or <c>. 0</c>) from the four expressions at
    /// <paramref name="at"/>: the address, the protocol, the port or 0, the update.
    /// </summary>
    private static string? LedgerUpdateText(byte family, IReadOnlyList<NftExpression> e, int at, bool portless)
    {
        if (e[at] is not PayloadExpression { Base: NftPayloadBase.NetworkHeader, DestinationRegister: NftRegister.Reg1 } address
            || e[at + 3] is not DynsetExpression { Operation: DynsetExpression.UpdateOperation, KeyRegister: NftRegister.Reg1 } update
            || AddressField(family, address) is not string field)
        {
            return null;
        }

        (NftRegister protocolRegister, NftRegister portRegister) = NftRuleBuilder.LedgerKeyRegisters(address.Length == 16 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        return e[at + 1] is MetaExpression { Key: NftMetaKey.L4Proto } protocol && protocol.DestinationRegister == protocolRegister
            && PortPart(e[at + 2], portRegister) is string port && (port == "0") == portless
                ? $"update @{update.SetName} {{ {field} . meta l4proto . {port} }}"
                : null;
    }

    /// <summary>The verdict a ledger update ends with: what its chain gives the packet anyway.</summary>
    private static string? RecordingVerdict(NftExpression expression) => expression switch
    {
        ImmediateExpression { IsVerdict: true, Verdict.Code: NfVerdict.Drop } => "drop",
        RejectExpression { Type: NftRejectType.TcpReset } => "reject with tcp reset",
        _ => null,
    };

    private static string CounterText(CounterExpression counter)
        => "counter packets " + (counter.Packets ?? 0).ToString(CultureInfo.InvariantCulture) + " bytes " + (counter.Bytes ?? 0).ToString(CultureInfo.InvariantCulture);

    private static string LimitText(LimitExpression limit)
    {
        string unit = limit.UnitSeconds switch
        {
            1 => "second",
            60 => "minute",
            3600 => "hour",
            86400 => "day",
            604800 => "week",
            _ => limit.UnitSeconds.ToString(CultureInfo.InvariantCulture) + "s",
        };

        // nft 1.0.6 limit_stmt_print: the burst only when it is not nft's default of 5 packets.
        string burst = limit.Burst is 0 or 5 ? string.Empty : " burst " + limit.Burst.ToString(CultureInfo.InvariantCulture) + " packets";
        return $"limit rate {limit.Rate.ToString(CultureInfo.InvariantCulture)}/{unit}{burst}";
    }

    private static string? AddressField(byte nfproto, PayloadExpression payload) => (nfproto, payload.Offset, payload.Length) switch
    {
        ((byte)NfProtocolFamily.IPv4, NftRuleBuilder.IPv4SourceOffset, 4) => "ip saddr",
        ((byte)NfProtocolFamily.IPv4, NftRuleBuilder.IPv4DestinationOffset, 4) => "ip daddr",
        ((byte)NfProtocolFamily.IPv6, NftRuleBuilder.IPv6SourceOffset, 16) => "ip6 saddr",
        ((byte)NfProtocolFamily.IPv6, NftRuleBuilder.IPv6DestinationOffset, 16) => "ip6 daddr",
        _ => null,
    };

    private static string? PortPart(NftExpression expression, NftRegister register) => expression switch
    {
        PayloadExpression { Base: NftPayloadBase.TransportHeader, Offset: 2, Length: 2 } payload when payload.DestinationRegister == register => "th dport",
        ImmediateExpression { IsVerdict: false } constant when constant.DestinationRegister == register && constant.Value.Length == 2
            => ((constant.Value[0] << 8) | constant.Value[1]).ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>
    /// A set that is not an interval set (a ledger): its elements in the kernel's key order, one per line. nft 1.0.6 sorts
    /// them (netlink_list_setelems, list_expr_sort) by the key as one number in host byte order — on little-endian hosts
    /// the last byte weighs most.
    /// </summary>
    private static void AppendElementsByHostOrder(StringBuilder text, NftSet set)
    {
        var elements = new List<NftSetElement>(set.Elements);
        elements.Sort(static (a, b) => CompareFromLastByte(a.Key, b.Key));
        text.Append("\t\telements = { ");
        for (int i = 0; i < elements.Count; i++)
        {
            text.Append(ElementText(set, elements[i]));
            text.Append(i < elements.Count - 1 ? ElementLineBreak : " }\n");
        }
    }

    private static int CompareFromLastByte(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }

        for (int i = a.Length - 1; i >= 0; i--)
        {
            if (a[i] != b[i])
            {
                return a[i].CompareTo(b[i]);
            }
        }

        return 0;
    }

    private static void AppendSetFlags(StringBuilder text, NftSetFlags flags)
    {
        var names = new List<string>();
        foreach ((NftSetFlags bit, string name) in (ReadOnlySpan<(NftSetFlags, string)>)[(NftSetFlags.Constant, "constant"), (NftSetFlags.Interval, "interval"), (NftSetFlags.Timeout, "timeout"), (NftSetFlags.Eval, "dynamic")])
        {
            if ((flags & bit) != 0)
            {
                names.Add(name);
            }
        }

        if (names.Count > 0)
        {
            text.Append("\t\tflags ").Append(string.Join(',', names)).Append('\n');
        }
    }

    /// <summary>One element: its key's parts joined by " . ", then its counter.</summary>
    internal static string ElementText(NftSet set, NftSetElement element)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(element);
        uint[] parts = KeyTypes(set);
        bool padded = parts.Length > 1; // a concatenation pads each part to a 32-bit register (nft_set_ext key layout)
        ReadOnlySpan<byte> key = element.Key;
        var text = new StringBuilder();
        int at = 0;
        foreach (uint part in parts)
        {
            int length = part switch { Ipv4AddressType => 4, Ipv6AddressType => 16, InetProtoType => 1, InetServiceType => 2, _ => key.Length - at };
            if (at + length > key.Length)
            {
                return "0x" + Convert.ToHexString(key);
            }

            ReadOnlySpan<byte> value = key.Slice(at, length);
            text.Append(text.Length == 0 ? string.Empty : " . ").Append(part switch
            {
                Ipv4AddressType or Ipv6AddressType => new IPAddress(value).ToString(),
                InetProtoType => ProtocolNames.Of(value[0]),
                InetServiceType => ((value[0] << 8) | value[1]).ToString(CultureInfo.InvariantCulture),
                _ => "0x" + Convert.ToHexString(value),
            });
            at += padded ? (length + 3) & ~3 : length;
        }

        if (element.Statement is CounterExpression counter)
        {
            text.Append(' ').Append(CounterText(counter));
        }

        return text.ToString();
    }
}
