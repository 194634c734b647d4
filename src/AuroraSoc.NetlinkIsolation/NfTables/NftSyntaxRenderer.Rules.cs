using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// One rule's statements: nft's own compilation patterns (implicit nfproto/l4proto dependencies, merged port loads,
// prefix loads) turned back into the statements nft prints; anything else printed as a comment naming the raw
// expressions.
public static partial class NftSyntaxRenderer
{
    private const int IPv4AddressBytes = 4;
    private const int IPv6AddressBytes = 16;

    /// <summary>One rule's statements, e.g. <c>ip saddr 192.0.2.10 accept</c>.</summary>
    public static string RenderRule(NftRule rule) => RenderRule(rule, CgroupV2Directory.PathOf);

    /// <summary>One rule's statements, naming cgroup ids through <paramref name="cgroupPath"/> (null: the bare number).</summary>
    internal static string RenderRule(NftRule rule, Func<ulong, string?> cgroupPath)
    {
        ArgumentNullException.ThrowIfNull(rule);
        IReadOnlyList<NftExpression> e = rule.Expressions;
        if (RecordingStatement(e) is string recording)
        {
            return recording;
        }

        var parts = new List<string>();
        byte? nfproto = null;
        int nfprotoAt = -1;
        byte? l4proto = null;
        int l4protoAt = -1;

        for (int i = 0; i < e.Count; i++)
        {
            switch (e[i])
            {
                case MetaExpression meta when Next(e, i) is CmpExpression cmp && cmp.Operator == NftCmpOperator.Eq:
                    i++;
                    switch (meta.Key)
                    {
                        case NftMetaKey.InputInterface or NftMetaKey.OutputInterface when cmp.Data.Length == 4:
                            uint index = BinaryPrimitives.ReadUInt32LittleEndian(cmp.Data);
                            string name = index == 1 ? "\"lo\"" : index.ToString(CultureInfo.InvariantCulture);
                            parts.Add((meta.Key == NftMetaKey.InputInterface ? "iif " : "oif ") + name);
                            break;
                        case NftMetaKey.NfProto when cmp.Data.Length == 1:
                            SettleNfProto(parts, nfproto, ref nfprotoAt); // an earlier unconsumed match stays printed
                            nfproto = cmp.Data[0];
                            nfprotoAt = parts.Count;
                            parts.Add(string.Empty); // placeholder: dropped if a header match consumes the dependency
                            break;
                        case NftMetaKey.L4Proto when cmp.Data.Length == 1:
                            SettleL4Proto(parts, l4proto, ref l4protoAt);
                            l4proto = cmp.Data[0];
                            l4protoAt = parts.Count;
                            parts.Add(string.Empty);
                            break;
                        case NftMetaKey.SocketUid or NftMetaKey.SocketGid when cmp.Data.Length == 4:
                            parts.Add((meta.Key == NftMetaKey.SocketUid ? "meta skuid " : "meta skgid ")
                                + BinaryPrimitives.ReadUInt32LittleEndian(cmp.Data).ToString(CultureInfo.InvariantCulture));
                            break;
                        default:
                            parts.Add(Unrecognised(meta, cmp));
                            break;
                    }

                    break;

                case CtExpression { Key: NftCtKey.State } when Next(e, i) is BitwiseExpression bitwise && Next(e, i + 1) is CmpExpression { Operator: NftCmpOperator.Neq } cmp
                    && bitwise.Mask.Length == 4 && cmp.Data.Length == 4:
                    i += 2;
                    parts.Add("ct state " + CtStateNames(BinaryPrimitives.ReadUInt32LittleEndian(bitwise.Mask)));
                    break;

                case PayloadExpression when SetLookupMatch(e, i, nfproto, l4proto, out int consumed, out bool usesPort) is { } lookup:
                    i += consumed - 1;
                    Consume(parts, ref nfprotoAt);
                    if (usesPort)
                    {
                        Consume(parts, ref l4protoAt);
                    }

                    parts.Add(lookup);
                    break;

                case PayloadExpression { Base: NftPayloadBase.NetworkHeader } payload:
                {
                    BitwiseExpression? mask = Next(e, i) as BitwiseExpression;
                    if (Next(e, mask is null ? i : i + 1) is not CmpExpression { Operator: NftCmpOperator.Eq } cmp)
                    {
                        parts.Add(Unrecognised(payload));
                        break;
                    }

                    i += mask is null ? 1 : 2;
                    string? statement = NetworkHeaderMatch(nfproto, payload, mask, cmp);
                    if (statement is null)
                    {
                        parts.Add(Unrecognised(payload, cmp));
                        break;
                    }

                    Consume(parts, ref nfprotoAt);
                    parts.Add(statement);
                    break;
                }

                case PayloadExpression { Base: NftPayloadBase.TransportHeader } payload when Next(e, i) is CmpExpression { Operator: NftCmpOperator.Eq } cmp:
                {
                    i++;
                    string? statement = TransportHeaderMatch(l4proto, payload, cmp);
                    if (statement is null)
                    {
                        parts.Add(Unrecognised(payload, cmp));
                        break;
                    }

                    Consume(parts, ref l4protoAt);
                    if (l4proto == (byte)ProtocolType.IcmpV6)
                    {
                        Consume(parts, ref nfprotoAt); // icmpv6 implies ip6
                    }

                    parts.Add(statement);
                    break;
                }

                case SocketExpression { Key: NftSocketKey.CgroupV2, Level: uint level } socket
                    when Next(e, i) is CmpExpression { Operator: NftCmpOperator.Eq } cmp && cmp.Data.Length == 8:
                {
                    i++;
                    ulong id = BinaryPrimitives.ReadUInt64LittleEndian(cmp.Data); // host order as nft writes it (x86/arm64: little endian)
                    string? path = cgroupPath(id);
                    parts.Add($"socket cgroupv2 level {level} " + (path is null ? id.ToString(CultureInfo.InvariantCulture) : $"\"{path}\""));
                    break;
                }

                case ImmediateExpression { DestinationRegister: NftRegister.Verdict } immediate:
                    parts.Add(VerdictName(immediate.Verdict));
                    break;

                case RejectExpression { Type: NftRejectType.TcpReset }:
                    parts.Add("reject with tcp reset");
                    break;

                default:
                    parts.Add(Unrecognised(e[i]));
                    break;
            }
        }

        // Dependencies no header match consumed are printed as nft prints them on their own.
        SettleNfProto(parts, nfproto, ref nfprotoAt);
        SettleL4Proto(parts, l4proto, ref l4protoAt);
        parts.RemoveAll(static p => p.Length == 0);
        return string.Join(' ', parts);
    }

