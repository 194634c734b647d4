using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// An isolate, unisolate or status call that failed. Says what kind of failure it was (from the kernel or the
/// transport), and — for isolate and unisolate — the state the namespace was found in afterwards, which is the
/// state it had before: a rejected batch changes nothing.
/// </summary>
public sealed class IsolationException : Exception
{
    public IsolationException(string operation, NetlinkException cause, IsolationState? stateAfter, string message)
        : base(message, cause)
    {
        Operation = operation;
        Cause = cause;
        StateAfter = stateAfter;
    }

    public IsolationException()
        : this("isolate", new NetlinkException(), null, "isolation failed")
    {
    }

    public IsolationException(string message)
        : this("isolate", new NetlinkException(message), null, message)
    {
    }

    public IsolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "isolate";
        Cause = innerException as NetlinkException ?? new NetlinkException(message);
    }

    /// <summary>"isolate", "unisolate" or "status".</summary>
    public string Operation { get; }

    public NetlinkException Cause { get; }

    public NetlinkErrorKind Kind => Cause.Kind;

    public int Errno => Cause.Errno;

    /// <summary>The state probed after the failure; null when it could not be probed (e.g. no permission).</summary>
    public IsolationState? StateAfter { get; }
}
