using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Nflog;
using AuroraSoc.NetlinkIsolation.SockDiag;

namespace AuroraSoc.NetlinkIsolation.Isolation;

// watch: the blocked packets a recording table copies to its NFLOG group (docs/ruleset.md, "Recording what isolation
// blocked"), as they happen.
public sealed partial class HostIsolator
{
    private const int WatchPollMilliseconds = 200;

    // enum nf_inet_hooks (linux/netfilter.h)
    private const byte LocalInHook = 1;
    private const byte ForwardHook = 2;

    /// <summary>
    /// Reports each blocked packet of <paramref name="tableName"/> to <paramref name="onPacket"/> until it returns false or
    /// <paramref name="cancellation"/> is cancelled. Returns null when the table does not exist, else how many packets were
    /// reported, how many the rate limit suppressed (counted by the chains' counters but not logged during the watch) and
    /// how many copies were lost (sequence gaps, ENOBUFS).
    /// </summary>
    /// <exception cref="IsolationException">The table records nothing (installed without <see cref="IsolationPolicy.RecordBlocked"/>);
    /// another listener holds the table's NFLOG group (named in the message); no CAP_NET_ADMIN.</exception>
    public (ulong Printed, ulong Suppressed, ulong Lost)? WatchBlocked(string tableName, Func<BlockedPacket, bool> onPacket, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(onPacket);
        if (ReadBlockedTraffic(tableName) is not { } before)
        {
            return null;
        }

        if (!before.IsRecording)
        {
            throw WatchFailure(IsolationErrorKind.KernelRejected, 0,
                $"table inet {tableName} records nothing: it was installed without --record-blocked; isolate again with --record-blocked");
        }

        ushort group = BlockedRecording.NflogGroup(tableName);
        int error = NflogSubscription.TryBind(NamespacePath, group, out NflogSubscription? subscription);
        if (error != 0)
        {
            throw BindFailure(error, group);
        }

        using NflogSubscription bound = subscription!;
        using var owners = new SocketOwnerLookup(SockDiagConnection.Open(NamespacePath));
        ulong received = 0;
        ulong printed = 0;
        var packets = new List<NflogPacket>();
        bool going = true;
        while (going && !cancellation.IsCancellationRequested)
        {
            packets.Clear();
            if (!bound.Read(packets, WatchPollMilliseconds))
            {
                continue;
            }

            foreach (NflogPacket packet in packets)
            {
                received++;
                if (!going || packet.Headers is not { } headers)
                {
                    continue;
                }

                printed++;
                going = onPacket(Describe(packet, headers, owners));
            }
        }

        ulong countedBefore = Sum(before);
        ulong countedAfter = ReadBlockedTraffic(tableName) is { } after ? Sum(after) : countedBefore;
        ulong logged = received + bound.Lost;
        ulong suppressed = countedAfter > countedBefore + logged ? countedAfter - countedBefore - logged : 0;
        return (printed, suppressed, bound.Lost);
    }

    private static ulong Sum(BlockedTraffic traffic)
    {
        ulong packets = 0;
        foreach ((string _, ulong count, ulong _) in traffic.Totals)
        {
            packets += count;
        }

        return packets;
    }

    private static BlockedPacket Describe(NflogPacket packet, PacketHeaders headers, SocketOwnerLookup owners)
    {
        string direction = packet.Hook switch
        {
            LocalInHook => "input",
            ForwardHook => "forward",
            _ => "output",
        };
        SocketOwner? owner = packet.Uid is null || direction == "forward" ? null : owners.Find(headers, outgoing: direction == "output");
        return new BlockedPacket
        {
            Time = packet.Timestamp ?? DateTimeOffset.UtcNow,
            Direction = direction,
            Family = headers.Family == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4",
            Protocol = ProtocolNames.Of(headers.Protocol),
            Source = headers.Source.ToString(),
            SourcePort = headers.SourcePort,
            Destination = headers.Destination.ToString(),
            DestinationPort = headers.DestinationPort,
            Uid = packet.Uid,
            Gid = packet.Gid,
            Pid = owner?.Pid,
            Executable = owner?.Executable,
        };
    }

    /// <summary>
    /// EPERM answers both a second bind and a missing CAP_NET_ADMIN (nfulnl_recv_config): a holder listed in
    /// /proc/net/netfilter/nfnetlink_log makes it the former.
    /// </summary>
    private IsolationException BindFailure(int errno, ushort group)
    {
        if (errno is Errno.EPERM or Errno.EBUSY && NflogGroupHolder.Describe(NamespacePath, group) is { } holder)
        {
            return WatchFailure(IsolationErrorKind.KernelRejected, errno,
                $"another listener holds NFLOG group {group} of this table in {NamespaceLabel}: {holder}; stop it first");
        }

        return errno == Errno.EPERM
            ? WatchFailure(IsolationErrorKind.PermissionDenied, errno, $"binding NFLOG group {group} in {NamespaceLabel} was refused: watch needs CAP_NET_ADMIN")
            : WatchFailure(IsolationErrorKind.Transport, errno, $"binding NFLOG group {group} in {NamespaceLabel} failed: {Errno.Name(errno)} ({Errno.Describe(errno)})");
    }

    private static IsolationException WatchFailure(IsolationErrorKind kind, int errno, string message)
        => new(IsolationOperation.Status, kind, errno, null, null, -1, null, IsolationState.Isolated, message);
}
