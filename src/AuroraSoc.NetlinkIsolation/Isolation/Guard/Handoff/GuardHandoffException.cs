namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// A hand-over to the guard failed for a reason of the hand-over itself: the guard refused the caller, spoke another
/// protocol version, failed internally, or stopped answering. Whether the change was made is then unknown: check with
/// status.
/// </summary>
public sealed class GuardHandoffException : Exception
{
    /// <summary>A failed hand-over with no further detail.</summary>
    public GuardHandoffException()
    {
    }

    /// <summary>A failed hand-over, as <paramref name="message"/> says.</summary>
    public GuardHandoffException(string message)
        : base(message)
    {
    }

    /// <summary>A failed hand-over, as <paramref name="message"/> says, caused by <paramref name="innerException"/>.</summary>
    public GuardHandoffException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
