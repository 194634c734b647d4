using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.Process;

/// <summary>
/// Runs work on a thread of its own whose file-system uid and gid (setfsuid(2), setfsgid(2)) are another user's and
/// group's: a socket created there carries them in its file's credentials, which is what nft's <c>meta skuid</c> and
/// <c>meta skgid</c> compare. These calls change only the calling thread (glibc does not spread them to the process),
/// and the thread ends with the work, so no other thread ever acts under the borrowed identity.
/// </summary>
internal static partial class FileSystemIdentity
{
    /// <summary>Runs <paramref name="work"/> with fsuid <paramref name="uid"/> and fsgid <paramref name="gid"/> (null: unchanged).</summary>
    public static T Run<T>(uint? uid, uint? gid, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // The gid first: once the fsuid is not root's, changing the fsgid needs CAP_SETGID in the thread's own right.
                if (gid is uint g)
                {
                    _ = SetFileSystemGroupId(g);
                }

                if (uid is uint u)
                {
                    _ = SetFileSystemUserId(u);
                }

                result = work();
            }
#pragma warning disable CA1031 // Handed to the caller's thread below.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failure = exception;
            }
        })
        { IsBackground = true, Name = "AuroraSoc agent-identity probe" };
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new IOException(failure.Message, failure);
    }

    [LibraryImport("libc", EntryPoint = "setfsuid")]
    private static partial int SetFileSystemUserId(uint uid);

    [LibraryImport("libc", EntryPoint = "setfsgid")]
    private static partial int SetFileSystemGroupId(uint gid);
}
