using System.Buffers.Binary;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Tests.Golden;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability;

/// <summary>One request the fake kernel received: its name (BATCH, GETGEN, GETTABLE, GETCHAIN, GETRULE), sequence and order.</summary>
internal sealed record KernelRequest(string Name, uint Sequence, int Ordinal, IReadOnlyList<byte[]> Messages);

/// <summary>
/// A small model of nf_tables for one table, answering over a <see cref="FakeNetlinkSocket"/> the way the kernel
/// does: batches are all-or-nothing and answered only with errors (no NLM_F_ACK), errors carry the failing
/// message's sequence number, GETTABLE answers NEWTABLE or ENOENT, GETCHAIN/GETRULE dumps end with NLMSG_DONE,
/// GETGEN reports a generation that every commit increments, a NEWTABLE with NLM_F_EXCL for an existing table is
/// refused with EEXIST. Hooks let a test reject batches and rewrite replies.
/// </summary>
internal sealed class FakeNfTablesKernel : IFakeKernel
{
    private readonly List<byte[]> _chains = [];
    private readonly List<byte[]> _rules = [];
    private byte[]? _table;

    public uint Generation { get; set; } = 1;

    public bool TableExists => _table is not null;

    public int ChainCount => _chains.Count;

    public int RuleCount => _rules.Count;

    /// <summary>Decides whether a batch (its messages, BATCH_BEGIN first) is refused: the failing index, errno and ext-ack TLVs.</summary>
    public Func<IReadOnlyList<byte[]>, (int Index, int Errno, byte[]? Tlvs)?>? RejectBatch { get; set; }

    /// <summary>Rewrites the datagrams answering a request (drop, corrupt, re-address, reorder, add).</summary>
    public Func<KernelRequest, List<byte[]>, List<byte[]>>? ReplyTransform { get; set; }

    /// <summary>Runs when a request arrives, before it is handled (e.g. another process commits concurrently).</summary>
    public Action<KernelRequest>? OnRequest { get; set; }

    public int DumpMessagesPerDatagram { get; set; } = 8;

    public List<KernelRequest> Requests { get; } = [];

    public int BatchesCommitted { get; private set; }

    public int BatchesRejected { get; private set; }

    public IEnumerable<string> RequestNames => Requests.Select(r => r.Name);

    /// <summary>Loads the table exactly as the kernel dumped it after nft applied the contract example (list-table vector).</summary>
    public void LoadCapturedContractExample()
    {
        Clear();
        foreach (byte[] message in TestVector.Load("list-table").Reply)
        {
            switch (Wire.Type(message))
            {
                case var t when t == Wire.NfType(0):
                    _table = message;
                    break;
                case var t when t == Wire.NfType(3):
                    _chains.Add(message);
                    break;
                case var t when t == Wire.NfType(6):
                    _rules.Add(message);
                    break;
            }
        }
    }

    public void Clear()
    {
        _table = null;
        _chains.Clear();
        _rules.Clear();
    }

    /// <summary>Replaces the table with one that has only the given chains' messages kept (a degraded table).</summary>
    public void KeepOnlyChains(Func<byte[], bool> keep) => _chains.RemoveAll(c => !keep(c));

    public void Deliver(byte[] datagram, FakeNetlinkSocket socket)
    {
        List<byte[]> messages = Wire.Split(datagram);
        if (messages.Count == 0)
        {
            return;
        }

        ushort firstType = Wire.Type(messages[0]);
        string name = firstType == Wire.BatchBegin ? "BATCH" : NameOf(firstType);
        var request = new KernelRequest(name, Wire.Sequence(messages[0]), Requests.Count, messages);
        Requests.Add(request);
        OnRequest?.Invoke(request);

        List<byte[]> replies = firstType == Wire.BatchBegin ? HandleBatch(messages, socket.PortId) : HandleGet(messages[0], socket.PortId);
        if (ReplyTransform is { } transform)
        {
            replies = transform(request, replies);
        }

        foreach (byte[] reply in replies)
        {
            socket.Enqueue(reply);
        }
    }

    private static string NameOf(ushort type) => (type >> 8) != 10 ? $"type 0x{type:x4}" : (type & 0xff) switch
    {
        1 => "GETTABLE",
        4 => "GETCHAIN",
        7 => "GETRULE",
        16 => "GETGEN",
        int other => $"NFT {other}",
    };

