using AuroraSoc.NetlinkIsolation.Interop.FileSystem;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// The state directory's lock, held until disposed. Every command that changes intent or kernel state for a state
/// directory holds it, so that intent and kernel agree after any interleaving (guard.md). Not reentrant: acquiring it
/// again while holding it waits forever, in one process as across processes.
/// </summary>
internal sealed class IntentLock : IDisposable
{
    private readonly ExclusiveFileLock _lock;

    internal IntentLock(string filePath, ExclusiveFileLock fileLock)
    {
        FilePath = filePath;
        _lock = fileLock;
    }

    /// <summary>The lock file (<c>DIR/lock</c>).</summary>
    public string FilePath { get; }

    public void Dispose() => _lock.Dispose();
}
