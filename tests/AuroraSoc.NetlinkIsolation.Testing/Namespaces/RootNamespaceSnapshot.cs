using System.Text;
using AuroraSoc.NetlinkIsolation.Testing.Processes;

namespace AuroraSoc.NetlinkIsolation.Testing.Namespaces;

/// <summary>
/// A read-only picture of the machine's own network namespace: <c>nft list ruleset</c>, the interface names and
/// the addresses. Tests compare one taken before with one taken after, to prove they changed nothing there.
/// </summary>
public sealed record RootNamespaceSnapshot(string NftRuleset, string Interfaces, string Addresses)
{
    /// <summary>Takes the snapshot with read-only commands. Refuses to run on a thread that is not in this
    /// process's own namespace (that would compare the wrong namespace).</summary>
    public static RootNamespaceSnapshot Capture()
    {
        var threadInode = NetworkNamespaceInode.OfCurrentThread();
        var processInode = NetworkNamespaceInode.OfProcess();
        if (threadInode != processInode)
        {
            throw new InvalidOperationException(
                $"RootNamespaceSnapshot.Capture ran on a thread in net:[{threadInode}], not the process's net:[{processInode}]");
        }

        var ruleset = ReadOnly("nft", "list", "ruleset");
        var links = ReadOnly("ip", "-o", "link", "show");
        var addresses = ReadOnly("ip", "-o", "addr", "show");
        return new RootNamespaceSnapshot(ruleset, InterfaceNames(links), AddressList(addresses));
    }

    /// <summary>Throws <see cref="RootNamespaceChangedException"/>, failing the current test, when <paramref name="later"/> differs from this snapshot.</summary>
    public void AssertUnchangedIn(RootNamespaceSnapshot later)
    {
        ArgumentNullException.ThrowIfNull(later);
        if (this == later)
        {
            return;
        }

        var message = new StringBuilder("The machine's own network namespace changed during the tests.");
        Describe(message, "nft list ruleset", NftRuleset, later.NftRuleset);
        Describe(message, "interfaces", Interfaces, later.Interfaces);
        Describe(message, "addresses", Addresses, later.Addresses);
        throw new RootNamespaceChangedException(message.ToString());
    }

    // Tolerant on purpose: without root or the tool the snapshot records why, and the comparison still works;
    // the tests themselves skip or fail through Requirements.
    private static string ReadOnly(string program, params string[] arguments)
    {
        if (Requirements.FindOnPath(program) is null)
        {
            return $"({program} not installed)";
        }

        var result = ProcessRunner.Run(program, arguments);
        return result.Succeeded ? result.StandardOutput : $"({result.CommandLine} failed: {result.StandardError.Trim()})";
    }

    private static void Describe(StringBuilder message, string what, string before, string after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            message.Append("\n--- ").Append(what).Append(" before:\n").Append(before)
                .Append("\n--- ").Append(what).Append(" after:\n").Append(after);
        }
    }

    // `ip -o link show`: "2: eth0@if5: <BROADCAST,...> mtu ..." → "eth0@if5" (counters and state left out).
    private static string InterfaceNames(string links) =>
        string.Join('\n', links.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 3))
            .Where(parts => parts.Length == 3)
            .Select(parts => parts[1].Trim())
            .Order(StringComparer.Ordinal));

    // `ip -o addr show`: "2: eth0    inet 10.0.0.2/24 brd ... scope global eth0\       valid_lft ..." → "eth0 inet 10.0.0.2/24".
    private static string AddressList(string addresses) =>
        string.Join('\n', addresses.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 4)
            .Select(fields => $"{fields[1]} {fields[2]} {fields[3]}")
            .Order(StringComparer.Ordinal));
}
