using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.FileSystem;

/// <summary>
/// fsync(2) of a directory, which .NET cannot open as a stream. A rename or unlink is durable only once the directory
/// holding the entry is synced (fsync(2): "calling fsync() on the file does not necessarily ensure that the entry in
/// the directory containing the file has also reached disk").
/// </summary>
internal static class DirectorySync
{
    /// <summary>Syncs the directory at <paramref name="path"/>. Returns 0 or errno (open(2)'s or fsync(2)'s).</summary>
    public static unsafe int Sync(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[]? nullTerminated = NativePath.ToNullTerminated(path);
        if (nullTerminated is null)
        {
            return Errno.EINVAL;
        }

        int fd;
        fixed (byte* pathBytes = nullTerminated)
        {
            fd = LibC.open(pathBytes, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        }

        if (fd == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        try
        {
            return LibC.fsync(fd) == -1 ? Marshal.GetLastPInvokeError() : 0;
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }
}
