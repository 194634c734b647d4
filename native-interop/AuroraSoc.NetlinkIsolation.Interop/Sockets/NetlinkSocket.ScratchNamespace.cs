using AuroraSoc.NetlinkIsolation.Interop.Namespaces;
namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

// Sockets in a brand-new, empty network namespace: a place to ask the kernel what it supports without touching any
// namespace that matters. The namespace lives exactly as long as the sockets opened in it (each holds a reference),
// so nothing created there can outlive the caller, even if the process is killed.
internal sealed partial class NetlinkSocket
{
    /// <summary>
    /// Creates a new network namespace (<see cref="NetworkNamespaceThread.TryRunInNewNamespace"/>) and opens
    /// <paramref name="count"/> sockets in it. Returns 0 or errno (EPERM without CAP_SYS_ADMIN).
    /// </summary>
    public static int TryOpenInScratchNamespace(int count, int bufferBytes, out NetlinkSocket[] sockets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(bufferBytes);

        var opened = new List<NetlinkSocket>(count);
        int error;
        try
        {
            error = NetworkNamespaceThread.TryRunInNewNamespace(
                () =>
                {
                    int openError = 0;
                    for (int i = 0; i < count && openError == 0; i++)
                    {
                        openError = TryOpen(bufferBytes, out NetlinkSocket? socket);
                        if (socket is not null)
                        {
                            opened.Add(socket);
                        }
                    }

                    return openError;
                },
                out int openError);
            error = error != 0 ? error : openError;
        }
        catch
        {
            DisposeAll(opened);
            throw;
        }

        if (error != 0)
        {
            DisposeAll(opened);
            sockets = [];
            return error;
        }

        sockets = [.. opened];
        return 0;
    }

    private static void DisposeAll(List<NetlinkSocket> sockets)
    {
        foreach (NetlinkSocket socket in sockets)
        {
            socket.Dispose();
        }
    }
}
