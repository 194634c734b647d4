using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop;

// Sockets in a brand-new, empty network namespace: a place to ask the kernel what it supports without touching any
// namespace that matters. The namespace lives exactly as long as the sockets opened in it (each holds a reference),
// so nothing created there can outlive the caller, even if the process is killed.
internal sealed partial class NetlinkSocket
{
    /// <summary>
    /// Creates a new network namespace (unshare(CLONE_NEWNET) on a dedicated thread that then ends) and opens
    /// <paramref name="count"/> sockets in it. Returns 0 or errno (EPERM without CAP_SYS_ADMIN).
    /// </summary>
    public static int TryOpenInScratchNamespace(int count, int bufferBytes, out NetlinkSocket[] sockets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(bufferBytes);

        int error = 0;
        var opened = new List<NetlinkSocket>(count);
        ExceptionDispatchInfo? failure = null;

        // A dedicated thread: unshare(CLONE_NEWNET) moves only the calling thread, which then must never run other
        // work (it is not switched back; it ends).
        var thread = new Thread(() =>
        {
            try
            {
                if (LibC.unshare(NamespaceConstants.CLONE_NEWNET) == -1)
                {
                    error = Marshal.GetLastPInvokeError();
                    return;
                }

                for (int i = 0; i < count && error == 0; i++)
                {
                    error = TryOpen(bufferBytes, out NetlinkSocket? socket);
                    if (socket is not null)
                    {
                        opened.Add(socket);
                    }
                }
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = "AuroraSoc scratch netns",
        };
        thread.UnsafeStart();
        thread.Join();

        if (failure is not null || error != 0)
        {
            foreach (NetlinkSocket socket in opened)
            {
                socket.Dispose();
            }

            failure?.Throw();
            sockets = [];
            return error;
        }

        sockets = [.. opened];
        return 0;
    }
}
