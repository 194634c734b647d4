using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// The statements that record blocked traffic, compiled as nft 1.0.6 compiles them (checked against
// tests/TestVectors/record-blocked.request.hex).
internal sealed partial class NftRuleBuilder
{
    // The transport header's destination port: TCP and UDP both keep it at offset 2 (RFC 793, RFC 768).
    private const uint TransportDestinationPortOffset = 2;

    /// <summary><c>counter</c>, starting at the given counter's values.</summary>
    public NftRuleBuilder Counter(CounterExpression counter)
    {
        _expressions.Add(counter);
        return this;
    }

    /// <summary><c>meta l4proto != PROTOCOL</c>.</summary>
    public NftRuleBuilder TransportProtocolOtherThan(ProtocolType protocol)
    {
        _expressions.Add(MetaExpression.Load(NftMetaKey.L4Proto));
        _expressions.Add(CmpExpression.Create(NftCmpOperator.Neq, [(byte)protocol]));
        return this;
    }

    /// <summary><c>drop</c>: the verdict the chain reaches anyway, given where a recording rule ends.</summary>
    public NftRuleBuilder Drop()
    {
        _expressions.Add(ImmediateExpression.ForVerdict(NfVerdict.Drop));
        return this;
    }

    /// <summary>
    /// <c>update @LEDGER { ip daddr . meta l4proto . th dport }</c> and its variants: the other end's address (source
    /// or destination) into register 1, the protocol into the next register, the destination port (or the constant 0
    /// for protocols without ports) into the one after, then the update. The address's nfproto dependency comes first
    /// in the rule (<see cref="NetworkProtocol"/>), as nft places an explicit <c>meta nfproto</c>.
    /// </summary>
    public NftRuleBuilder LedgerUpdate(AddressFamily family, bool sourceAddress, bool withPort, string ledger, uint ledgerId)
    {
        bool v6 = family == AddressFamily.InterNetworkV6;
        uint offset = v6 ? (sourceAddress ? IPv6SourceOffset : IPv6DestinationOffset) : (sourceAddress ? IPv4SourceOffset : IPv4DestinationOffset);
        _expressions.Add(PayloadExpression.Load(NftPayloadBase.NetworkHeader, offset, v6 ? 16u : 4u));
        (NftRegister protocolRegister, NftRegister portRegister) = LedgerKeyRegisters(family);
        _expressions.Add(MetaExpression.Load(NftMetaKey.L4Proto, protocolRegister));
        _expressions.Add(withPort
            ? PayloadExpression.Load(NftPayloadBase.TransportHeader, TransportDestinationPortOffset, 2, portRegister)
            : ImmediateExpression.LoadValue(portRegister, [0, 0]));
        _expressions.Add(DynsetExpression.Update(ledger, ledgerId));
        return this;
    }

    /// <summary><c>limit rate RATE/second burst BURST packets log group GROUP</c>.</summary>
    public NftRuleBuilder RateLimitedLog(ulong perSecond, uint burst, ushort group)
    {
        _expressions.Add(LimitExpression.PacketsPerSecond(perSecond, burst));
        _expressions.Add(LogExpression.ToGroup(group));
        return this;
    }

    /// <summary>
    /// Where nft puts the protocol and the port of a ledger key: right after the address, 4 bytes each. After an IPv4
    /// address that is NFT_REG32_01 and _02; after an IPv6 one (16 bytes) the protocol starts a 128-bit register, which
    /// nft names NFT_REG_2, and the port is NFT_REG32_05.
    /// </summary>
    internal static (NftRegister Protocol, NftRegister Port) LedgerKeyRegisters(AddressFamily family)
        => family == AddressFamily.InterNetworkV6 ? (NftRegister.Reg2, NftRegister.Reg32Index05) : (NftRegister.Reg32Index01, NftRegister.Reg32Index02);
}
