using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// Named sets (declaration and elements) and the set lookups of rules, as nft 1.0.6 prints them.
public static partial class NftSyntaxRenderer
{
    // nft's datatype ids (datatype.h, enum datatypes) of the keys this project declares.
    internal const uint Ipv4AddressType = 7;
    internal const uint Ipv6AddressType = 8;
    internal const uint InetServiceType = 13;

    // nft 1.0.6 expression.c, set_expr_print: elements after the first line continue on a new line indented by three tabs
    // and five spaces (under "elements = { ").
    private const string ElementLineBreak = ",\n\t\t\t     ";

    /// <summary>
    /// The table's named sets, each followed by a blank line as nft separates a table's objects: the allowlist's interval
    /// sets and the recording's ledgers. An anonymous set is not listed here: the rule that looks it up prints it in place.
    /// </summary>
    private static void AppendSets(StringBuilder text, IReadOnlyList<NftSet> sets, ref string separator)
    {
        foreach (NftSet set in sets)
        {
            if (set.IsAnonymous)
            {
                continue;
            }

            text.Append(separator);
            separator = "\n";
            uint[] types = KeyTypes(set);
            text.Append("\tset ").Append(set.Name).Append(" {\n\t\ttype ");
            for (int i = 0; i < types.Length; i++)
            {
                text.Append(i == 0 ? string.Empty : " . ").Append(TypeName(types[i]));
            }

            text.Append('\n');
            if (set.Size is uint size)
            {
                text.Append("\t\tsize ").Append(size.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            AppendSetFlags(text, set.Flags ?? NftSetFlags.None);
            if (set.ElementStatement is CounterExpression)
            {
                text.Append("\t\tcounter\n");
            }

            if (!set.IsInterval)
            {
                if (set.Elements.Count > 0)
                {
                    AppendElementsByHostOrder(text, set);
                }

                text.Append("\t}\n");
                continue;
            }

            List<string> elements = ElementTexts(set, types);
            if (elements.Count > 0)
            {
                // Two IPv4 addresses share a line; longer keys (IPv6, concatenations) stand one per line.
                int perLine = types.Length == 1 && types[0] == Ipv4AddressType ? 2 : 1;
                text.Append("\t\telements = { ");
                for (int i = 0; i < elements.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(i % perLine == 0 ? ElementLineBreak : ", ");
                    }

                    text.Append(elements[i]);
                }

                text.Append(" }\n");
            }

            text.Append("\t}\n");
        }
    }

    /// <summary>The key's datatypes, first field first: a concatenation packs one 6-bit id per field (nft datatype.c, concat_type_alloc).</summary>
    private static uint[] KeyTypes(NftSet set)
    {
        var types = new List<uint>();
        for (uint rest = set.KeyType ?? 0; rest != 0; rest >>= 6)
        {
            types.Insert(0, rest & 0x3f);
        }

        return types.Count == 0 ? [0] : [.. types];
    }

    private static string TypeName(uint type) => type switch
    {
        Ipv4AddressType => "ipv4_addr",
        Ipv6AddressType => "ipv6_addr",
        InetServiceType => "inet_service",
        InetProtoType => "inet_proto",
        _ => type.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Each element as nft prints it, in ascending key order. A plain interval set's ranges are rebuilt from start
    /// elements and the INTERVAL_END element after each (a start without one runs to the last key); a concatenation's
    /// elements carry both ends.
    /// </summary>
    private static List<string> ElementTexts(NftSet set, uint[] types)
    {
        var texts = new List<string>();
        var elements = new List<NftSetElement>(set.Elements.Count);
        foreach (NftSetElement element in set.Elements)
        {
            if (element.Key is not null)
            {
                elements.Add(element);
            }
        }

        elements.Sort(NftSetElement.ByKey);

        var text = new StringBuilder();
        if (types.Length > 1 || !set.IsInterval)
        {
            foreach (NftSetElement element in elements)
            {
                text.Clear();
                AppendKey(text, types, element.Key!, element.KeyEnd ?? element.Key!);
                texts.Add(text.ToString());
            }

            return texts;
        }

        byte[]? start = null;
        foreach (NftSetElement element in elements)
        {
            if (element.IsIntervalEnd)
            {
                if (start is not null)
                {
                    text.Clear();
                    AppendRange(text, start, ToBytes(FromBytes(element.Key!) - 1, element.Key!.Length));
                    texts.Add(text.ToString());
                    start = null;
                }

                continue; // nft's leading end element at key 0 closes nothing
            }

            if (start is not null)
            {
                AddOpen(texts, text, start);
            }

            start = element.Key;
        }

        if (start is not null)
        {
            AddOpen(texts, text, start);
        }

        return texts;
    }

    private static void AddOpen(List<string> texts, StringBuilder text, byte[] start)
    {
        text.Clear();
        AppendRange(text, start, ToBytes(UInt128.MaxValue, start.Length));
        texts.Add(text.ToString());
    }

    private static void AppendKey(StringBuilder text, uint[] types, byte[] key, byte[] keyEnd)
    {
        int offset = 0;
        for (int i = 0; i < types.Length; i++)
        {
            int length = types[i] switch { Ipv4AddressType => 4, Ipv6AddressType => 16, InetServiceType => 2, _ => key.Length - offset };
            if (i > 0)
            {
                text.Append(" . ");
            }

            if (offset + length > key.Length || offset + length > keyEnd.Length)
            {
                text.Append("0x").Append(Convert.ToHexStringLower(key.AsSpan(Math.Min(offset, key.Length)))); // not a key this project wrote
                return;
            }

            byte[] first = key.AsSpan(offset, length).ToArray();
            byte[] last = keyEnd.AsSpan(offset, length).ToArray();
            if (types[i] == InetServiceType)
            {
                ushort low = BinaryPrimitives.ReadUInt16BigEndian(first);
                ushort high = BinaryPrimitives.ReadUInt16BigEndian(last);
                text.Append(low.ToString(CultureInfo.InvariantCulture));
                if (high != low)
                {
                    text.Append('-').Append(high.ToString(CultureInfo.InvariantCulture));
                }
            }
            else
            {
                AppendRange(text, first, last);
            }

            offset += (length + 3) & ~3; // each field fills whole 32-bit registers (NFT_REG32_SIZE)
        }
    }

    /// <summary>One address, a prefix when the range is exactly one, else <c>FIRST-LAST</c> (nft never splits a range).</summary>
    private static void AppendRange(StringBuilder text, byte[] first, byte[] last)
    {
        InetAddressText.Append(text, first);
        if (first.AsSpan().SequenceEqual(last) || first.Length != last.Length || first.Length > 16)
        {
            return;
        }

        UInt128 low = FromBytes(first);
        UInt128 size = FromBytes(last) - low + 1;
        int bits = first.Length * 8;
        if (size != 0 && UInt128.IsPow2(size) && (low & (size - 1)) == 0)
        {
            text.Append('/').Append(bits - (int)UInt128.Log2(size));
            return;
        }

        text.Append('-');
        InetAddressText.Append(text, last);
    }

    private static UInt128 FromBytes(ReadOnlySpan<byte> bytes)
    {
        UInt128 value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static byte[] ToBytes(UInt128 value, int length)
    {
        byte[] bytes = new byte[length];
        for (int i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)value;
            value >>= 8;
        }

        return bytes;
    }

    /// <summary>
    /// <c>ip saddr @SET</c> or <c>ip saddr . tcp sport @SET</c> (ip6, daddr, dport likewise): an address load, optionally a
    /// port load into the next register, and a lookup of the first register. Null when the expressions at
    /// <paramref name="index"/> are not that.
    /// </summary>
    private static string? SetLookupMatch(IReadOnlyList<NftExpression> e, int index, byte? nfproto, byte? l4proto, out int consumed, out bool usesPort)
    {
        consumed = 0;
        usesPort = false;
        if (e[index] is not PayloadExpression { Base: NftPayloadBase.NetworkHeader } address)
        {
            return null;
        }

        PayloadExpression? port = Next(e, index) as PayloadExpression;
        if (port is not null && port.Base != NftPayloadBase.TransportHeader)
        {
            return null;
        }

        if (Next(e, port is null ? index : index + 1) is not LookupExpression lookup || lookup.SourceRegister != address.DestinationRegister)
        {
            return null;
        }

        bool v6 = nfproto == (byte)NfProtocolFamily.IPv6;
        string? field = (nfproto, address.Offset, address.Length) switch
        {
            ((byte)NfProtocolFamily.IPv4, NftRuleBuilder.IPv4SourceOffset, 4) => "ip saddr",
            ((byte)NfProtocolFamily.IPv4, NftRuleBuilder.IPv4DestinationOffset, 4) => "ip daddr",
            ((byte)NfProtocolFamily.IPv6, NftRuleBuilder.IPv6SourceOffset, 16) => "ip6 saddr",
            ((byte)NfProtocolFamily.IPv6, NftRuleBuilder.IPv6DestinationOffset, 16) => "ip6 daddr",
            _ => null,
        };
        if (field is null)
        {
            return null;
        }

        string statement = field;
        if (port is not null)
        {
            string? protocol = l4proto switch { (byte)System.Net.Sockets.ProtocolType.Tcp => "tcp", (byte)System.Net.Sockets.ProtocolType.Udp => "udp", _ => null };
            NftRegister expected = v6 ? NftRegister.Reg2 : NftRegister.Reg32Index01;
            if (protocol is null || port.Length != 2 || port.Offset > 2 || port.DestinationRegister != expected)
            {
                return null;
            }

            statement += $" . {protocol} {(port.Offset == 0 ? "sport" : "dport")}";
            usesPort = true;
        }

        consumed = port is null ? 2 : 3;
        return statement + " @" + lookup.SetName;
    }
}
