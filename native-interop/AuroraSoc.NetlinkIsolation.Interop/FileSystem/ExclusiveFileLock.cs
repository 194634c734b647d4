using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.FileSystem;

/// <summary>
/// An exclusive flock(2) on a lock file, held until disposed (or until the process dies: the kernel drops a flock
/// with the last descriptor of its open file, so a crashed holder never leaves the lock taken). Waiting processes
/// queue in the kernel. The lock is per open file description, so two instances in one process exclude each other
/// as two processes do.
/// </summary>
internal sealed class ExclusiveFileLock : IDisposable
{
    private readonly SafeFileHandle _handle;

    private ExclusiveFileLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>
    /// Opens (creating with mode 0600) <paramref name="path"/> and blocks until it holds an exclusive lock on it.
    /// Returns 0 or errno: open(2)'s errors for the path (ELOOP when it is a symbolic link), flock(2)'s otherwise.
    /// </summary>
    public static unsafe int TryAcquire(string path, out ExclusiveFileLock? fileLock)
    {
        ArgumentNullException.ThrowIfNull(path);
        fileLock = null;
        byte[]? nullTerminated = NativePath.ToNullTerminated(path);
        if (nullTerminated is null)
        {
            return Errno.EINVAL;
        }

        int fd;
        fixed (byte* pathBytes = nullTerminated)
        {
            // O_NOFOLLOW: a symbolic link planted in the state directory must not make us create or lock another file.
            fd = LibC.open(pathBytes, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0x180 /* 0600 */);
        }

        if (fd == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        while (Interop.Flock(fd, Interop.LOCK_EX) == -1)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error != Errno.EINTR)
            {
                handle.Dispose();
                return error;
            }
        }

        fileLock = new ExclusiveFileLock(handle);
        return 0;
    }

    /// <summary>Releases the lock by closing the file (close(2) drops the flock).</summary>
    public void Dispose() => _handle.Dispose();
}
