using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// nf_tables over a <see cref="NetlinkConnection"/>: commits batches and maps the kernel's errors back to the message
/// and attribute that caused them, and reads the generation id, tables, chains and rules.
/// Not thread-safe: one request at a time (HostIsolator serialises callers).
/// </summary>
internal sealed partial class NfTablesConnection : IDisposable
{
    private readonly NetlinkConnection _netlink;

    // The batch being committed and the earliest failure the kernel reported for it; fields rather than a closure so
    // that a commit allocates nothing.
    private NfTablesBatch? _committing;
    private BatchFailure? _failure;

    public NfTablesConnection(INetlinkSocket socket, NetlinkConnectionOptions? options = null)
        : this(new NetlinkConnection(socket, options, NfNetlinkMessages.Name))
    {
    }

    private NfTablesConnection(NetlinkConnection netlink) => _netlink = netlink;

    /// <summary>Opens a netfilter netlink socket in this thread's namespace, or in the one at <paramref name="namespacePath"/>.</summary>
    public static NfTablesConnection Open(string? namespacePath = null, NetlinkConnectionOptions? options = null)
        => new(NetlinkConnection.Open(namespacePath, options, NfNetlinkMessages.Name));

    public uint PortId => _netlink.PortId;

    /// <summary>Reserves <paramref name="count"/> consecutive sequence numbers and returns the first.</summary>
    public uint ReserveSequences(int count) => _netlink.ReserveSequences(count);

    /// <summary>
    /// Sends a complete batch and returns when the kernel has committed it; throws when it refused it. No error
    /// reply means committed: nfnetlink acknowledges only failures unless NLM_F_ACK is set, and the batch carries no
    /// NLM_F_ACK, so there are no acks to count (nfnetlink.c: nfnetlink_rcv_batch).
    /// </summary>
    public void Commit(NfTablesBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!batch.IsComplete)
        {
            throw new InvalidOperationException("The batch has no NFNL_MSG_BATCH_END; the kernel would discard it silently.");
        }

        _committing = batch;
        _failure = null;
        try
        {
            _netlink.Transact(batch.Bytes, this, static (self, in reply) => self.OnBatchError(reply));
        }
        finally
        {
            _committing = null;
        }

