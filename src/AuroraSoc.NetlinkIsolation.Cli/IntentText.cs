using System.Globalization;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>How a recorded intent reads in a text line: reason, when and by whom.</summary>
internal static class IntentText
{
    public static string Describe(IsolationIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        string reason = intent.Reason is { } text ? $"reason \"{text}\"" : "no reason given";
        string when = intent.IsolatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"recorded intent: {reason}, isolated at {when} by {intent.IsolatedBy.UserName} (uid {intent.IsolatedBy.Uid}, pid {intent.IsolatedBy.ProcessId})");
    }
}
