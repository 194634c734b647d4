using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>One table the guard keeps in force: the intent it came from and the ruleset built from it once.</summary>
internal sealed class GuardedTable(IsolationIntent intent, NftTableFlags tableFlags)
{
    public IsolationIntent Intent { get; } = intent;

    public IsolationRuleset Ruleset { get; } = IsolationRuleset.Build(intent.Policy, tableFlags);

    public string Name => Intent.Table;

    /// <summary>The intent file as it was when <see cref="Intent"/> was read from it; null until the guard has read it itself.</summary>
    public IntentFileStamp? ReadFrom { get; set; }
}
