using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// Builds one nf_tables transaction: NFNL_MSG_BATCH_BEGIN, the object messages, NFNL_MSG_BATCH_END. The kernel
/// applies all of it or none of it. Sequence numbers rise by one per message from the first, so an error reply
/// maps back to the message that caused it. Reusable: <see cref="Begin"/> starts over in the same buffer.
/// </summary>
internal sealed partial class NfTablesBatch : IDisposable
{
    private readonly NetlinkBuffer _buffer;
    private int[] _offsets = new int[64];
    private int _count;
    private uint _firstSequence;
    private bool _open;

    /// <param name="initialCapacity">Bytes to reserve up front; by default none until the first message.</param>
    public NfTablesBatch(int initialCapacity = 0)
    {
        _buffer = new NetlinkBuffer(initialCapacity);
    }

    /// <summary>The encoded batch; only complete once <see cref="End"/> was called.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.WrittenSpan;

    /// <summary>Bytes the reused buffer holds before it must grow.</summary>
    internal int Capacity => _buffer.Capacity;

    /// <summary>Messages written, BATCH_BEGIN and BATCH_END included.</summary>
    public int MessageCount => _count;

    public uint FirstSequence => _firstSequence;

    public uint LastSequence => unchecked(_firstSequence + (uint)Math.Max(_count, 1) - 1);

    /// <summary>True once BATCH_END is written: a batch without it would be silently discarded by the kernel.</summary>
    public bool IsComplete => !_open && _count >= 2;

    /// <summary>Starts a new batch in the reused buffer; BATCH_BEGIN gets <paramref name="firstSequence"/>.</summary>
    public void Begin(uint firstSequence)
    {
        _buffer.Clear();
        _count = 0;
        _firstSequence = firstSequence;
        _open = true;
        WriteBatchMarker(NfNetlinkConstants.NFNL_MSG_BATCH_BEGIN);
    }

    /// <summary>NFT_MSG_NEWTABLE without NLM_F_EXCL: creates the table or keeps the existing one.</summary>
    public void AddTable(NftTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var writer = StartMessage(NftMessageType.NewTable, NetlinkMessageFlags.None, table.Family, out MessageToken token);
        NftTable.Description.Write(ref writer, table);
        writer.EndMessage(token);
    }

    /// <summary>
    /// NFT_MSG_NEWTABLE with NLM_F_CREATE | NLM_F_EXCL, as nft sends <c>create table</c>: creates the table, and the
    /// kernel refuses the whole batch with EEXIST when it exists (nf_tables_newtable).
    /// </summary>
    public void CreateTable(NftTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var writer = StartMessage(NftMessageType.NewTable, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, table.Family, out MessageToken token);
        NftTable.Description.Write(ref writer, table);
        writer.EndMessage(token);
    }

    /// <summary>NFT_MSG_DELTABLE by name: deletes the table with all its chains and rules.</summary>
    public void DeleteTable(NfProtocolFamily family, string name)
    {
        var writer = StartMessage(NftMessageType.DelTable, NetlinkMessageFlags.None, family, out MessageToken token);
        writer.WriteString((ushort)NftTableAttribute.Name, name);
        writer.EndMessage(token);
    }

    /// <summary>NFT_MSG_NEWCHAIN with NLM_F_CREATE, as nft 1.0.6 sends it.</summary>
    public void AddChain(NftChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var writer = StartMessage(NftMessageType.NewChain, NetlinkMessageFlags.Create, chain.Family, out MessageToken token);
        NftChain.Description.Write(ref writer, chain);
        writer.EndMessage(token);
    }