    private static void SettleNfProto(List<string> parts, byte? nfproto, ref int at)
    {
        if (at >= 0)
        {
            parts[at] = "meta nfproto " + nfproto switch
            {
                (byte)NfProtocolFamily.IPv6 => "ipv6",
                (byte)NfProtocolFamily.IPv4 => "ipv4",
                _ => nfproto?.ToString(CultureInfo.InvariantCulture),
            };
            at = -1;
        }
    }

    private static void SettleL4Proto(List<string> parts, byte? l4proto, ref int at)
    {
        if (at >= 0)
        {
            parts[at] = "meta l4proto " + L4Name(l4proto!.Value);
            at = -1;
        }
    }

    private static void Consume(List<string> parts, ref int at)
    {
        if (at >= 0)
        {
            parts[at] = string.Empty;
            at = -1;
        }
    }

    private static string? NetworkHeaderMatch(byte? nfproto, PayloadExpression payload, BitwiseExpression? mask, CmpExpression cmp)
    {
        bool v6 = nfproto == (byte)NfProtocolFamily.IPv6;
        bool v4 = nfproto == (byte)NfProtocolFamily.IPv4;
        if (v6 && payload.Offset == NftRuleBuilder.IPv6HopLimitOffset && payload.Length == 1 && mask is null && cmp.Data.Length == 1)
        {
            return "ip6 hoplimit " + cmp.Data[0].ToString(CultureInfo.InvariantCulture);
        }

        int addressLength = v6 ? IPv6AddressBytes : v4 ? IPv4AddressBytes : 0;
        string? field = (v6, payload.Offset) switch
        {
            (true, NftRuleBuilder.IPv6SourceOffset) => "ip6 saddr",
            (true, NftRuleBuilder.IPv6DestinationOffset) => "ip6 daddr",
            (false, NftRuleBuilder.IPv4SourceOffset) when v4 => "ip saddr",
            (false, NftRuleBuilder.IPv4DestinationOffset) when v4 => "ip daddr",
            _ => null,
        };
        if (field is null || payload.Length == 0 || payload.Length > addressLength || cmp.Data.Length != payload.Length)
        {
            return null;
        }

        int prefix;
        if (mask is null)
        {
            prefix = (int)payload.Length * 8;
        }
        else
        {
            if (mask.Mask.Length != payload.Length || !IsPrefixMask(mask.Mask, out prefix) || mask.Xor.ContainsAnyExcept((byte)0))
            {
                return null;
            }
        }

        byte[] bytes = new byte[addressLength];
        cmp.Data.CopyTo(bytes);
        string address = new IPAddress(bytes).ToString();
        return prefix == addressLength * 8 ? $"{field} {address}" : $"{field} {address}/{prefix}";
    }

