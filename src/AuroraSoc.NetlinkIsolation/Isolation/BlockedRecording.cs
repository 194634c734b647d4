using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// The fixed facts of <c>--record-blocked</c> (docs/ruleset.md, "Recording what isolation blocked"): which ledger each
/// chain and family writes to, how big a ledger may grow, how fast blocked packets are copied to NFLOG, and which NFLOG
/// group a table uses.
/// </summary>
internal static class BlockedRecording
{
    /// <summary>The most endpoints one ledger remembers; when full, new ones are not added but the counters stay exact.</summary>
    public const uint LedgerSize = 65536;

    /// <summary>At most this many packet copies per second per chain go to NFLOG …</summary>
    public const ulong LogPerSecond = 10;

    /// <summary>… with bursts of this many.</summary>
    public const uint LogBurst = 20;

    /// <summary>The lowest NFLOG group a table's recording uses; groups below are left to other software (ulogd's default is 0).</summary>
    public const ushort FirstNflogGroup = 32768;

    /// <summary>How many groups the table names are spread over: FirstNflogGroup .. 65535.</summary>
    public const int NflogGroupCount = 32768;

    /// <summary>The chains that record, in the order their ledgers are declared.</summary>
    public static ReadOnlySpan<string> RecordingChains => new[] { IsolationRuleset.InputChain, IsolationRuleset.OutputChain, IsolationRuleset.ForwardChain };

    /// <summary><c>blocked_in_v4</c>, <c>blocked_out_v6</c>, <c>blocked_fwd_v4</c> …</summary>
    public static string LedgerName(string chain, AddressFamily family)
        => "blocked_" + chain switch
        {
            IsolationRuleset.InputChain => "in",
            IsolationRuleset.OutputChain => "out",
            _ => "fwd",
        } + (family == AddressFamily.InterNetworkV6 ? "_v6" : "_v4");

    /// <summary>
    /// The NFLOG group of a table: <see cref="FirstNflogGroup"/> + FNV-1a-32(table name) mod <see cref="NflogGroupCount"/>.
    /// Derived from the name alone, so the CLI's <c>watch</c>, a restore and the guard agree without state, and two
    /// tables in one namespace (<c>--table</c>) listen on different groups; two names collide with probability 1/32768,
    /// and the group of every table is printed by <c>watch</c> and listed in docs/ruleset.md.
    /// </summary>
    public static ushort NflogGroup(string tableName)
    {
        ArgumentNullException.ThrowIfNull(tableName);
        uint hash = 2166136261;
        foreach (char c in tableName)
        {
            hash = unchecked((hash ^ (byte)c) * 16777619); // table names are ASCII (IsolationPolicy.ValidateTableName)
        }

        return (ushort)(FirstNflogGroup + (hash % NflogGroupCount));
    }

    /// <summary>The ledger's key: address . protocol . port, each part padded to 4 bytes as the registers hold it.</summary>
    public static int KeyLength(AddressFamily family) => (family == AddressFamily.InterNetworkV6 ? 16 : 4) + 4 + 4;

    /// <summary>nft's datatype id of the key: ipv4_addr (7) or ipv6_addr (8), inet_proto (12), inet_service (13), 6 bits each.</summary>
    public static uint KeyType(AddressFamily family) => ((((family == AddressFamily.InterNetworkV6 ? 8u : 7u) << 6) | 12u) << 6) | 13u;

    /// <summary>The chain a ledger belongs to, or null when <paramref name="ledger"/> is not a ledger's name.</summary>
    public static string? ChainOfLedger(string ledger, out AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        family = ledger.EndsWith("_v6", StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        foreach (string chain in RecordingChains)
        {
            if (ledger == LedgerName(chain, family))
            {
                return chain;
            }
        }

        return null;
    }

    /// <summary>The family the isolation tables use; ledgers live in them.</summary>
    public const NfProtocolFamily TableFamily = NfProtocolFamily.Inet;

    /// <summary>
    /// The counter of a chain's recording rule — <c>counter limit … log group N</c> — or of a rule that is a counter
    /// alone (tables recorded before the counter joined the log rule); null for every other rule.
    /// </summary>
    internal static CounterExpression? ChainCounterOf(NftRule rule) => rule.Expressions switch
    {
        [CounterExpression counter] => counter,
        [CounterExpression counter, LimitExpression, LogExpression] => counter,
        _ => null,
    };
}