    /// <summary>
    /// NFT_MSG_NEWCHAIN with NLM_F_CREATE | NLM_F_EXCL and NFTA_CHAIN_ID <paramref name="chainId"/>: creates the chain,
    /// EEXIST when it exists; rules later in the batch name it by that id (<see cref="AddRule(NftRule, uint)"/>).
    /// </summary>
    public void CreateChain(NftChain chain, uint chainId)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var writer = StartMessage(NftMessageType.NewChain, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, chain.Family, out MessageToken token);
        NftChain.Description.Write(ref writer, chain);
        writer.WriteUInt32BigEndian((ushort)NftChainAttribute.Id, chainId);
        writer.EndMessage(token);
    }

    /// <summary>
    /// NFT_MSG_NEWRULE with NLM_F_CREATE | NLM_F_APPEND into the chain this batch created with NFTA_CHAIN_ID
    /// <paramref name="chainId"/>: NFTA_RULE_CHAIN_ID stands where NFTA_RULE_CHAIN would (nf_tables_newrule looks the
    /// chain up among this transaction's new chains only, nft_chain_lookup_byid). When the chain was not created — it
    /// existed — the rule is refused (ENOENT) instead of being appended to the existing chain.
    /// </summary>
    public void AddRule(NftRule rule, uint chainId)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var writer = StartMessage(NftMessageType.NewRule, NetlinkMessageFlags.Create | NetlinkMessageFlags.Append, rule.Family, out MessageToken token);
        writer.WriteString((ushort)NftRuleAttribute.Table, rule.Table);
        writer.WriteUInt32BigEndian((ushort)NftRuleAttribute.ChainId, chainId);
        NftRule.Body.Write(ref writer, rule);
        writer.EndMessage(token);
    }

    /// <summary>NFT_MSG_NEWRULE with NLM_F_CREATE | NLM_F_APPEND: appended after the chain's last rule.</summary>
    public void AddRule(NftRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var writer = StartMessage(NftMessageType.NewRule, NetlinkMessageFlags.Create | NetlinkMessageFlags.Append, rule.Family, out MessageToken token);
        NftRule.Description.Write(ref writer, rule);
        writer.EndMessage(token);
    }

    /// <summary>
    /// Appends a message encoded earlier (by this class, so framed and padded) and gives it this batch's next
    /// sequence number. Lets an immutable ruleset be encoded once and re-sent at the cost of a copy.
    /// </summary>
    public void AddEncoded(ReadOnlySpan<byte> message)
    {
        RequireOpen();
        if (message.Length < NetlinkMessageHeader.Size || message.Length % 4 != 0 || BitConverter.ToUInt32(message) != message.Length)
        {
            throw new ArgumentException("not one complete, padded netlink message", nameof(message));
        }

        Record();
        int offset = _buffer.Length;
        _buffer.EnsureAvailable(message.Length);
        Span<byte> target = _buffer.Array.AsSpan(offset, message.Length);
        message.CopyTo(target);
        BitConverter.TryWriteBytes(target[8..12], NextSequence()); // nlmsg_seq, host order
        _buffer.Length = offset + message.Length;
    }

    /// <summary>Writes NFNL_MSG_BATCH_END; only then may the batch be sent.</summary>
    public void End()
    {
        RequireOpen();
        WriteBatchMarker(NfNetlinkConstants.NFNL_MSG_BATCH_END);
        _open = false;
    }

    /// <summary>Finds the message the kernel's reply with <paramref name="sequence"/> refers to.</summary>
    public bool TryGetMessage(uint sequence, out BatchMessage message)
    {
        uint index = unchecked(sequence - _firstSequence);
        if (index >= (uint)_count)
        {
            message = default;
            return false;
        }

        int offset = _offsets[index];
        int end = index + 1 < (uint)_count ? _offsets[index + 1] : _buffer.Length;
        ushort type = BitConverter.ToUInt16(_buffer.WrittenSpan.Slice(offset + 4, 2));
        message = new BatchMessage((int)index, type, offset, end - offset);
        return true;
    }

    /// <summary>The bytes of one message of the batch (header included).</summary>
    public ReadOnlySpan<byte> MessageBytes(in BatchMessage message) => _buffer.WrittenSpan.Slice(message.Offset, message.Length);

    private NetlinkWriter StartMessage(NftMessageType type, NetlinkMessageFlags flags, NfProtocolFamily family, out MessageToken token)
    {
        RequireOpen();
        Record();
        var writer = new NetlinkWriter(_buffer);
        token = writer.BeginMessage(NfNetlinkConstants.NfTablesType(type), NetlinkMessageFlags.Request | flags, NextSequence());
        writer.WriteNfGenMessage(family, 0);
        return writer;
    }

    private void WriteBatchMarker(ushort type)
    {
        Record();
        var writer = new NetlinkWriter(_buffer);
        MessageToken token = writer.BeginMessage(type, NetlinkMessageFlags.Request, NextSequence());

        // res_id names the subsystem the batch is for (nfnetlink.c: nfnetlink_rcv_skb_batch), big-endian.
        writer.WriteNfGenMessage(NfProtocolFamily.Unspecified, NfNetlinkConstants.NFNL_SUBSYS_NFTABLES);
        writer.EndMessage(token);
    }

    private uint NextSequence() => unchecked(_firstSequence + (uint)(_count - 1));

    private void Record()
    {
        if (_count == _offsets.Length)
        {
            Array.Resize(ref _offsets, _offsets.Length * 2);
        }

        _offsets[_count++] = _buffer.Length;
    }

    private void RequireOpen()
    {
        if (!_open)
        {
            throw new InvalidOperationException("The batch is not open: call Begin first, and nothing may follow End.");
        }
    }

    public void Dispose() => _buffer.Dispose();
}

/// <summary>Where one message sits in a batch: its index, type, and byte range.</summary>
internal readonly record struct BatchMessage(int Index, ushort Type, int Offset, int Length)
{
    public string TypeName => NfNetlinkMessages.Name(Type);
}
