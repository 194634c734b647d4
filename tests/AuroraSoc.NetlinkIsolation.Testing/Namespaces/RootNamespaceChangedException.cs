namespace AuroraSoc.NetlinkIsolation.Testing.Namespaces;

/// <summary>The machine's own network namespace changed while tests ran: what differs, before and after.</summary>
public sealed class RootNamespaceChangedException : Exception
{
    public RootNamespaceChangedException()
        : this("The machine's own network namespace changed during the tests.")
    {
    }

    public RootNamespaceChangedException(string message)
        : base(message)
    {
    }

    public RootNamespaceChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
