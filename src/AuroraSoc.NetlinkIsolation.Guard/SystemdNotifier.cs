using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram to the Unix socket named by <c>$NOTIFY_SOCKET</c> (a path, or an
/// abstract name written with a leading '@'). Does nothing outside a systemd service with <c>Type=notify</c>.
/// </summary>
internal static class SystemdNotifier
{
    /// <summary>Sends <paramref name="state"/> (e.g. "READY=1"); false when there is no notify socket or sending failed.</summary>
    public static bool Notify(string state)
    {
        string? path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path) || (path[0] != '/' && path[0] != '@'))
        {
            return false;
        }

        return UnixDatagram.TrySend(path[0] == '@' ? "\0" + path[1..] : path, Encoding.UTF8.GetBytes(state)) == 0;
    }
}
