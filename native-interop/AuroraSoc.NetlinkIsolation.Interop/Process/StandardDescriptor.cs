using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Process;

/// <summary>
/// write(2) to this process's own stdout or stderr. Not a FileStream: on a descriptor that is a regular file (output
/// redirected with &gt; or &gt;&gt;) FileStream writes with pwrite(2) at an offset it tracks itself, which leaves the
/// descriptor's shared offset where it was — the next writer to the same open file (the shell, a sibling) then
/// overwrites what this process wrote. write(2) appends at the shared offset, as every other program does.
/// </summary>
internal static class StandardDescriptor
{
    public const int Output = 1;

    public const int Error = 2;

    /// <summary>
    /// Writes all of <paramref name="bytes"/> to <paramref name="descriptor"/> (stdout, stderr, or a pipe such as a
    /// child's stdin), retrying EINTR. Returns 0 or errno (EPIPE: the reader is gone; EBADF: closed).
    /// </summary>
    public static unsafe int Write(int descriptor, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            int written = 0;
            while (written < bytes.Length)
            {
                ssize_t result = LibC.write(descriptor, start + written, bytes.Length - written);
                if (result == -1)
                {
                    int error = Marshal.GetLastPInvokeError();
                    if (error == Errno.EINTR)
                    {
                        continue;
                    }

                    return error;
                }

                written += (int)result;
            }
        }

        return 0;
    }
}
