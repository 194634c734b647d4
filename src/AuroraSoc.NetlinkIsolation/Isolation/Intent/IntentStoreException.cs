namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>The state directory could not be used: it cannot be created, locked or written, or it is unsafe.</summary>
public sealed class IntentStoreException : Exception
{
    public IntentStoreException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    public IntentStoreException()
        : this("(unknown)", "the state directory could not be used")
    {
    }

    public IntentStoreException(string message)
        : this("(unknown)", message)
    {
    }

    public IntentStoreException(string message, Exception innerException)
        : this("(unknown)", message, innerException)
    {
    }

    /// <summary>The directory or file the failure concerns.</summary>
    public string Path { get; }
}
