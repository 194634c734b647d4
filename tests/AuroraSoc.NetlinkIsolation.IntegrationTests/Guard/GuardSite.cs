using System.Diagnostics;

using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Testing.Logging;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>
/// One guard test's world: a throwaway namespace, a temporary state directory, an in-process guard and its log. The
/// guard runs in the test process (in the machine's namespace) but every intent names the throwaway namespace's path,
/// so it never touches the machine's own firewall. Disposing stops the guard, deletes the namespace (and with it every
/// table, owned or not) and removes the directory.
/// </summary>
internal sealed class GuardSite : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-guard-");

    private GuardSite(string purpose)
    {
        Namespace = ThrowawayNamespace.Create(purpose);
        Store = new IntentStore(StateDirectory);
    }

    public ThrowawayNamespace Namespace { get; }

    public string StateDirectory => Path.Combine(_root.FullName, "state");

    public IntentStore Store { get; }

    public RecordingLogger Log { get; } = new();

    public IsolationGuard? Guard { get; private set; }

    /// <summary>Rules of the contract example: its listing's rule lines (ruleset.md: 10 input, 13 output).</summary>
    public const int ContractRuleCount = 23;

    /// <summary>The contract listing (tests/TestVectors), as nft prints the contract example.</summary>
    public static string ContractListing { get; } = File.ReadAllText(Path.Combine(RepositoryPaths.TestVectors, "contract-example.listing.txt"));

    public static GuardSite Create(string purpose)
    {
        Requirements.RequireNfTables();
        return new GuardSite(purpose);
    }

    /// <summary>Records the contract example's intent for this site's namespace (as a command would, under the lock).</summary>
    public IsolationIntent RecordContractIntent(ThrowawayNamespace? target = null)
    {
        IsolationIntent intent = IsolationIntent.Create((target ?? Namespace).Path, ContractPolicies.Example());
        using (Store.AcquireLock())
        {
            Store.Record(intent);
        }

        return intent;
    }

    public IsolationGuard StartGuard(bool monitorOnly = false, int? monitorReceiveBufferBytes = null, TimeSpan? verifyInterval = null)
    {
        var options = new IsolationGuardOptions
        {
            StateDirectory = StateDirectory,
            MonitorOnly = monitorOnly,
            VerifyInterval = verifyInterval ?? TimeSpan.FromSeconds(30),
        };
        if (monitorReceiveBufferBytes is int bytes)
        {
            options.MonitorReceiveBufferBytes = bytes;
        }

        Guard = IsolationGuard.Start(options, Log);
        return Guard;
    }

    public void StopGuard()
    {
        Guard?.Dispose();
        Guard = null;
    }

    /// <summary>
    /// The contract listing as nft 1.0.6 prints it for a table owned by <paramref name="program"/>: the owner's
    /// program name on the table line and <c>flags owner</c> then a blank line before the chains (nft table_print).
    /// </summary>
    public static string OwnedListing(string program)
    {
        const string firstLine = "table inet aurorasoc {\n";
        Assert.StartsWith(firstLine, ContractListing, StringComparison.Ordinal);
        return $"table inet aurorasoc {{ # progname {program}\n\tflags owner\n\n" + ContractListing[firstLine.Length..];
    }

    /// <summary>The command name (comm) of this process, which nft names as the owner of the guard's tables.</summary>
    public static string ThisProgram { get; } = File.ReadAllText("/proc/self/comm").TrimEnd('\n');

    /// <summary><c>nft list table inet aurorasoc</c> inside, or null when it fails (no table).</summary>
    public string? ListTable()
    {
        ProcessResult result = Namespace.NftTry("list table inet aurorasoc");
        return result.Succeeded ? result.StandardOutput : null;
    }

    /// <summary>Polls (bounded) until the listing equals <paramref name="expected"/>; returns the last listing seen.</summary>
    public string? WaitForListing(string expected, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        string? listing = ListTable();
        while (listing != expected && clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)))
        {
            Thread.Sleep(20);
            listing = ListTable();
        }

        return listing;
    }

    /// <summary>Polls (bounded) until <paramref name="condition"/> holds.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(10)))
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }

    public void Dispose()
    {
        StopGuard();
        Namespace.Dispose();
        _root.Delete(recursive: true);
    }
}
