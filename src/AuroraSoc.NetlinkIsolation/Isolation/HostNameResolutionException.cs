namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// A collector or peer host name that did not resolve. Raised before anything is committed, so nothing changed; the
/// command fails (exit 1) rather than being invalid input, because the same name may resolve a moment later.
/// </summary>
public sealed class HostNameResolutionException : Exception
{
    public HostNameResolutionException(string hostName, string reason, Exception? innerException)
        : base($"host name '{hostName}' did not resolve: {reason}; nothing was changed", innerException)
    {
        HostName = hostName;
        Reason = reason;
    }

    public HostNameResolutionException()
        : this(string.Empty, "unknown", null)
    {
    }

    public HostNameResolutionException(string message)
        : base(message)
    {
        HostName = string.Empty;
        Reason = message;
    }

    public HostNameResolutionException(string message, Exception innerException)
        : base(message, innerException)
    {
        HostName = string.Empty;
        Reason = message;
    }

    /// <summary>The name as the operator wrote it.</summary>
    public string HostName { get; }

    /// <summary>Why it did not resolve, e.g. "no such host".</summary>
    public string Reason { get; }
}
