using System.Text;
using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// The guard's one-line status for systemd (<c>STATUS=</c>, shown by <c>systemctl status</c>): how many isolations (target, table) are
/// guarded, which are degraded (an intent that could not be put in force, with why) and how many wait for their
/// namespace. Written from the outcomes of the last restore (at start and at each reload).
/// </summary>
internal static class GuardStatusText
{
    public static string Describe(IReadOnlyList<RestoreResult> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        int guarded = 0;
        int waiting = 0;
        var degraded = new StringBuilder();
        foreach (RestoreResult outcome in outcomes)
        {
            switch (outcome.Outcome)
            {
                case RestoreOutcome.Restored:
                    guarded++;
                    break;
                case RestoreOutcome.SkippedNamespaceGone:
                    waiting++;
                    break;
                default:
                    // Failed, and any outcome a later version adds: the isolation is not fully as recorded.
                    degraded.Append(degraded.Length == 0 ? string.Empty : ", ").Append(outcome.Target);
                    if (outcome.Error is { Length: > 0 } error)
                    {
                        degraded.Append(" (").Append(error.ReplaceLineEndings(" ")).Append(')');
                    }

                    break;
            }
        }

        var status = new StringBuilder();
        status.Append("guarding ").Append(guarded).Append(guarded == 1 ? " isolation" : " isolations");
        status.Append("; degraded: ").Append(degraded.Length == 0 ? "none" : degraded.ToString());
        if (waiting > 0)
        {
            status.Append("; waiting for namespace: ").Append(waiting);
        }

        return status.ToString();
    }
}
