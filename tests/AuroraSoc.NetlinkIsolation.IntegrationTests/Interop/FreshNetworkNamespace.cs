using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop;
using Tmds.Linux;

using AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Interop;

/// <summary>
/// Runs a test body on a dedicated thread that first unshares its network namespace, so nothing the body does can
/// reach this machine's own firewall. The thread ends afterwards; the namespace dies with the last socket in it.
/// </summary>
internal static class FreshNetworkNamespace
{
    public static void Run(Action body)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (LibC.unshare(NamespaceConstants.CLONE_NEWNET) == -1)
                {
                    int error = Marshal.GetLastPInvokeError();
                    Requirements.Unavailable($"unshare(CLONE_NEWNET) failed with {Errno.Name(error)}: the tests need root (CAP_SYS_ADMIN)");
                }

                body();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            Name = "test in a fresh network namespace",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
    }
}
