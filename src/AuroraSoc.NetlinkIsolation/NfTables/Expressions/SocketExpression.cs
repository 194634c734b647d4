using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>socket: loads a property of the packet's local socket (here: its cgroup v2 ancestor's id) into a register.</summary>
internal sealed class SocketExpression : NftExpression<SocketExpression>
{
    // libnftnl nftnl_expr_socket_build order: KEY, DREG, LEVEL (checked against nft 1.0.6's bytes in
    // tests/TestVectors/agent-identity.request.hex). NFTA_SOCKET_LEVEL is only sent for the cgroupv2 key.
    internal static readonly ObjectSchema<SocketExpression> Description = new(
        "socket",
        ScalarFields.UInt32<SocketExpression>((ushort)NftSocketAttribute.Key, "NFTA_SOCKET_KEY", e => (uint)e.Key, (e, v) => e.Key = (NftSocketKey)v),
        ScalarFields.UInt32<SocketExpression>((ushort)NftSocketAttribute.DestinationRegister, "NFTA_SOCKET_DREG", e => (uint?)e.DestinationRegister, (e, v) => e.DestinationRegister = (NftRegister)v),
        ScalarFields.UInt32<SocketExpression>((ushort)NftSocketAttribute.Level, "NFTA_SOCKET_LEVEL", e => e.Level, (e, v) => e.Level = v));

    internal SocketExpression()
    {
    }

    /// <summary><c>[ socket load cgroupv2 => reg DREG ]</c> at <paramref name="level"/>: the id of the socket's
    /// cgroup ancestor that many levels below the cgroup2 root (nft_socket.c, cgroup_ancestor()).</summary>
    public static SocketExpression LoadCgroupV2(uint level, NftRegister destination = NftRegister.Reg1)
        => new() { Key = NftSocketKey.CgroupV2, DestinationRegister = destination, Level = level };

    public NftSocketKey Key { get; private set; }

    public NftRegister? DestinationRegister { get; private set; }

    public uint? Level { get; private set; }

    private protected override ObjectSchema<SocketExpression> Schema => Description;

    public override string ToString() => $"[ socket load {Key} level {Level} => reg {(uint?)DestinationRegister} ]";
}
