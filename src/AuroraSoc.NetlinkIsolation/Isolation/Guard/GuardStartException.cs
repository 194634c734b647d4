namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>The guard could not start: the state directory or its hand-over socket cannot be used. Names the cause and the fix.</summary>
public sealed class GuardStartException : Exception
{
    public GuardStartException()
    {
    }

    public GuardStartException(string message)
        : base(message)
    {
    }

    public GuardStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
