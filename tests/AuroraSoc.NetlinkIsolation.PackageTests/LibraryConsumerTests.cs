namespace AuroraSoc.NetlinkIsolation.PackageTests;

/// <summary>
/// A fresh project outside the solution, referencing only the AuroraSoc.NetlinkIsolation package from the local
/// feed and using exactly the API README documents, isolates a throwaway namespace — once as a JIT build and once
/// published NativeAOT — and `nft list table` (the oracle) prints the contract's example listing.
/// </summary>
public sealed class LibraryConsumerTests(PackageFeed feed)
{
    [Fact]
    public void LibraryConsumer_BuiltFromFeed_IsolatesNamespaceWithContractListing()
    {
        Requirements.RequireNfTables();
        var dll = feed.Consumer("Library").Build();

        AssertIsolatesWithContractListing("dotnet", dll);
    }

    [Fact]
    public void LibraryConsumer_PublishedNativeAot_HasNoWarningsAndIsolatesNamespace()
    {
        Requirements.RequireNfTables();
        var (executable, warnings) = feed.Consumer("Library").PublishNativeAot();

        Assert.Empty(warnings);
        AssertIsolatesWithContractListing(executable);
    }

    private static void AssertIsolatesWithContractListing(params string[] command)
    {
        using var ns = ThrowawayNamespace.Create("package consumer isolates its own namespace");

        var run = ns.Exec(command);

        Assert.True(run.Succeeded, $"consumer failed ({run.ExitCode}):\n{run.StandardOutput}{run.StandardError}");
        Assert.StartsWith("isolated rules=", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(
            File.ReadAllText(RepositoryPaths.TestVector("contract-example.listing.txt")),
            ns.ListTable("inet", "aurorasoc"));
    }
}
