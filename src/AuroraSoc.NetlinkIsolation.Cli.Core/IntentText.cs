using System.Globalization;
using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>How a recorded intent reads in a text line: reason, when and by whom.</summary>
internal static class IntentText
{
    public static string Describe(IsolationIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        string reason = intent.Reason is { } text ? $"reason \"{text}\"" : "no reason given";
        // Field by field, not DateTime's custom format: that formatter brings the time-zone machinery into the
        // NativeAOT image for a time that is always UTC.
        DateTime t = intent.IsolatedAt.UtcDateTime;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"recorded intent: {reason}, isolated at {t.Year:D4}-{t.Month:D2}-{t.Day:D2}T{t.Hour:D2}:{t.Minute:D2}:{t.Second:D2}Z by {intent.IsolatedBy.UserName} (uid {intent.IsolatedBy.Uid}, pid {intent.IsolatedBy.ProcessId})");
    }
}
