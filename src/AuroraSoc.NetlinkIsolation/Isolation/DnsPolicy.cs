namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>Whether isolated hosts may resolve names, and through which resolvers.</summary>
public enum DnsPolicy
{
    /// <summary>No DNS (the default).</summary>
    Off,

    /// <summary>DNS to any resolver (port 53, UDP and TCP).</summary>
    AnyResolver,

    /// <summary>DNS only to the listed resolvers.</summary>
    ListedResolvers,
}
