using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
namespace AuroraSoc.NetlinkIsolation.Durable;

/// <summary>What the kernel holds for a table, and what the state directory says should be there.</summary>
/// <param name="Kernel">The table as read from the kernel.</param>
/// <param name="Intent">The recorded intent; null when none is recorded (or it could not be read: see <paramref name="IntentError"/>).</param>
/// <param name="IntentError">Why the intent file could not be read; null when it could, or when there is none.</param>
public sealed partial record DurableIsolationStatus(IsolationStatus Kernel, IsolationIntent? Intent, string? IntentError)
{
    /// <summary>An isolation is recorded but the kernel has no table: a reboot or a flush took it; <c>restore</c> puts it back.</summary>
    public bool IsRecordedButNotInForce => Intent is not null && Kernel.State == IsolationState.NotIsolated;
}
