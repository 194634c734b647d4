using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>An nf_tables chain; a base chain also has a hook, a priority, a type and a policy.</summary>
public sealed class NftChain
{
    // nft 1.0.6 order on NEWCHAIN: TABLE, NAME, TYPE, POLICY, HOOK { HOOKNUM, PRIORITY }, USERDATA (the comment).
    internal static readonly ObjectSchema<NftChain> Description = new(
        "chain",
        new StringField<NftChain>((ushort)NftChainAttribute.Table, "NFTA_CHAIN_TABLE", c => c.Table, (c, v) => c.Table = v),
        ScalarFields.UInt64<NftChain>((ushort)NftChainAttribute.Handle, "NFTA_CHAIN_HANDLE", c => c.Handle, (c, v) => c.Handle = v),
        new StringField<NftChain>((ushort)NftChainAttribute.Name, "NFTA_CHAIN_NAME", c => c.Name, (c, v) => c.Name = v),
        new StringField<NftChain>((ushort)NftChainAttribute.Type, "NFTA_CHAIN_TYPE", c => c.Type, (c, v) => c.Type = v),
        ScalarFields.UInt32<NftChain>((ushort)NftChainAttribute.Policy, "NFTA_CHAIN_POLICY", c => (uint?)c.Policy, (c, v) => c.Policy = (NfVerdict)v),
        new HookField((ushort)NftChainAttribute.Hook, "NFTA_CHAIN_HOOK"),
        ScalarFields.UInt32<NftChain>((ushort)NftChainAttribute.Use, "NFTA_CHAIN_USE", c => c.Use, (c, v) => c.Use = v),
        ScalarFields.UInt32<NftChain>((ushort)NftChainAttribute.Flags, "NFTA_CHAIN_FLAGS", c => c.Flags, (c, v) => c.Flags = v),
        new BinaryField<NftChain>((ushort)NftChainAttribute.UserData, "NFTA_CHAIN_USERDATA", c => c._userData, (c, v) => c._userData = v));

    // enum nft_chain_flags (nf_tables.h): NFT_CHAIN_BASE is reported on every base chain; nft never sends it.
    private const uint BaseChainFlag = 1;

    private byte[]? _userData;

    /// <summary>A chain of <paramref name="table"/>; a base chain when <paramref name="hook"/> is given.</summary>
    /// <param name="family">The table's family.</param>
    /// <param name="table">The table's name.</param>
    /// <param name="name">The chain's name.</param>
    /// <param name="type">"filter", "nat" or "route" for a base chain; null for a regular chain.</param>
    /// <param name="hook">Where a base chain hooks into the stack, and at which priority; null for a regular chain.</param>
    /// <param name="policy">A base chain's policy (accept or drop); null for a regular chain.</param>
    public NftChain(NfProtocolFamily family, string table, string name, string? type = null, NftChainHook? hook = null, NfVerdict? policy = null)
    {
        Family = family;
        Table = table;
        Name = name;
        Type = type;
        Hook = hook;
        Policy = policy;
    }

    internal NftChain()
    {
        Table = string.Empty;
        Name = string.Empty;
    }

    /// <summary>The family of the chain's table.</summary>
    public NfProtocolFamily Family { get; internal set; }

    /// <summary>The name of the chain's table.</summary>
    public string Table { get; private set; }

    /// <summary>The chain's name.</summary>
    public string Name { get; private set; }

    /// <summary>"filter", "nat" or "route" for base chains; null for regular chains.</summary>
    public string? Type { get; private set; }

    /// <summary>The hook and priority of a base chain; null for a regular chain.</summary>
    public NftChainHook? Hook { get; private set; }

    /// <summary>A base chain's policy; null for a regular chain.</summary>
    public NfVerdict? Policy { get; private set; }

    /// <summary>The kernel's handle of the chain; null when not read from the kernel.</summary>
    public ulong? Handle { get; private set; }

    /// <summary>How many rules and jumps refer to the chain, as the kernel counts them; null when not read from the kernel.</summary>
    public uint? Use { get; private set; }

    /// <summary>NFTA_CHAIN_FLAGS (enum nft_chain_flags) as read; null when absent.</summary>
    public uint? Flags { get; private set; }

    /// <summary>True for a base chain (one with a hook).</summary>
    public bool IsBaseChain => Hook is not null;

    /// <summary>NFTA_CHAIN_USERDATA as stored (nft keeps the chain's comment there); empty when none.</summary>
    public ReadOnlySpan<byte> UserData => _userData;

    /// <summary>The chain's nft comment, or null when it has none.</summary>
    public string? Comment => _userData is null ? null : NftUserData.DecodeComment(_userData);

    /// <summary>
    /// This chain as a NEWCHAIN would create it again: without the handle and use count the kernel reported, and
    /// without the base-chain flag the kernel derives from the hook.
    /// </summary>
    internal NftChain ToNewChain()
    {
        uint? flags = Flags & ~BaseChainFlag;
        return new NftChain(Family, Table, Name, Type, Hook, Policy) { Flags = flags == 0 ? null : flags, _userData = _userData };
    }

    /// <summary>NFTA_CHAIN_HOOK { NFTA_HOOK_HOOKNUM, NFTA_HOOK_PRIORITY }, both big-endian; priority is signed.</summary>
    private sealed class HookField(ushort type, string kernelName) : AttributeField<NftChain>(type, kernelName)
    {
        public override void Write(ref NetlinkWriter writer, NftChain value)
        {
            if (value.Hook is not { } hook)
            {
                return;
            }

            AttributeToken nested = writer.BeginNested(Type);
            writer.WriteUInt32BigEndian((ushort)NftHookAttribute.HookNumber, (uint)hook.HookNumber);
            writer.WriteUInt32BigEndian((ushort)NftHookAttribute.Priority, unchecked((uint)hook.Priority));
            writer.EndNested(nested);
        }

        public override bool Read(in NetlinkAttributeReader reader, NftChain target)
        {
            NetlinkAttributeReader nested = reader.Nested();
            uint? number = null;
            int priority = 0;
            while (nested.Read())
            {
                switch (nested.Type)
                {
                    case (ushort)NftHookAttribute.HookNumber:
                        number = nested.GetUInt32BigEndian();
                        break;
                    case (ushort)NftHookAttribute.Priority:
                        priority = unchecked((int)nested.GetUInt32BigEndian());
                        break;
                }
            }

            if (number is null)
            {
                throw new NetlinkProtocolException("NFTA_CHAIN_HOOK without NFTA_HOOK_HOOKNUM.");
            }

            target.Hook = new NftChainHook((NfInetHook)number.Value, priority);
            return true;
        }

        public override string? NameNested(ushort nestedType) => nestedType switch
        {
            (ushort)NftHookAttribute.HookNumber => "NFTA_HOOK_HOOKNUM",
            (ushort)NftHookAttribute.Priority => "NFTA_HOOK_PRIORITY",
            _ => null,
        };
    }
}

/// <summary>Where a base chain attaches: the netfilter hook and the priority among chains on it.</summary>
public readonly record struct NftChainHook(NfInetHook HookNumber, int Priority);
