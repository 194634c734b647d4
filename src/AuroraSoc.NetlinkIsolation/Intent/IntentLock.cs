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
    private readonly Action _beforeRelease;
    private bool _released;

    /// <param name="filePath">The lock file.</param>
    /// <param name="fileLock">The held lock.</param>
    /// <param name="beforeRelease">Housekeeping done while the lock is still held, after the holder's work.</param>
    internal IntentLock(string filePath, ExclusiveFileLock fileLock, Action beforeRelease)
    {
        FilePath = filePath;
        _lock = fileLock;
        _beforeRelease = beforeRelease;
    }

    /// <summary>The lock file (<c>DIR/lock</c>).</summary>
    public string FilePath { get; }

    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        try
        {
            _beforeRelease();
        }
        finally
        {
            _lock.Dispose();
        }
    }
}
