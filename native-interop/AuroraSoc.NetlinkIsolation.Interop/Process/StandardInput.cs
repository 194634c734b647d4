using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Process;

/// <summary>
/// One line from this process's stdin (fd 0), read with read(2) a byte at a time: nothing past the newline is taken
/// from the pipe, and System.Console's stdin reader (with its terminal handling) stays out of the NativeAOT image.
/// </summary>
internal static class StandardInput
{
    /// <summary>
    /// The line without its "\n" (or "\r\n"); what came before EOF if no newline did; null at EOF with nothing read or
    /// on a read error. Stops after <paramref name="maximumBytes"/> bytes, returning what it has.
    /// </summary>
    public static unsafe string? ReadLine(int maximumBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maximumBytes);
        byte[] line = new byte[maximumBytes];
        int length = 0;
        byte next;
        while (length < maximumBytes)
        {
            ssize_t count = LibC.read(0, &next, 1);
            if (count == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR)
            {
                continue;
            }

            if (count != 1)
            {
                if (length == 0)
                {
                    return null;
                }

                break;
            }

            if (next == (byte)'\n')
            {
                break;
            }

            line[length++] = next;
        }

        if (length > 0 && line[length - 1] == (byte)'\r')
        {
            length--;
        }

        return Encoding.UTF8.GetString(line, 0, length);
    }
}
