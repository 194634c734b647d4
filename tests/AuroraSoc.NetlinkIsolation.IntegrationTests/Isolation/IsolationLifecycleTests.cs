using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Isolation;

/// <summary>Idempotency, atomic replacement, foreign tables, status against nft, and rejected batches.</summary>
public sealed class IsolationLifecycleTests
{
    private const string ForeignRuleset = """
        table inet hostfw {
        	chain input {
        		type filter hook input priority 10; policy accept;
        		ct state established accept
        		tcp dport 22 accept
        	}
        }
        table ip legacy {
        	chain output {
        		type filter hook output priority 0; policy accept;
        		ip daddr 203.0.113.7 drop
        	}
        }
        """;

    [Fact]
    public void Isolate_Twice_IdenticalListingAndOneTable()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("isolate twice");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        isolator.Isolate(ContractPolicies.Example());
        string first = ns.ListRuleset();
        isolator.Isolate(ContractPolicies.Example());

        Assert.Equal(first, ns.ListRuleset());
        Assert.Equal("table inet aurorasoc\n", ns.Nft("list tables"));
    }

    [Fact]
    public void Isolate_ChangedPolicyWhileProbing_NewRulesetAndNeverSeenNotIsolated()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("re-isolate under probe");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        using HostIsolator prober = HostIsolator.Open(ns.Path);
        IsolationPolicy a = ContractPolicies.Example();
        IsolationPolicy b = ContractPolicies.StrictDnsAny();
        isolator.Isolate(a);

        int probes = 0;
        int notIsolated = 0;
        int degraded = 0;
        using var stop = new CancellationTokenSource();
        var probing = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (!prober.IsIsolated())
                {
                    Interlocked.Increment(ref notIsolated);
                }

                if (probes % 16 == 0 && prober.GetStatus().State != IsolationState.Isolated)
                {
                    Interlocked.Increment(ref degraded);
                }

                Interlocked.Increment(ref probes);
            }
        });
        probing.Start();
        for (int i = 0; i < 1000; i++)
        {
            isolator.Isolate(i % 2 == 0 ? b : a);
        }

        stop.Cancel();
        probing.Join();

        Assert.Equal(0, notIsolated);
        Assert.Equal(0, degraded);
        Assert.True(probes > 0);
        Assert.Equal(NftSyntaxRenderer.Render(Snapshot(IsolationRuleset.Build(a))), ns.ListTable("inet", "aurorasoc"));
    }

    [Fact]
    public void Unisolate_WithForeignTables_OnlyOurTableGoneForeignByteIdentical()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("foreign tables");
        ns.ApplyNftRuleset(ForeignRuleset);
        string foreignBefore = ns.ListRuleset();
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        isolator.Isolate(ContractPolicies.Example());
        Assert.Contains("table inet aurorasoc", ns.ListRuleset(), StringComparison.Ordinal);
        isolator.Unisolate();

        Assert.Equal(foreignBefore, ns.ListRuleset());
    }

    [Fact]
    public void Unisolate_NotIsolated_SucceedsAndChangesNothing()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("unisolate when not isolated");
        ns.ApplyNftRuleset(ForeignRuleset);
        string before = ns.ListRuleset();
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        isolator.Unisolate();
        isolator.Unisolate("other_table");

        Assert.Equal(before, ns.ListRuleset());
        Assert.False(isolator.IsIsolated());
    }

    [Fact]
    public void GetStatus_Absent_NotIsolated()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("status absent");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        IsolationStatus status = isolator.GetStatus();

        Assert.Equal(IsolationState.NotIsolated, status.State);
        Assert.Null(status.Table);
        Assert.Equal(string.Empty, ns.ListRuleset());
    }

    [Fact]
    public void GetStatus_InputChainDeletedByNft_Degraded()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("status degraded: chain deleted");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        isolator.Isolate(ContractPolicies.Example());

        ns.Nft("delete chain inet aurorasoc input");
        IsolationStatus status = isolator.GetStatus();

        Assert.Equal(IsolationState.Degraded, status.State);
        Assert.Contains("chain input is missing", status.Problems);
        Assert.True(isolator.IsIsolated()); // the table is there: the probe alone cannot tell, status can
    }

    [Fact]
    public void GetStatus_OutputPolicyAcceptSetByNft_Degraded()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("status degraded: policy accept");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        isolator.Isolate(ContractPolicies.Example());

        ns.ApplyNftRuleset("chain inet aurorasoc output { policy accept; }");
        IsolationStatus status = isolator.GetStatus();

        Assert.Equal(IsolationState.Degraded, status.State);
        Assert.Contains("chain output has policy accept instead of drop", status.Problems);
        Assert.Equal(ns.ListTable("inet", "aurorasoc"), NftSyntaxRenderer.Render(status.Table!));
    }

    [Fact]
    public void GetStatus_TableInstalledByNftFromContractText_IsolatedAndRenderedIdentically()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("status of nft-installed table");
        ns.ApplyNftRuleset(File.ReadAllText(Path.Combine(RepositoryPaths.TestVectors, "contract-example.nft")));
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        IsolationStatus status = isolator.GetStatus();

        Assert.Equal(IsolationState.Isolated, status.State);
        Assert.Equal(ns.ListTable("inet", "aurorasoc"), NftSyntaxRenderer.Render(status.Table!));
    }

    [Fact]
    public void Isolate_KernelRejectsLastRuleWhenNotIsolated_TypedErrorAndStillNotIsolated()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("rejected batch, not isolated");
        ns.ApplyNftRuleset(ForeignRuleset);
        string before = ns.ListRuleset();
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        IsolationRuleset bad = WithUnknownExpression(IsolationRuleset.Build(ContractPolicies.Example()));

        var error = Assert.Throws<IsolationException>(() => isolator.Isolate(bad));

        Assert.Equal(IsolationErrorKind.KernelRejected, error.Kind);
        Assert.Equal("NFT_MSG_NEWRULE", error.FailingMessageType);
        Assert.Equal(bad.FirstIsolateMessageCount - 2, error.FailingMessageIndex); // no table: the additions-only batch
        Assert.StartsWith("NFTA_RULE_EXPRESSIONS", error.FailingAttribute, StringComparison.Ordinal);
        Assert.Equal(IsolationState.NotIsolated, error.StateAfter);
        Assert.Contains("still not isolated", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, ns.ListRuleset());
    }

    [Fact]
    public void Isolate_KernelRejectsLastRuleWhenIsolated_TypedErrorAndOldRulesetKept()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("rejected batch, isolated");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        isolator.Isolate(ContractPolicies.StrictDnsAny());
        string before = ns.ListRuleset();
        IsolationRuleset bad = WithUnknownExpression(IsolationRuleset.Build(ContractPolicies.Example()));

        var error = Assert.Throws<IsolationException>(() => isolator.Isolate(bad));

        Assert.Equal(IsolationErrorKind.KernelRejected, error.Kind);
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Equal(IsolationState.Isolated, error.StateAfter);
        Assert.Contains("still isolated with its previous ruleset", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, ns.ListRuleset());
    }

    [Fact]
    public void Commit_ThirdMessageInvalid_NothingChangedAndErrorNamesMessageAndAttribute()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("third message invalid");
        using NfTablesConnection connection = NfTablesConnection.Open(ns.Path);
        using var batch = new NfTablesBatch();
        batch.Begin(connection.ReserveSequences(5));
        batch.AddTable(new NftTable(NfProtocolFamily.Inet, "t"));
        batch.AddChain(new NftChain(NfProtocolFamily.Inet, "t", "c", "filter", new NftChainHook(NfInetHook.LocalIn, 0), NfVerdict.Accept));
        batch.AddRule(new NftRule(NfProtocolFamily.Inet, "t", "c", [new NftRuleBuilder().Accept().Expressions[0], new OpaqueExpression("nosuchexpr", [])]));
        batch.End();

        var error = Assert.Throws<NetlinkException>(() => connection.Commit(batch));

        Assert.Equal(3, error.FailingMessageIndex);
        Assert.Equal("NFT_MSG_NEWRULE", error.FailingMessageType);
        Assert.Equal("NFTA_RULE_EXPRESSIONS/[1] nosuchexpr", error.FailingAttribute);
        Assert.Contains("message 3 (NFT_MSG_NEWRULE attribute NFTA_RULE_EXPRESSIONS/[1] nosuchexpr)", error.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, ns.ListRuleset());
    }

    [Theory]
    [MemberData(nameof(ValidationCases))]
    public void Isolate_InvalidPolicy_RefusedBeforeKernelAndRulesetUnchanged(string name)
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("validation: " + name);
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        isolator.Isolate(ContractPolicies.Example());
        string before = ns.ListRuleset();

        Assert.Throws<PolicyValidationException>(() => isolator.Isolate(PolicyValidationCases.Build(name)()));

        Assert.Equal(before, ns.ListRuleset());
    }

    public static TheoryData<string> ValidationCases()
    {
        var data = new TheoryData<string>();
        foreach ((string name, _, _) in PolicyValidationCases.All)
        {
            data.Add(name);
        }

        return data;
    }

    private static IsolationRuleset WithUnknownExpression(IsolationRuleset ruleset)
        => ruleset.WithAdditionalRule(new NftRule(NfProtocolFamily.Inet, ruleset.Policy.TableName, IsolationRuleset.OutputChain, [new OpaqueExpression("nosuchexpr", [])]));

    private static NftTableSnapshot Snapshot(IsolationRuleset ruleset) => new(ruleset.Table, ruleset.Chains, ruleset.Rules);
}
