using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// Builds a rule's expressions the way nft 1.0.6 compiles the matching nft syntax in an inet table, including
/// its implicit dependencies (<c>meta nfproto</c> before an ip/ip6 header field, <c>meta l4proto</c> before a
/// transport field), its merged payload loads (<c>udp sport 67 udp dport 68</c> is one 4-byte load) and its
/// prefix encoding (byte-aligned prefixes load fewer bytes; others load the whole address and mask it).
/// Matching that encoding is what makes <c>nft list</c> print the rule back exactly as the contract writes it.
/// </summary>
internal sealed partial class NftRuleBuilder
{
    // IPv4 header: saddr at 12, daddr at 16. IPv6 header: hop limit at 7, saddr at 8, daddr at 24 (RFC 791, RFC 8200).
    internal const uint IPv4SourceOffset = 12;
    internal const uint IPv4DestinationOffset = 16;
    internal const uint IPv6HopLimitOffset = 7;
    internal const uint IPv6SourceOffset = 8;
    internal const uint IPv6DestinationOffset = 24;

    private readonly List<NftExpression> _expressions = [];

    public IReadOnlyList<NftExpression> Expressions => _expressions;

    /// <summary><c>iif IFINDEX</c> (<c>iif "lo"</c> is ifindex 1 in every namespace); the index is host order.</summary>
    public NftRuleBuilder InputInterface(uint interfaceIndex) => Meta(NftMetaKey.InputInterface, HostOrder(interfaceIndex));

    /// <summary><c>oif IFINDEX</c>.</summary>
    public NftRuleBuilder OutputInterface(uint interfaceIndex) => Meta(NftMetaKey.OutputInterface, HostOrder(interfaceIndex));

    /// <summary><c>ct state A,B</c>: load the state bits, mask them, and require any of them (host order).</summary>
    public NftRuleBuilder ConnectionState(NftCtState states)
    {
        _expressions.Add(CtExpression.Load(NftCtKey.State));
        _expressions.Add(BitwiseExpression.MaskXor(HostOrder((uint)states), new byte[4]));
        _expressions.Add(CmpExpression.Create(NftCmpOperator.Neq, new byte[4]));
        return this;
    }

    /// <summary><c>meta nfproto ipv4|ipv6</c> — the dependency nft adds before any ip/ip6 header match.</summary>
    public NftRuleBuilder NetworkProtocol(NfProtocolFamily family) => Meta(NftMetaKey.NfProto, [(byte)family]);

    /// <summary><c>meta l4proto P</c> — the dependency nft adds before any transport header match.</summary>
    public NftRuleBuilder TransportProtocol(ProtocolType protocol) => Meta(NftMetaKey.L4Proto, [(byte)protocol]);