        if (_failure is { } failure)
        {
            _failure = null;
            throw BatchRejected(failure);
        }
    }

    private void OnBatchError(in NetlinkErrorReply reply)
    {
        NfTablesBatch batch = _committing!;
        if (!batch.TryGetMessage(reply.Echoed.Sequence, out BatchMessage failed))
        {
            return;
        }

        // Keep the earliest failing message: later errors are often consequences of it.
        if (_failure is null || failed.Index < _failure.Value.Message.Index)
        {
            string? attribute = reply.Offset is int offset ? AttributeLocator.Describe(batch.MessageBytes(failed), offset) : null;
            _failure = new BatchFailure(-reply.Error, failed, reply.KernelMessage, attribute);
        }
    }

    /// <summary>
    /// Sends one GET request (no NLM_F_DUMP) for the object named <paramref name="name"/> and decodes its single
    /// reply; returns false when the kernel answers ENOENT (the object does not exist).
    /// </summary>
    public bool TryGet<T>(NftMessageType type, NfProtocolFamily family, ushort nameAttribute, string name, NetlinkMessageDecoder<T> decode, out T? result)
    {
        WriteRequest(type, family, NetlinkMessageFlags.None, nameAttribute, name);
        return _netlink.TryGet(decode, out result);
    }

    /// <summary>Dumps the objects of <paramref name="type"/>, filtered by one string attribute when given.</summary>
    public List<T> Dump<T>(NftMessageType type, NfProtocolFamily family, ushort filterAttribute, string? filterValue, NetlinkMessageDecoder<T> decode)
    {
        WriteRequest(type, family, NetlinkMessageFlags.Dump, filterAttribute, filterValue);
        return _netlink.Dump(decode);
    }

    /// <summary>The ruleset generation id (NFT_MSG_GETGEN); it changes with every committed batch.</summary>
    public uint GetGeneration()
    {
        TryGet(NftMessageType.GetGen, NfProtocolFamily.Unspecified, 0, string.Empty, static (in NetlinkMessage m) => ReadGeneration(m), out uint generation);
        return generation;
    }

    /// <summary>True when the table exists: one GETTABLE whose reply is not decoded.</summary>
    public bool TableExists(NfProtocolFamily family, string tableName)
        => TryGet<bool>(NftMessageType.GetTable, family, (ushort)NftTableAttribute.Name, tableName, static (in NetlinkMessage _) => true, out _);

    /// <summary>The table with its chains and rules, or null when it does not exist.</summary>
    public NftTableSnapshot? ReadTable(NfProtocolFamily family, string tableName)
    {
        if (!TryGet(NftMessageType.GetTable, family, (ushort)NftTableAttribute.Name, tableName, NfTablesDecoder.DecodeTable, out NftTable? table) || table is null)
        {
            return null;
        }

        List<NftChain> chains = Dump(NftMessageType.GetChain, family, (ushort)NftChainAttribute.Table, tableName, NfTablesDecoder.DecodeChain);
        List<NftRule> rules = Dump(NftMessageType.GetRule, family, (ushort)NftRuleAttribute.Table, tableName, NfTablesDecoder.DecodeRule);

        // Older kernels ignore the table filter on dumps; filter here as well.
        chains.RemoveAll(c => c.Table != tableName || c.Family != family);
        rules.RemoveAll(r => r.Table != tableName || r.Family != family);
        // The table's use count is its chains plus its sets and other objects (every kernel reports NFTA_TABLE_USE): equal to
        // the chains, there is no set to dump — the common case costs no extra round trip.
        bool mayHoldSets = table.Use is uint use && use > chains.Count;
        return new NftTableSnapshot(table, chains, rules) { Sets = mayHoldSets ? ReadSets(family, tableName) : [] };
    }

    private static uint ReadGeneration(in NetlinkMessage message)
    {
        NetlinkAttributeReader attributes = message.NfAttributes();
        while (attributes.Read())
        {
            if (attributes.Type == (ushort)NftGenAttribute.Id)
            {
                return attributes.GetUInt32BigEndian();
            }
        }

        throw new NetlinkProtocolException("NFT_MSG_NEWGEN without NFTA_GEN_ID.");
    }

    private void WriteRequest(NftMessageType type, NfProtocolFamily family, NetlinkMessageFlags flags, ushort attribute, string? value)
    {
        NetlinkWriter writer = _netlink.BeginRequest(NfNetlinkConstants.NfTablesType(type), flags, out MessageToken token);
        writer.WriteNfGenMessage(family, 0);
        if (attribute != 0 && value is not null)
        {
            writer.WriteString(attribute, value);
        }

        writer.EndMessage(token);
    }

    private static NetlinkException BatchRejected(BatchFailure failure)
    {
        int errno = failure.Errno;
        BatchMessage message = failure.Message;

        // nfnetlink binds a failure of the whole batch (no CAP_NET_ADMIN, no nf_tables subsystem) to BATCH_BEGIN.
        NetlinkErrorKind kind = NetlinkErrors.KindOf(errno, message.Index == 0 ? NetlinkErrorSource.Reply : NetlinkErrorSource.TransactionReply);
        string where = failure.Attribute is null ? message.TypeName : $"{message.TypeName} attribute {failure.Attribute}";
        string text = kind switch
        {
            NetlinkErrorKind.KernelRejected =>
                $"the kernel rejected message {message.Index} ({where}) with {Errno.Name(errno)} ({Errno.Describe(errno)})"
                + (failure.KernelMessage is null ? string.Empty : $": {failure.KernelMessage}"),
            _ => $"{Errno.Name(errno)} on {message.TypeName}",
        };

        return new NetlinkException(kind, errno, text, failure.KernelMessage, message.TypeName, message.Index, failure.Attribute);
    }

    public void Dispose() => _netlink.Dispose();

    private readonly record struct BatchFailure(int Errno, BatchMessage Message, string? KernelMessage, string? Attribute);
}
