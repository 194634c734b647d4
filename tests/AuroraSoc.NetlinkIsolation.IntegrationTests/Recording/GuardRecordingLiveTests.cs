using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Recording;

/// <summary>The guard over a recording table: counters and ledgers change all the time, and that is not tampering.</summary>
public sealed class GuardRecordingLiveTests
{
    private const int DatagramsBeforeTheGuard = 6;
    private const int DatagramsWhileGuarded = 9;

    [Fact]
    public void Guard_BlockedTrafficWhileVerifying_NoTamperingAndTheAdoptionKeepsTheCounts()
    {
        using GuardSite site = GuardSite.Create("guard over a recording table");
        site.Namespace.Sysctl("net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"); // no MLD in the counts
        site.Namespace.IpBatch("link set lo up\nlink add g0 type veth peer name g1\naddr add 10.78.0.1/24 dev g0\nlink set g0 up\nlink set g1 up\nroute add default via 10.78.0.2\n");
        IsolationPolicy policy = ContractPolicies.RecordingExample();
        using (site.Store.AcquireLock())
        {
            site.Store.Record(IsolationIntent.Create(site.Namespace.Path, policy));
        }

        using (HostIsolator isolator = HostIsolator.Open(site.Namespace.Path))
        {
            isolator.Isolate(policy);
        }

        SendBlocked(site, DatagramsBeforeTheGuard);

        // Adoption swaps the unowned table for an owned one: a re-commit that carries the counts over.
        site.StartGuard(verifyInterval: TimeSpan.FromSeconds(1));
        Assert.True(GuardSite.WaitUntil(() => site.ListTable()?.Contains("flags owner", StringComparison.Ordinal) == true));
        SendBlocked(site, DatagramsWhileGuarded);
        Thread.Sleep(TimeSpan.FromSeconds(2.5)); // two verify intervals: each re-reads and compares the recording table

        Assert.DoesNotContain(site.Log.Events, e => e.Level >= LogLevel.Warning);
        using HostIsolator reader = HostIsolator.Open(site.Namespace.Path);
        BlockedTraffic traffic = reader.ReadBlockedTraffic()!;
        Assert.Contains(("output", (ulong)(DatagramsBeforeTheGuard + DatagramsWhileGuarded)), traffic.Totals.Select(t => (t.Direction, t.Packets)));
        site.StopGuard();
    }

    private static void SendBlocked(GuardSite site, int datagrams) => site.Namespace.RunInside(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (int i = 0; i < datagrams; i++)
        {
            try
            {
                socket.SendTo([1], new IPEndPoint(IPAddress.Parse("203.0.113.9"), 5353));
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AccessDenied)
            {
            }
        }
    });
}
