using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// Set lookups, compiled as nft 1.0.6 compiles `ip saddr @SET` and `ip saddr . tcp sport @SET` (checked against
// tests/TestVectors/named-sets-v4.request.hex and named-sets-v6.request.hex).
internal sealed partial class NftRuleBuilder
{
    /// <summary><c>ip saddr @SET</c> (ip6, daddr likewise): the whole address into register 1, looked up in the set.</summary>
    public NftRuleBuilder AddressInSet(bool source, bool v6, string setName, uint? setId)
    {
        LoadAddress(source, v6);
        _expressions.Add(LookupExpression.InSet(setName, setId));
        return this;
    }

    /// <summary>
    /// <c>ip saddr . tcp sport @SET</c>: nft puts both dependencies first, then the address into register 1 and the port
    /// into the 32-bit word right after the address — NFT_REG32_01 after an IPv4 address, NFT_REG_2 after an IPv6 one —
    /// so that the two loads form the set's concatenated key.
    /// </summary>
    public NftRuleBuilder AddressAndPortInSet(bool source, bool v6, ProtocolType protocol, string setName, uint? setId)
    {
        NetworkProtocol(v6 ? NfProtocolFamily.IPv6 : NfProtocolFamily.IPv4);
        TransportProtocol(protocol);
        _expressions.Add(PayloadExpression.Load(NftPayloadBase.NetworkHeader, AddressOffset(source, v6), v6 ? 16u : 4u));
        _expressions.Add(PayloadExpression.Load(NftPayloadBase.TransportHeader, source ? 0u : 2u, 2, v6 ? NftRegister.Reg2 : NftRegister.Reg32Index01));
        _expressions.Add(LookupExpression.InSet(setName, setId));
        return this;
    }

    private void LoadAddress(bool source, bool v6)
    {
        NetworkProtocol(v6 ? NfProtocolFamily.IPv6 : NfProtocolFamily.IPv4);
        _expressions.Add(PayloadExpression.Load(NftPayloadBase.NetworkHeader, AddressOffset(source, v6), v6 ? 16u : 4u));
    }

    private static uint AddressOffset(bool source, bool v6) => v6 ? (source ? IPv6SourceOffset : IPv6DestinationOffset) : (source ? IPv4SourceOffset : IPv4DestinationOffset);
}
