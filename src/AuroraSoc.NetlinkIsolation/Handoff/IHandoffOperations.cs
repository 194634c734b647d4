using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>
/// What the hand-over server runs a request on: the guard implements it. Declared here so the dependency points one
/// way — the guard knows the hand-over, the hand-over knows only this contract (docs/architecture.md, Layers).
/// </summary>
internal interface IHandoffOperations
{
    /// <summary>The state directory whose hand-over socket is served.</summary>
    string StateDirectory { get; }

    /// <summary>Records and commits the intent; returns once the change is in the kernel.</summary>
    IsolationResult Isolate(IsolationIntent intent, IsolateOptions? options = null);

    /// <summary>Deletes the table and forgets its intent.</summary>
    void Unisolate(string target, string table);

    /// <summary>Re-applies every recorded intent.</summary>
    IReadOnlyList<RestoreResult> Restore();
}
