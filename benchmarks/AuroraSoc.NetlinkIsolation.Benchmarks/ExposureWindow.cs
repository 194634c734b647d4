using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// <c>exposure COUNT</c>: how long a namespace guarded in monitor mode stays without its table after a foreign
/// deletion. A guard (in this process, as a sensor would host it) watches a throwaway namespace; an attacker socket
/// deletes the table COUNT times; each window runs from just before the deletion is sent to the moment a raw prober
/// socket subscribed to NFNLGRP_NFTABLES receives the NEWGEN that ends the guard's re-commit. The prober parses only
/// nlmsghdr (type, port id), none of the library's decoding. Prints the distribution in microseconds.
/// </summary>
internal static class ExposureWindow
{
    private const ushort NewGen = (NfNetlinkConstants.NFNL_SUBSYS_NFTABLES << 8) | (ushort)NftMessageType.NewGen;

    public static int Run(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        using ThrowawayNamespace ns = Isolators.CreateNamespace("guard exposure window");
        DirectoryInfo state = Directory.CreateTempSubdirectory("aurorasoc-exposure-");
        try
        {
            var store = new IntentStore(Path.Combine(state.FullName, "state"));
            using (store.AcquireLock())
            {
                store.Record(IsolationIntent.Create(ns.Path, ContractPolicies.Example()));
            }

            using IsolationGuard guard = IsolationGuard.Start(new IsolationGuardOptions { StateDirectory = store.Directory, MonitorOnly = true });
            int error = NetlinkSocket.TryOpenInNamespace(ns.Path, 0, out NetlinkSocket? prober);
            if (error != 0 || prober!.JoinGroup(NfNetlinkConstants.NFNLGRP_NFTABLES) != 0 || prober.SetReceiveBufferSize(8 << 20) != 0)
            {
                throw new InvalidOperationException($"prober socket: {Errno.Name(error)}");
            }

            using (prober)
            using (NfTablesConnection attacker = NfTablesConnection.Open(ns.Path))
            using (var batch = new NfTablesBatch())
            {
                var windows = new List<double>(count);
                var deletions = new List<double>(count);
                byte[] datagram = new byte[1 << 20];
                for (int i = 0; i < count; i++)
                {
                    Drain(prober, datagram);
                    batch.Begin(attacker.ReserveSequences(3));
                    batch.DeleteTable(NfProtocolFamily.Inet, "aurorasoc");
                    batch.End();

                    // From just before the deletion is sent (the kernel commits it inside sendmsg) to the prober's
                    // receipt of the guard's commit: both ends err on the long side.
                    long deleted = Stopwatch.GetTimestamp();
                    attacker.Commit(batch);
                    deletions.Add(Stopwatch.GetElapsedTime(deleted).TotalMicroseconds);
                    long restored = WaitForCommit(prober, datagram, port => port != attacker.PortId);
                    windows.Add(Stopwatch.GetElapsedTime(deleted, restored).TotalMicroseconds);
                    if (!attacker.TryGet(NftMessageType.GetTable, NfProtocolFamily.Inet, (ushort)NftTableAttribute.Name, "aurorasoc", static (in NetlinkMessage _) => true, out _))
                    {
                        throw new InvalidOperationException("the guard's commit did not bring the table back");
                    }

                    Thread.Sleep(10); // let the guard settle, as between real tampering attempts
                }

                Report("exposure window", windows);
                Report("of which the deletion's own commit", deletions);
            }
        }
        finally
        {
            state.Delete(recursive: true);
        }

        return 0;
    }

    private static void Drain(NetlinkSocket prober, byte[] datagram)
    {
        while (prober.Receive(datagram, 0) is > 0 or -Errno.ENOBUFS)
        {
        }
    }

    /// <summary>Receives until a NEWGEN whose port id satisfies <paramref name="committer"/>; returns its arrival time.</summary>
    private static long WaitForCommit(NetlinkSocket prober, byte[] datagram, Func<uint, bool> committer)
    {
        while (true)
        {
            int received = prober.Receive(datagram, 5000);
            long arrived = Stopwatch.GetTimestamp();
            if (received == -Errno.EAGAIN)
            {
                throw new TimeoutException("no commit within 5 s");
            }

            for (int offset = 0; offset + 16 <= received;)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(offset));
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(datagram.AsSpan(offset + 4));
                uint port = BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(offset + 12));
                if (type == NewGen && committer(port))
                {
                    return arrived;
                }

                offset += Math.Max(16, (length + 3) & ~3);
            }
        }
    }

    private static void Report(string what, List<double> windows)
    {
        windows.Sort();
        double Percentile(double p) => windows[Math.Min(windows.Count - 1, (int)Math.Ceiling(p * windows.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what} over {windows.Count} foreign deletions (µs): min {windows[0]:F0}, median {Percentile(0.5):F0}, p90 {Percentile(0.9):F0}, p99 {Percentile(0.99):F0}, max {windows[^1]:F0}, mean {windows.Average():F0}"));
    }
}
