using System.Text.RegularExpressions;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Isolation;

/// <summary>
/// The first isolate against a live kernel: additions only when the GETTABLE probe finds no table, and the replace
/// transaction when a table appears between the probe and the exclusive batch — with the contract's table either way
/// (docs/adr/0006-additions-only-first-isolate.md). nft is the oracle.
/// </summary>
public sealed partial class FirstIsolateTests
{
    private const ushort NewTable = 0x0a00;
    private const ushort DelTable = 0x0a02;
    private const ushort Excl = 0x200;
    private const ushort Create = 0x400;

    private static readonly string ContractExampleListing = File.ReadAllText(Path.Combine(RepositoryPaths.TestVectors, "contract-example.listing.txt"));

    // What another process might have installed meanwhile: a table of the same name with other contents and flags.
    private const string ForeignTable = """
        table inet aurorasoc {
        	chain input {
        		type filter hook input priority filter; policy accept;
        		tcp dport 22 accept
        	}
        }
        """;

    [Fact]
    public void Isolate_FreshNamespace_OneExclusiveBatchWithoutDelTable()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("first isolate: additions only");
        using var socket = Interpose(ns, _ => false, () => { });
        using HostIsolator isolator = HostIsolator.Create(new NfTablesConnection(socket), ns.Path);

        isolator.Isolate(ContractPolicies.Example());

