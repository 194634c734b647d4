using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Structs;

namespace AuroraSoc.NetlinkIsolation.Interop.Process;

/// <summary>
/// What a signal does to this process as it was inherited. An ignored signal (SIG_IGN) stays ignored across execve(2):
/// started under nohup(1), or by a supervisor or a shell that ignores it, a process starts with it ignored — and .NET
/// keeps a signal that is ignored when its handling is enabled ignored, so a <c>PosixSignalRegistration</c> for it
/// never runs. A daemon whose controls are signals takes them back before registering.
/// </summary>
internal static partial class SignalDisposition
{
    /// <summary>SIGHUP: a daemon's "reload" (systemctl reload).</summary>
    public const int Hangup = 1;

    /// <summary>SIGTERM: a daemon's "stop" (systemctl stop, kill).</summary>
    public const int Terminate = 15;

    /// <summary>SIG_DFL: the signal's default action.</summary>
    public const int Default = 0;

    /// <summary>SIG_IGN: the signal is discarded.</summary>
    public const int Ignore = 1;

    /// <summary>
    /// Sets <paramref name="signal"/> to its default action when it is ignored; leaves a handler or the default as they
    /// are. Returns whether it was ignored, or throws with errno when sigaction(2) fails (an invalid signal number).
    /// Call it before any handler for the signal is registered (a registration keeps an ignored signal ignored).
    /// </summary>
    public static unsafe bool StopIgnoring(int signal)
    {
        SignalAction current;
        if (Query(signal, null, &current) != 0)
        {
            throw new InvalidOperationException($"sigaction({signal}) failed: {Errno.Name(Marshal.GetLastPInvokeError())}");
        }

        if (current.Handler != Ignore)
        {
            return false;
        }

        SignalAction defaultAction = default; // SIG_DFL, an empty mask, no flags
        if (Query(signal, &defaultAction, null) != 0)
        {
            throw new InvalidOperationException($"sigaction({signal}) failed: {Errno.Name(Marshal.GetLastPInvokeError())}");
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static unsafe partial int Query(int signal, SignalAction* action, SignalAction* previous);
}
