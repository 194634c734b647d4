using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// What an isolation with <see cref="IsolationPolicy.RecordBlocked"/> has blocked so far: each chain's exact counter
/// and every endpoint its ledgers remember, largest first — read from the kernel (GETRULE for the counters, one
/// GETSETELEM dump per ledger), or the final report <c>unisolate</c> saved.
/// </summary>
public sealed class BlockedTraffic
{
    /// <summary>The most entries one ledger holds; a ledger at this size remembers no new endpoints.</summary>
    public const int LedgerCapacity = (int)BlockedRecording.LedgerSize;

    internal BlockedTraffic(
        string table, bool isRecording, IReadOnlyList<(string Direction, ulong Packets, ulong Bytes)> totals,
        IReadOnlyList<(string Direction, string Family, string Protocol, string Address, int? Port, ulong Packets, ulong Bytes)> entries, bool truncated)
    {
        Table = table;
        IsRecording = isRecording;
        Totals = totals;
        Entries = entries;
        Truncated = truncated;
    }

    /// <summary>The table the report is of.</summary>
    public string Table { get; }

    /// <summary>False when the table was installed without <c>--record-blocked</c>: there is nothing to report.</summary>
    public bool IsRecording { get; }

    /// <summary>True for the report <c>unisolate</c> saved when it removed the table.</summary>
    public bool IsFinal { get; internal init; }

    /// <summary>Each direction (<c>input</c>, <c>output</c>, <c>forward</c>) with the packets and bytes its chain blocked.</summary>
    public IReadOnlyList<(string Direction, ulong Packets, ulong Bytes)> Totals { get; }

    /// <summary>
    /// Every remembered endpoint, by packets, largest first: the other end's address, the protocol (<c>tcp</c>, <c>udp</c>,
    /// <c>icmp</c> …), the destination port tried (null for protocols without ports) and what it sent.
    /// </summary>
    public IReadOnlyList<(string Direction, string Family, string Protocol, string Address, int? Port, ulong Packets, ulong Bytes)> Entries { get; }

    /// <summary>True when a ledger is full: endpoints beyond <see cref="LedgerCapacity"/> are counted in the totals only.</summary>
    public bool Truncated { get; }

    /// <summary>Writes <c>totals</c>, <c>entries</c> (at most <paramref name="top"/>; 0: all), <c>truncated</c> and <c>final</c> into the JSON object being written.</summary>
    public void WriteJsonKeys(System.Text.Json.Utf8JsonWriter json, int top)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        BlockedTrafficJson.WriteKeys(json, this, top);
    }

    /// <summary>The report of a table read with its sets; <see cref="IsRecording"/> false when it records nothing.</summary>
    internal static BlockedTraffic From(NftTableSnapshot snapshot)
    {
        var totals = new List<(string, ulong, ulong)>();
        bool recording = false;
        foreach (string chain in BlockedRecording.RecordingChains)
        {
            (ulong packets, ulong bytes) = (0, 0);
            foreach (NftRule rule in snapshot.RulesOf(chain))
            {
                if (BlockedRecording.ChainCounterOf(rule) is { } counter)
                {
                    (packets, bytes) = (counter.Packets ?? 0, counter.Bytes ?? 0);
                    recording = true;
                    break;
                }
            }

            totals.Add((chain, packets, bytes));
        }

        var entries = new List<(string, string, string, string, int?, ulong, ulong)>();
        bool truncated = false;
        foreach (NftSet set in snapshot.Sets)
        {
            if (set.IsAnonymous || BlockedRecording.ChainOfLedger(set.Name, out AddressFamily family) is not { } chain)
            {
                continue;
            }

            recording = true;
            truncated |= set.Elements.Count >= LedgerCapacity;
            foreach (NftSetElement element in set.Elements)
            {
                if (Entry(chain, family, element) is { } entry)
                {
                    entries.Add(entry);
                }
            }
        }

        return new BlockedTraffic(snapshot.Table.Name, recording, totals, Sorted(entries), truncated);
    }

    internal static List<(string, string, string, string, int?, ulong, ulong)> Sorted(List<(string, string, string, string, int?, ulong, ulong)> entries)
    {
        // Largest first; ties by bytes, then in a fixed order so two reads of the same ledger print the same.
        entries.Sort(static (a, b) =>
        {
            int order = b.Item6.CompareTo(a.Item6);
            order = order != 0 ? order : b.Item7.CompareTo(a.Item7);
            order = order != 0 ? order : string.CompareOrdinal(a.Item1, b.Item1);
            order = order != 0 ? order : string.CompareOrdinal(a.Item4, b.Item4);
            order = order != 0 ? order : string.CompareOrdinal(a.Item3, b.Item3);
            return order != 0 ? order : (a.Item5 ?? -1).CompareTo(b.Item5 ?? -1);
        });
        return entries;
    }

    /// <summary>One ledger element: address (4 or 16 bytes), protocol (1 byte padded to 4), port (2 bytes padded to 4).</summary>
    private static (string, string, string, string, int?, ulong, ulong)? Entry(string chain, AddressFamily family, NftSetElement element)
    {
        int addressLength = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        ReadOnlySpan<byte> key = element.Key;
        if (key.Length != BlockedRecording.KeyLength(family))
        {
            return null;
        }

        byte protocol = key[addressLength];
        int port = BinaryPrimitives.ReadUInt16BigEndian(key[(addressLength + 4)..]);
        bool hasPort = protocol is (byte)ProtocolType.Tcp or (byte)ProtocolType.Udp;
        (ulong packets, ulong bytes) = element.Counted;
        return (chain, family == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4", ProtocolNames.Of(protocol), new IPAddress(key[..addressLength]).ToString(),
            hasPort ? port : null, packets, bytes);
    }
}