    private static string? TransportHeaderMatch(byte? l4proto, PayloadExpression payload, CmpExpression cmp)
    {
        if (l4proto == (byte)ProtocolType.IcmpV6 && payload.Offset == 0 && payload.Length == 1 && cmp.Data.Length == 1)
        {
            return "icmpv6 type " + Icmpv6TypeName(cmp.Data[0]);
        }

        string? protocol = l4proto switch { (byte)ProtocolType.Tcp => "tcp", (byte)ProtocolType.Udp => "udp", _ => null };
        if (protocol is null || cmp.Data.Length != payload.Length)
        {
            return null;
        }

        return (payload.Offset, payload.Length) switch
        {
            (0, 2) => $"{protocol} sport {BinaryPrimitives.ReadUInt16BigEndian(cmp.Data)}",
            (2, 2) => $"{protocol} dport {BinaryPrimitives.ReadUInt16BigEndian(cmp.Data)}",
            (0, 4) => $"{protocol} sport {BinaryPrimitives.ReadUInt16BigEndian(cmp.Data)} {protocol} dport {BinaryPrimitives.ReadUInt16BigEndian(cmp.Data[2..])}",
            _ => null,
        };
    }

    private static bool IsPrefixMask(ReadOnlySpan<byte> mask, out int prefix)
    {
        prefix = 0;
        bool ended = false;
        foreach (byte b in mask)
        {
            if (ended && b != 0)
            {
                return false;
            }

            int ones = BitOperations.LeadingZeroCount((uint)(byte)~b) - 24;
            if ((byte)(0xff << (8 - ones)) != b && ones != 8)
            {
                return false;
            }

            prefix += ones;
            ended = ones < 8;
        }

        return true;
    }

    private static string CtStateNames(uint bits)
    {
        // nft prints the states in bit order (invalid, established, related, new, untracked).
        var names = new List<string>();
        foreach ((uint bit, string name) in (ReadOnlySpan<(uint, string)>)[(1, "invalid"), (2, "established"), (4, "related"), (8, "new"), (64, "untracked")])
        {
            if ((bits & bit) != 0)
            {
                names.Add(name);
            }
        }

        return string.Join(',', names);
    }

    private static string Icmpv6TypeName(byte type) => type switch
    {
        1 => "destination-unreachable",
        2 => "packet-too-big",
        3 => "time-exceeded",
        4 => "parameter-problem",
        128 => "echo-request",
        129 => "echo-reply",
        133 => "nd-router-solicit",
        134 => "nd-router-advert",
        135 => "nd-neighbor-solicit",
        136 => "nd-neighbor-advert",
        137 => "nd-redirect",
        _ => type.ToString(CultureInfo.InvariantCulture),
    };

    private static string L4Name(byte protocol) => protocol switch
    {
        (byte)ProtocolType.Tcp => "tcp",
        (byte)ProtocolType.Udp => "udp",
        (byte)ProtocolType.Icmp => "icmp",
        (byte)ProtocolType.IcmpV6 => "ipv6-icmp",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };

    private static string VerdictName(NftVerdictData verdict) => verdict.Code switch
    {
        NfVerdict.Accept => "accept",
        NfVerdict.Drop => "drop",
        NfVerdict.Continue => "continue",
        NfVerdict.Return => "return",
        NfVerdict.Jump => "jump " + verdict.Chain,
        NfVerdict.Goto => "goto " + verdict.Chain,
        NfVerdict.Queue => "queue",
        _ => $"verdict {(int)verdict.Code}",
    };

    private static NftExpression? Next(IReadOnlyList<NftExpression> expressions, int index) => index + 1 < expressions.Count ? expressions[index + 1] : null;

    private static string Unrecognised(params NftExpression[] expressions) => "# " + string.Join<NftExpression>(' ', expressions);
}