        byte[][] batches = [.. socket.Sent.Where(InterposingNetlinkSocket.IsBatch)];
        List<(ushort Type, ushort Flags)> messages = InterposingNetlinkSocket.MessagesOf(Assert.Single(batches));
        Assert.DoesNotContain(messages, message => message.Type == DelTable);
        Assert.Equal(NewTable, messages[1].Type);
        Assert.Equal(Create | Excl, messages[1].Flags & (Create | Excl));
        Assert.Equal(ContractExampleListing, ns.ListTable("inet", "aurorasoc"));
    }

    [Fact]
    public void Isolate_TableCreatedBetweenProbeAndExclusiveBatch_FallbackInstallsWhatTheReplacePathInstalls()
    {
        Requirements.RequireNft();
        using var raced = ThrowawayNamespace.Create("first isolate: table appears after the probe");
        using var replaced = ThrowawayNamespace.Create("first isolate: the replace path's result");
        bool injected = false;
        using var socket = Interpose(
            raced,
            datagram => InterposingNetlinkSocket.IsBatch(datagram) && (InterposingNetlinkSocket.MessagesOf(datagram)[1].Flags & Excl) != 0,
            () =>
            {
                raced.ApplyNftRuleset(ForeignTable);
                injected = true;
            });
        using HostIsolator isolator = HostIsolator.Create(new NfTablesConnection(socket), raced.Path);

        IsolationResult result = isolator.Isolate(ContractPolicies.Example());

        Assert.True(injected, "the seam did not run before the exclusive batch");
        byte[][] batches = [.. socket.Sent.Where(InterposingNetlinkSocket.IsBatch)];
        Assert.Equal(2, batches.Length); // the exclusive batch (refused: EEXIST), then the replace batch
        Assert.DoesNotContain(InterposingNetlinkSocket.MessagesOf(batches[0]), message => message.Type == DelTable);
        Assert.Contains(InterposingNetlinkSocket.MessagesOf(batches[1]), message => message.Type == DelTable);
        Assert.Equal(23, result.RuleCount);

        // The contract, and exactly what the replace path installs over the same foreign table.
        replaced.ApplyNftRuleset(ForeignTable);
        using (HostIsolator direct = HostIsolator.Open(replaced.Path))
        {
            direct.Isolate(ContractPolicies.Example());
        }

        Assert.Equal(ContractExampleListing, raced.ListTable("inet", "aurorasoc"));
        Assert.Equal(replaced.ListRuleset(), raced.ListRuleset());
    }

    [Fact]
    public void FirstIsolateBatch_RefusedOverAPresentTable_ConcurrentReadersNeverSeeItsRules()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("first isolate: an aborted batch stays invisible");
        using HostIsolator reader = HostIsolator.Open(ns.Path);
        reader.Isolate(ContractPolicies.Example());
        IsolationRuleset racing = IsolationRuleset.Build(ContractPolicies.StrictDnsAny());
        const int Batches = 150;
        int refused = 0;
        var seen = new HashSet<int>();

        // Another process's first isolate that lost the race: its probe found no table, ours is there by now.
        Exception? failure = null;
        var writer = new Thread(() =>
        {
            try
            {
                using NfTablesConnection connection = NfTablesConnection.Open(ns.Path);
                using var batch = new NfTablesBatch();
                for (int i = 0; i < Batches; i++)
                {
                    racing.WriteFirstIsolateBatch(batch, connection.ReserveSequences(racing.FirstIsolateMessageCount));
                    try
                    {
                        connection.Commit(batch);
                    }
                    catch (NetlinkException exception) when (exception.Errno == Errno.EEXIST)
                    {
                        refused++;
                    }
                }
            }
#pragma warning disable CA1031 // rethrown on the test thread
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failure = exception;
            }
        });
        writer.Start();
        while (writer.IsAlive)
        {
            seen.Add(reader.GetStatus().Table?.Rules.Count ?? -1);
        }

        writer.Join();
        Assert.Null(failure);
        Assert.Equal(Batches, refused);
        Assert.Equal([23], seen); // the contract's rules, never with the refused batch's appended
        Assert.Equal(ContractExampleListing, ns.ListTable("inet", "aurorasoc"));
    }

    [Fact]
    public void IsolateThenReisolate_UnderStrace_FirstBatchExclusiveWithoutDelTableSecondReplaces()
    {
        Requirements.RequireNft();
        if (Requirements.FindOnPath("strace") is null)
        {
            Requirements.Unavailable("'strace' is not on PATH; install strace");
        }

        using var ns = ThrowawayNamespace.Create("first isolate: strace of the batches");
        string trace = Path.Combine(Path.GetTempPath(), $"aurorasoc-first-isolate-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            ProcessResult result = HelperProcess.Run(
                ["ops", ns.Path, "isolate", "reisolate"],
                wrapper: ["strace", "-f", "-qq", "-s", "64", "-e", "trace=sendmsg,sendto", "-o", trace, "--"],
                timeout: TimeSpan.FromMinutes(2));

            Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);

            // strace names the messages when it knows the socket's protocol, else prints their numbers (a socket opened
            // in another namespace): NFNL_MSG_BATCH_BEGIN 0x10, NFT_MSG_NEWTABLE 0xa00, NFT_MSG_DELTABLE 0xa02.
            string[] batches = [.. File.ReadLines(trace).Where(line => BatchPattern().IsMatch(line))];
            Assert.Equal(2, batches.Length);
            Assert.DoesNotMatch(DelTablePattern(), batches[0]);
            Assert.Matches(ExclusiveNewTablePattern(), batches[0]);
            Assert.Matches(DelTablePattern(), batches[1]);
        }
        finally
        {
            File.Delete(trace);
        }
    }

    [GeneratedRegex(@"^\d+\s+send(msg|to)\(.*nlmsg_type=(0x10 |NFNL_MSG_BATCH_BEGIN)")]
    private static partial Regex BatchPattern();

    [GeneratedRegex(@"nlmsg_type=(0xa02 |NFNL_SUBSYS_NFTABLES<<8\|NFT_MSG_DELTABLE)")]
    private static partial Regex DelTablePattern();

    // The first NEWTABLE of the batch with NLM_F_EXCL | NLM_F_CREATE (0x600), by number or by name.
    [GeneratedRegex(@"nlmsg_type=(0xa00 /\* NLMSG_\?\?\? \*/|NFNL_SUBSYS_NFTABLES<<8\|NFT_MSG_NEWTABLE), nlmsg_flags=NLM_F_REQUEST\|(0x600|NLM_F_EXCL\|NLM_F_CREATE),")]
    private static partial Regex ExclusiveNewTablePattern();

    private static InterposingNetlinkSocket Interpose(ThrowawayNamespace ns, Func<byte[], bool> isTarget, Action beforeTarget)
    {
        int errno = NetlinkSocket.TryOpenInNamespace(ns.Path, NetlinkConnectionOptions.Default.SocketBufferBytes, out NetlinkSocket? socket);
        Assert.True(errno == 0 && socket is not null, $"cannot open a netfilter socket in {ns.Path}: {Errno.Name(errno)}");
        return new InterposingNetlinkSocket(socket, isTarget, beforeTarget);
    }
}
