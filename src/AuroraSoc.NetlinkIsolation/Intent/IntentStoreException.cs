namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>The state directory could not be used: it cannot be created, locked or written, or it is unsafe.</summary>
public sealed class IntentStoreException : Exception
{
    /// <summary>The state directory or file <paramref name="path"/> could not be used.</summary>
    /// <param name="path">The directory or file the failure concerns.</param>
    /// <param name="message">What failed and how to fix it.</param>
    /// <param name="innerException">The I/O exception, if any.</param>
    public IntentStoreException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The state directory could not be used; the path is unknown.</summary>
    public IntentStoreException()
        : this("(unknown)", "the state directory could not be used")
    {
    }

    /// <summary>The state directory could not be used, as <paramref name="message"/> says; the path is unknown.</summary>
    public IntentStoreException(string message)
        : this("(unknown)", message)
    {
    }

    /// <summary>The state directory could not be used, as <paramref name="message"/> says; the path is unknown.</summary>
    public IntentStoreException(string message, Exception innerException)
        : this("(unknown)", message, innerException)
    {
    }

    /// <summary>The directory or file the failure concerns.</summary>
    public string Path { get; }
}
