using System.Diagnostics.CodeAnalysis;
using AuroraSoc.NetlinkIsolation.Testing.Namespaces;
using AuroraSoc.NetlinkIsolation.Testing.Processes;

namespace AuroraSoc.NetlinkIsolation.Testing;

/// <summary>
/// Guards for tests that need privileges or tools. A missing requirement skips the test — unless the
/// environment variable <see cref="RequirePrivilegedVariable"/> is <c>1</c>, in which case the test fails with
/// the same reason, so a CI job that is meant to run privileged cannot pass by silently skipping everything.
/// Every probe runs at most once per process.
/// </summary>
public static class Requirements
{
    public const string RequirePrivilegedVariable = "AURORASOC_REQUIRE_PRIVILEGED";

    private static readonly Lazy<string?> RootProbe = new(ProbeRoot);
    private static readonly Lazy<string?> IpProbe = new(() => ProbeTool("ip", "iproute2", "-V"));
    private static readonly Lazy<string?> NftProbe = new(() => ProbeTool("nft", "nftables", "--version"));
    private static readonly Lazy<string?> NetnsProbe = new(ProbeNetworkNamespaces);
    private static readonly Lazy<string?> NfTablesProbe = new(ProbeNfTables);

    /// <summary>True when <c>AURORASOC_REQUIRE_PRIVILEGED=1</c>: unmet requirements fail instead of skipping.</summary>
    public static bool PrivilegedRequired =>
        Environment.GetEnvironmentVariable(RequirePrivilegedVariable) == "1";

    /// <summary>Effective uid 0 (root).</summary>
    public static void RequireRoot() => Demand(RootProbe.Value);

    /// <summary><c>ip</c> (iproute2) on PATH and runnable.</summary>
    public static void RequireIp() => Demand(IpProbe.Value);

    /// <summary><c>nft</c> (nftables) on PATH and runnable.</summary>
    public static void RequireNft() => Demand(NftProbe.Value);

    /// <summary>Root, <c>ip</c>, and <c>ip netns add</c>/<c>del</c> actually work here.</summary>
    public static void RequireNetworkNamespaces()
    {
        RequireRoot();
        RequireIp();
        Demand(NetnsProbe.Value);
    }

    /// <summary>All of the above plus a kernel with nf_tables: <c>nft add table</c> works inside a throwaway namespace.</summary>
    public static void RequireNfTables()
    {
        RequireNetworkNamespaces();
        RequireNft();
        Demand(NfTablesProbe.Value);
    }

    /// <summary>Skips the current test with <paramref name="reason"/>, or fails it when privileged runs are required.</summary>
    [DoesNotReturn]
    public static void Unavailable(string reason) => Unavailable(reason, PrivilegedRequired);

    [DoesNotReturn]
    internal static void Unavailable(string reason, bool privilegedRequired) =>
        throw UnavailableException(reason, privilegedRequired);

    /// <summary>The exception <see cref="Unavailable(string)"/> throws: a skip, or a failure when privileged runs are
    /// required.</summary>
    internal static PrerequisiteUnavailableException UnavailableException(string reason, bool privilegedRequired)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return privilegedRequired
            ? PrerequisiteUnavailableException.Failure($"{reason} ({RequirePrivilegedVariable}=1, so this is a failure, not a skip)")
            : PrerequisiteUnavailableException.Skip(reason);
    }

    private static void Demand(string? reason)
    {
        if (reason is not null)
        {
            Unavailable(reason);
        }
    }

    private static string? ProbeRoot() =>
        Environment.IsPrivilegedProcess
            ? null
            : "needs root (effective uid 0) to create network namespaces; run the tests as root";

    /// <summary>The full path of <paramref name="program"/> on PATH, or null when it is not installed.</summary>
    public static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? ProbeTool(string program, string package, string versionArgument)
    {
        if (FindOnPath(program) is null)
        {
            return $"'{program}' is not on PATH; install {package}";
        }

        try
        {
            var result = ProcessRunner.Run(program, [versionArgument], timeout: TimeSpan.FromSeconds(10));
            return result.Succeeded
                ? null
                : $"'{program} {versionArgument}' exited with {result.ExitCode}: {result.StandardError.Trim()}";
        }
        catch (Exception ex) when (ex is ProcessFailedException or TimeoutException)
        {
            return $"'{program}' cannot be run: {ex.Message}";
        }
    }

    private static string? ProbeNetworkNamespaces() =>
        RootProbe.Value ?? IpProbe.Value ?? InScratchNamespace("probe", _ => null);

    private static string? ProbeNfTables() =>
        NetnsProbe.Value ?? NftProbe.Value ?? InScratchNamespace("nfprobe", name =>
        {
            var result = ProcessRunner.Run("ip", ["netns", "exec", name, "nft", "add", "table", "inet", "aurorasoc_probe"]);
            return result.Succeeded
                ? null
                : $"the kernel does not accept nf_tables requests (nft: {result.StandardError.Trim()}); " +
                  "load the nf_tables module or use a kernel with CONFIG_NF_TABLES";
        });

    /// <summary>Adds a namespace of this process's own, runs <paramref name="probe"/> on its name and deletes it
    /// again; returns why the probe (or adding the namespace) failed, or null.</summary>
    private static string? InScratchNamespace(string suffix, Func<string, string?> probe)
    {
        var name = $"{ThrowawayNamespace.TestPrefix}{Environment.ProcessId}-{suffix}";
        try
        {
            var added = ThrowawayNamespace.AddNamed([name]);
            return added.Succeeded
                ? probe(name)
                : $"'ip netns add' does not work here (exit {added.ExitCode}: {added.StandardError.Trim()}); " +
                  "the tests need root with CAP_SYS_ADMIN and CAP_NET_ADMIN";
        }
        catch (Exception ex) when (ex is ProcessFailedException or TimeoutException)
        {
            return $"the {suffix} in a scratch namespace cannot be run: {ex.Message}";
        }
        finally
        {
            ThrowawayNamespace.DeleteNamed(name);
        }
    }
}