    private List<byte[]> HandleBatch(List<byte[]> messages, uint portId)
    {
        if (Wire.Type(messages[^1]) != Wire.BatchEnd)
        {
            return []; // nfnetlink aborts a batch without BATCH_END silently
        }

        if (RejectBatch?.Invoke(messages) is { } reject)
        {
            BatchesRejected++;
            return [Wire.Error(reject.Errno, messages[reject.Index], portId, reject.Tlvs)];
        }

        byte[]? table = _table;
        var chains = new List<byte[]>(_chains);
        var rules = new List<byte[]>(_rules);
        var acks = new List<byte[]>();
        var chainIds = new Dictionary<uint, string>();
        for (int i = 1; i < messages.Count - 1; i++)
        {
            byte[] message = messages[i];
            int errno = (Wire.Type(message) & 0xff) switch
            {
                0 => table is not null && (Wire.Flags(message) & Wire.FlagExcl) != 0 ? Errno.EEXIST : Do(() => table ??= message),
                2 => table is null ? Errno.ENOENT : Do(() =>
                {
                    table = null;
                    chains.Clear();
                    rules.Clear();
                }),
                3 => table is null ? Errno.ENOENT : Do(() => chains.Add(WithoutChainId(message, chainIds))),
                6 => table is null ? Errno.ENOENT : WithChainName(message, chainIds) is { } rule ? Do(() => rules.Add(rule)) : Errno.ENOENT,
                _ => Errno.EOPNOTSUPP,
            };
            if (errno != 0)
            {
                BatchesRejected++;
                return [Wire.Datagram([Wire.Error(errno, message, portId)])];
            }

            if ((Wire.Flags(message) & Wire.FlagAck) != 0)
            {
                acks.Add(Wire.Error(0, message, portId));
            }
        }

        _table = table;
        _chains.Clear();
        _chains.AddRange(chains);
        _rules.Clear();
        _rules.AddRange(rules);
        Generation++;
        BatchesCommitted++;
        return acks.Count == 0 ? [] : [Wire.Datagram(acks)];
    }

    // NFTA_CHAIN_ID and NFTA_RULE_CHAIN_ID (nf_tables.h): a batch names the chains it creates by id; the kernel keeps
    // names only, so dumps show a rule added by chain id under its chain's name.
    private const ushort ChainNameAttribute = 3;
    private const ushort ChainIdAttribute = 11;
    private const ushort RuleChainAttribute = 2;
    private const ushort RuleChainIdAttribute = 11;

    private static byte[] WithoutChainId(byte[] chain, Dictionary<uint, string> chainIds)
    {
        List<(ushort Type, byte[] Value)> attributes = Wire.AttributesOf(chain);
        int id = attributes.FindIndex(a => a.Type == ChainIdAttribute);
        int name = attributes.FindIndex(a => a.Type == ChainNameAttribute);
        if (id < 0)
        {
            return chain;
        }

        if (name >= 0)
        {
            chainIds[BinaryPrimitives.ReadUInt32BigEndian(attributes[id].Value)] = Encoding.UTF8.GetString(attributes[name].Value).TrimEnd('\0');
        }

        attributes.RemoveAt(id);
        return Wire.WithAttributes(chain, attributes);
    }

    /// <summary>The rule with NFTA_RULE_CHAIN_ID replaced by the name of the chain this batch created with that id; null when none was.</summary>
    private static byte[]? WithChainName(byte[] rule, Dictionary<uint, string> chainIds)
    {
        List<(ushort Type, byte[] Value)> attributes = Wire.AttributesOf(rule);
        int id = attributes.FindIndex(a => a.Type == RuleChainIdAttribute);
        if (id < 0)
        {
            return rule;
        }

        if (!chainIds.TryGetValue(BinaryPrimitives.ReadUInt32BigEndian(attributes[id].Value), out string? name))
        {
            return null;
        }

        attributes[id] = (RuleChainAttribute, [.. Encoding.UTF8.GetBytes(name), 0]);
        return Wire.WithAttributes(rule, attributes);
    }

    private static int Do(Action action)
    {
        action();
        return 0;
    }

    private List<byte[]> HandleGet(byte[] request, uint portId)
    {
        uint sequence = Wire.Sequence(request);
        ushort type = Wire.Type(request);
        bool dump = (Wire.Flags(request) & Wire.FlagDump) == Wire.FlagDump;
        switch (type & 0xff)
        {
            case 16 when (type >> 8) == 10:
                return [Wire.NewGen(Generation, sequence, portId)];
            case 1 when (type >> 8) == 10 && !dump:
                return _table is null
                    ? [Wire.Error(Errno.ENOENT, request, portId, Wire.U32HostAttribute(2, 20))]
                    : [Wire.Readdress(_table, Wire.NfType(0), 0, sequence, portId)];
            case 4 when (type >> 8) == 10 && dump:
                return DumpOf(_chains, Wire.NfType(3), sequence, portId);
            case 7 when (type >> 8) == 10 && dump:
                return DumpOf(_rules, Wire.NfType(6), sequence, portId);
            case 10 when (type >> 8) == 10 && dump:
                return DumpOf([], Wire.NfType(9), sequence, portId); // this fake holds no sets
            default:
                return [Wire.Error(Errno.EOPNOTSUPP, request, portId)];
        }
    }

    private List<byte[]> DumpOf(List<byte[]> objects, ushort type, uint sequence, uint portId)
    {
        var datagrams = new List<byte[]>();
        var current = new List<byte[]>();
        foreach (byte[] item in objects)
        {
            current.Add(Wire.Readdress(item, type, Wire.FlagMulti, sequence, portId));
            if (current.Count == DumpMessagesPerDatagram)
            {
                datagrams.Add(Wire.Datagram(current));
                current.Clear();
            }
        }

        current.Add(Wire.Done(sequence, portId));
        datagrams.Add(Wire.Datagram(current));
        return datagrams;
    }
}