    /// <summary><c>ip saddr A/P</c>, <c>ip6 daddr A/P</c> …, with its nfproto dependency.</summary>
    public NftRuleBuilder Address(bool source, IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        NetworkProtocol(v6 ? NfProtocolFamily.IPv6 : NfProtocolFamily.IPv4);
        uint offset = v6 ? (source ? IPv6SourceOffset : IPv6DestinationOffset) : (source ? IPv4SourceOffset : IPv4DestinationOffset);
        byte[] bytes = address.GetAddressBytes();
        if (prefixLength % 8 == 0)
        {
            // Byte-aligned: nft loads only the prefix bytes and compares them (a /24 loads 3 bytes).
            int length = prefixLength / 8;
            _expressions.Add(PayloadExpression.Load(NftPayloadBase.NetworkHeader, offset, (uint)length));
            _expressions.Add(CmpExpression.Create(NftCmpOperator.Eq, bytes.AsSpan(0, length)));
        }
        else
        {
            // Not byte-aligned: nft 1.0.6 loads the whole address, masks it, and compares with the network.
            byte[] mask = new byte[bytes.Length];
            for (int bit = 0; bit < prefixLength; bit++)
            {
                mask[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }

            _expressions.Add(PayloadExpression.Load(NftPayloadBase.NetworkHeader, offset, (uint)bytes.Length));
            _expressions.Add(BitwiseExpression.MaskXor(mask, new byte[bytes.Length]));
            _expressions.Add(CmpExpression.Create(NftCmpOperator.Eq, bytes));
        }

        return this;
    }

    /// <summary>
    /// <c>tcp|udp sport S</c>, <c>dport D</c>, or both — both become one 4-byte load as nft merges them. Ports are
    /// network order.
    /// </summary>
    public NftRuleBuilder Ports(ProtocolType protocol, int? sourcePort, int? destinationPort)
    {
        if (sourcePort is null && destinationPort is null)
        {
            throw new ArgumentException("at least one port is required");
        }

        TransportProtocol(protocol);
        if (sourcePort is int s && destinationPort is int d)
        {
            byte[] both = new byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(both, checked((ushort)s));
            BinaryPrimitives.WriteUInt16BigEndian(both.AsSpan(2), checked((ushort)d));
            _expressions.Add(PayloadExpression.Load(NftPayloadBase.TransportHeader, 0, 4));
            _expressions.Add(CmpExpression.Create(NftCmpOperator.Eq, both));
        }
        else
        {
            byte[] port = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(port, checked((ushort)(sourcePort ?? destinationPort!.Value)));
            _expressions.Add(PayloadExpression.Load(NftPayloadBase.TransportHeader, sourcePort is null ? 2u : 0u, 2));
            _expressions.Add(CmpExpression.Create(NftCmpOperator.Eq, port));
        }

        return this;
    }

    /// <summary><c>icmpv6 type T</c> with its nfproto and l4proto dependencies.</summary>
    public NftRuleBuilder Icmpv6Type(byte type)
    {
        NetworkProtocol(NfProtocolFamily.IPv6);
        TransportProtocol(ProtocolType.IcmpV6);
        _expressions.Add(PayloadExpression.Load(NftPayloadBase.TransportHeader, 0, 1));
        _expressions.Add(CmpExpression.Create(NftCmpOperator.Eq, [type]));
        return this;
    }

    /// <summary><c>ip6 hoplimit N</c>, following a match that already established IPv6.</summary>
    public NftRuleBuilder Ip6HopLimit(byte hopLimit)
    {
        _expressions.Add(PayloadExpression.Load(NftPayloadBase.NetworkHeader, IPv6HopLimitOffset, 1));
        _expressions.Add(CmpExpression.Create(NftCmpOperator.Eq, [hopLimit]));
        return this;
    }

    /// <summary><c>socket cgroupv2 level L ID</c>: the packet's socket lies in cgroup <paramref name="cgroupId"/>
    /// (the cgroup directory's inode number) or below it, <paramref name="level"/> being that cgroup's depth below
    /// the cgroup2 root. The id is compared as nft writes it: 8 bytes in host order (nft_socket stores a u64).</summary>
    public NftRuleBuilder SocketCgroupV2(uint level, ulong cgroupId)
    {
        byte[] id = new byte[8];
        BitConverter.TryWriteBytes(id, cgroupId);
        _expressions.Add(SocketExpression.LoadCgroupV2(level));
        _expressions.Add(CmpExpression.Create(NftCmpOperator.Eq, id));
        return this;
    }

    /// <summary><c>meta skuid U</c>: the packet's socket belongs to user <paramref name="uid"/> (its file's owner).</summary>
    public NftRuleBuilder SocketUser(uint uid) => Meta(NftMetaKey.SocketUid, HostOrder(uid));

    /// <summary><c>meta skgid G</c>: the socket file's group (the owner's fsgid, not its supplementary groups).</summary>
    public NftRuleBuilder SocketGroup(uint gid) => Meta(NftMetaKey.SocketGid, HostOrder(gid));

    public NftRuleBuilder Accept()
    {
        _expressions.Add(ImmediateExpression.ForVerdict(NfVerdict.Accept));
        return this;
    }

    /// <summary><c>reject with tcp reset</c>.</summary>
    public NftRuleBuilder RejectWithTcpReset()
    {
        _expressions.Add(RejectExpression.TcpReset());
        return this;
    }

    public NftRule Build(NfProtocolFamily family, string table, string chain) => new(family, table, chain, _expressions.ToArray());

    private NftRuleBuilder Meta(NftMetaKey key, byte[] value)
    {
        _expressions.Add(MetaExpression.Load(key));
        _expressions.Add(CmpExpression.Create(NftCmpOperator.Eq, value));
        return this;
    }

    private static byte[] HostOrder(uint value)
    {
        byte[] bytes = new byte[4];
        BitConverter.TryWriteBytes(bytes, value); // host order: the kernel compares the u32 as stored in memory
        return bytes;
    }
}
