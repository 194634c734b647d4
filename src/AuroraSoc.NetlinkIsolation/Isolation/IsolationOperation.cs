namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>The <see cref="HostIsolator"/> call that failed.</summary>
public enum IsolationOperation
{
    /// <summary><see cref="HostIsolator.Open(string?, Microsoft.Extensions.Logging.ILogger?)"/>: entering the namespace and opening the socket.</summary>
    Open,

    /// <summary><see cref="HostIsolator.Isolate(IsolationPolicy)"/>.</summary>
    Isolate,

    /// <summary><see cref="HostIsolator.Unisolate"/>.</summary>
    Unisolate,

    /// <summary><see cref="HostIsolator.IsIsolated"/> or <see cref="HostIsolator.GetStatus"/>.</summary>
    Status,

    /// <summary><c>IsolationGuard.Start</c>: serving the state directory's hand-over socket.</summary>
    Guard,
}
