
namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// isolate → status → show → unisolate → status through the real CLI, with nft as the oracle. The CLI always runs
/// confined in a bystander namespace (<c>jail</c>) and acts on another one through <c>--netns</c>; the bystander's
/// empty ruleset proves the option was honoured.
/// </summary>
public sealed class CliLifecycleTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    public void Dispose() => guard.AssertUnchanged();

    [Fact]
    public void Lifecycle_IsolateStatusShowUnisolate_ExitCodesAndOutputFollowContract()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli lifecycle: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli lifecycle: isolated");

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", target.Path);
        Assert.True(isolate.ExitCode == 0, isolate.StandardError);
        Assert.StartsWith("isolated: table inet aurorasoc, 13 rules in one transaction (", isolate.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith(" µs)\n", isolate.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, isolate.StandardError);

        var status = CliProcess.RunIn(jail, "status", "--netns", target.Path);
        Assert.Equal(0, status.ExitCode);
        Assert.Equal("isolated\n", status.StandardOutput);

        var show = CliProcess.RunIn(jail, "show", "--netns", target.Path);
        Assert.Equal(0, show.ExitCode);
        Assert.Equal(target.ListTable("inet", "aurorasoc"), show.StandardOutput);
        Assert.Equal(string.Empty, show.StandardError);

        var unisolate = CliProcess.RunIn(jail, "unisolate", "--netns", target.Path);
        Assert.Equal(0, unisolate.ExitCode);
        Assert.StartsWith("unisolated: table inet aurorasoc deleted", unisolate.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, target.ListRuleset());

        var after = CliProcess.RunIn(jail, "status", "--netns", target.Path);
        Assert.Equal(3, after.ExitCode);
        Assert.Equal("not isolated\n", after.StandardOutput);

        var showAfter = CliProcess.RunIn(jail, "show", "--netns", target.Path);
        Assert.Equal(3, showAfter.ExitCode);
        Assert.Equal(string.Empty, showAfter.StandardOutput);
        Assert.Contains("not isolated", Assert.Single(CliProcess.StandardErrorLines(showAfter)), StringComparison.Ordinal);

        Assert.Equal(string.Empty, jail.ListRuleset());
    }

    [Fact]
    public void Show_ContractExamplePolicy_MatchesNftAndContractListingByteForByte()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli contract example: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli contract example: isolated");

        var isolate = CliProcess.RunIn(
            jail,
            "isolate", "--collector", "192.0.2.10", "--collector", "[2001:db8::10]:443", "--allow-peer", "198.51.100.0/24",
            "--allow-dns", "--allow-dhcp", "--mode", "keep", "--netns", target.Path);
        Assert.True(isolate.ExitCode == 0, isolate.StandardError);

        var show = CliProcess.RunIn(jail, "show", "--netns", target.Path);

        Assert.Equal(0, show.ExitCode);
        Assert.Equal(target.ListTable("inet", "aurorasoc"), show.StandardOutput);
        Assert.Equal(File.ReadAllText(RepositoryPaths.TestVector("contract-example.listing.txt")), show.StandardOutput);
        Assert.Equal(string.Empty, jail.ListRuleset());
    }

    [Fact]
    public void Isolate_StrictModeWithListedResolversCustomTable_ShowMatchesNftAndOtherTablesUntouched()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli strict: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli strict: isolated");
        target.ApplyNftRuleset("table ip bystander {\n\tchain c {\n\t}\n}\n");
        var bystander = target.ListTable("ip", "bystander");

        var isolate = CliProcess.RunIn(
            jail,
            "isolate", "--collector", "192.0.2.10:6514", "--allow-peer", "[2001:db8::/64]:443", "--dns-server", "192.0.2.53",
            "--dns-server", "2001:db8::53", "--mode", "strict", "--keep-forwarding", "--no-reject", "--table", "quarantine",
            "--netns", target.Path);
        Assert.True(isolate.ExitCode == 0, isolate.StandardError);

        var show = CliProcess.RunIn(jail, "show", "--table", "quarantine", "--netns", target.Path);
        Assert.Equal(0, show.ExitCode);
        Assert.Equal(target.ListTable("inet", "quarantine"), show.StandardOutput);
        Assert.Contains("ct state related accept", show.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("chain forward", show.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("reject", show.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(3, CliProcess.RunIn(jail, "status", "--netns", target.Path).ExitCode); // default table: absent

        Assert.Equal(0, CliProcess.RunIn(jail, "unisolate", "--table", "quarantine", "--netns", target.Path).ExitCode);
        Assert.Equal(bystander, target.ListRuleset());
    }

    [Fact]
    public void Isolate_TwiceInARow_ExitsZeroAndLeavesTheSameRuleset()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli idempotence: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli idempotence: isolated");
        string[] args = ["isolate", "--collector", "192.0.2.10", "--allow-dns", "--netns", target.Path];

        Assert.Equal(0, CliProcess.RunIn(jail, args).ExitCode);
        var first = target.ListRuleset();
        var second = CliProcess.RunIn(jail, args);

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first, target.ListRuleset());
    }

    [Fact]
    public void Unisolate_NotIsolated_ExitsZeroAndChangesNothing()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli unisolate noop: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli unisolate noop: target");
        target.ApplyNftRuleset("table inet other {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n");
        var before = target.ListRuleset();

        var unisolate = CliProcess.RunIn(jail, "unisolate", "--netns", target.Path);

        Assert.Equal(0, unisolate.ExitCode);
        Assert.StartsWith("not isolated: table inet aurorasoc was not present", unisolate.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(before, target.ListRuleset());
    }

    [Fact]
    public void Status_InputChainDeleted_ExitsFourAndNamesTheChain()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli degraded (chain): where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli degraded (chain): target");
        Assert.Equal(0, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", target.Path).ExitCode);
        target.Nft("delete chain inet aurorasoc input");

        var status = CliProcess.RunIn(jail, "status", "--netns", target.Path);

        Assert.Equal(4, status.ExitCode);
        Assert.Equal("degraded: chain input is missing\n", status.StandardOutput);
        var show = CliProcess.RunIn(jail, "show", "--netns", target.Path);
        Assert.Equal(0, show.ExitCode);
        Assert.Equal(target.ListTable("inet", "aurorasoc"), show.StandardOutput);
    }

    [Fact]
    public void Status_OutputChainPolicyAccept_ExitsFourAndNamesThePolicy()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli degraded (policy): where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli degraded (policy): target");
        Assert.Equal(0, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", target.Path).ExitCode);
        target.ApplyNftRuleset("chain inet aurorasoc output { policy accept; }\n");

        var status = CliProcess.RunIn(jail, "status", "--netns", target.Path);

        Assert.Equal(4, status.ExitCode);
        Assert.Equal("degraded: chain output has policy accept instead of drop\n", status.StandardOutput);
        var show = CliProcess.RunIn(jail, "show", "--netns", target.Path);
        Assert.Equal(0, show.ExitCode);
        Assert.Equal(target.ListTable("inet", "aurorasoc"), show.StandardOutput);
        Assert.Contains("type filter hook output priority filter; policy accept;", show.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Isolate_NoNetnsUnderIpNetnsExec_ActsOnTheNamespaceItRunsIn()
    {
        Requirements.RequireNfTables();
        using var target = ThrowawayNamespace.Create("cli own namespace: the CLI runs and acts here");

        var isolate = CliProcess.RunIn(target, "isolate", "--collector", "192.0.2.10");
        Assert.True(isolate.ExitCode == 0, isolate.StandardError);
        Assert.Equal(0, CliProcess.RunIn(target, "status").ExitCode);
        Assert.Equal(target.ListTable("inet", "aurorasoc"), CliProcess.RunIn(target, "show").StandardOutput);

        Assert.Equal(0, CliProcess.RunIn(target, "unisolate").ExitCode);
        Assert.Equal(string.Empty, target.ListRuleset());
    }

    [Fact]
    public void NetnsPid_ProcessInsideNamespace_EveryCommandActsOnItsNamespace()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli netns-pid: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli netns-pid: the sleeper's namespace");
        using var sleeper = ProcessRunner.StartBackground("ip", "netns", "exec", target.Name, "sleep", "60");
        var pid = sleeper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        WaitUntilInside(sleeper.Id, target);

        Assert.Equal(0, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns-pid", pid).ExitCode);
        Assert.Equal(0, CliProcess.RunIn(jail, "status", "--netns-pid", pid).ExitCode);
        var show = CliProcess.RunIn(jail, "show", "--netns-pid", pid);
        Assert.Equal(target.ListTable("inet", "aurorasoc"), show.StandardOutput);
        Assert.Equal(string.Empty, jail.ListRuleset());

        Assert.Equal(0, CliProcess.RunIn(jail, "unisolate", "--netns-pid", pid).ExitCode);
        Assert.Equal(3, CliProcess.RunIn(jail, "status", "--netns-pid", pid).ExitCode);
        Assert.Equal(string.Empty, target.ListRuleset());
    }

    /// <summary>
    /// <c>ip netns exec</c> enters the namespace and then execs sleep; until both happened /proc/PID/ns/net is still
    /// this machine's namespace, which --netns-pid must never be pointed at.
    /// </summary>
    internal static void WaitUntilInside(int pid, ThrowawayNamespace ns)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                var comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
                if (comm == "sleep" && NetworkNamespaceInode.OfProcess(pid) == ns.Inode)
                {
                    return;
                }
            }
            catch (IOException)
            {
                // Not yet readable, or between setns and exec.
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"process {pid} did not enter {ns.Name} within 10 s");
            }

            Thread.Sleep(10);
        }
    }
}
