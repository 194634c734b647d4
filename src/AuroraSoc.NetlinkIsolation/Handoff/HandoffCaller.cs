using System.Globalization;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Process;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>
/// The process at the other end of a hand-over, checked as the kernel would check it acting itself: the guard's
/// CAP_NET_ADMIN must not work for a caller that has none. uid 0 and CAP_NET_ADMIN in its effective set (capabilities(7);
/// <c>CapEff</c> of <c>/proc/PID/status</c>), and — when it asks for its own namespace — which namespace that is, read
/// from <c>/proc/PID/ns/net</c>. Everything read through the pid is proven to be the caller's by a pidfd (SO_PEERPIDFD,
/// else pidfd_open) that is checked to be still alive after the reads: a pid reused meanwhile would fail that check.
/// </summary>
internal sealed record HandoffCaller(int ProcessId, string? OwnNamespaceTarget)
{
    /// <summary>CAP_NET_ADMIN's bit (include/uapi/linux/capability.h).</summary>
    private const int CapNetAdmin = 12;

    /// <summary>
    /// Checks the peer of <paramref name="client"/>; returns the caller, or null with <paramref name="refusal"/> saying
    /// why it may not hand over (the same permission wording a direct commit gives).
    /// </summary>
    public static HandoffCaller? Check(UnixStreamSocket client, PeerCredentials peer, bool deriveNamespace, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(client);
        refusal = null;
        if (peer.UserId != 0)
        {
            refusal = $"only root may hand changes to the guard; uid {peer.UserId} was refused";
            return null;
        }

        int error = ProcessDescriptor.TryOpenPeer(client.Handle, peer.ProcessId, out ProcessDescriptor? process);
        if (error != 0)
        {
            refusal = $"the guard could not identify the caller, pid {peer.ProcessId} ({Errno.Name(error)}); hand-over refused";
            return null;
        }

        using (process)
        {
            string procDirectory = "/proc/" + peer.ProcessId.ToString(CultureInfo.InvariantCulture);
            ulong? effective = EffectiveCapabilities(procDirectory + "/status");
            string? target = null;
            string? namespaceError = null;
            if (deriveNamespace)
            {
                try
                {
                    target = NamespaceTarget.OfNamespaceFile(procDirectory + "/ns/net");
                }
                catch (IOException exception)
                {
                    namespaceError = exception.Message;
                }
            }

            // After every read: only a caller still alive proves that the pid was its own while it was read.
            if (process!.CheckAlive() != 0)
            {
                refusal = $"the caller, pid {peer.ProcessId}, exited during the hand-over; refused";
                return null;
            }

            if (effective is not { } capabilities)
            {
                refusal = $"the guard could not read the capabilities of the caller, pid {peer.ProcessId}; hand-over refused";
                return null;
            }

            if ((capabilities & (1UL << CapNetAdmin)) == 0)
            {
                refusal = $"{IsolationException.AdviceFor(IsolationErrorKind.PermissionDenied)} (the caller, pid {peer.ProcessId}, has no CAP_NET_ADMIN in its effective set, so the guard will not act for it)";
                return null;
            }

            if (namespaceError is not null)
            {
                refusal = $"the guard could not tell which network namespace the caller is in: {namespaceError}; hand-over refused";
                return null;
            }

            return new HandoffCaller(peer.ProcessId, target);
        }
    }

    /// <summary>The <c>CapEff</c> mask of a <c>/proc/PID/status</c> file; null when it cannot be read.</summary>
    internal static ulong? EffectiveCapabilities(string statusFile)
    {
        try
        {
            foreach (string line in File.ReadLines(statusFile))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    return ulong.TryParse(line.AsSpan("CapEff:".Length).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong mask) ? mask : null;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
