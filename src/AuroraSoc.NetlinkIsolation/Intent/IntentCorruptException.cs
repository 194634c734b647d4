namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>An intent file that cannot be read as an intent: bad JSON, an unknown format version, or an invalid policy.</summary>
public sealed class IntentCorruptException : Exception
{
    /// <summary>The intent file <paramref name="filePath"/> cannot be read as an intent because of <paramref name="reason"/>.</summary>
    /// <param name="filePath">The intent file.</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="innerException">The parser's or validator's exception, if any.</param>
    public IntentCorruptException(string filePath, string reason, Exception? innerException = null)
        : base($"intent file {filePath} is corrupt: {reason}; fix or delete it (unisolate removes it too)", innerException)
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>An unreadable intent file whose path is unknown.</summary>
    public IntentCorruptException()
        : this("(unknown)", "unreadable")
    {
    }

    /// <summary>An unreadable intent file whose path is unknown; <paramref name="message"/> is also the reason.</summary>
    public IntentCorruptException(string message)
        : base(message)
    {
        FilePath = "(unknown)";
        Reason = message;
    }

    /// <summary>An unreadable intent file whose path is unknown; <paramref name="message"/> is also the reason.</summary>
    public IntentCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = "(unknown)";
        Reason = message;
    }

    /// <summary>The file that could not be read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, e.g. "format version 2; this program reads version 1".</summary>
    public string Reason { get; }
}
