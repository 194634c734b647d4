using System.Diagnostics;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;

/// <summary>
/// docs/reliability.md, "5. Privilege and paths": without CAP_NET_ADMIN every operation fails with PermissionDenied and a fix hint, and nothing
/// changes (a helper process started by setpriv with CAP_NET_ADMIN removed from its bounding set); and namespace
/// paths that are missing, not namespaces, or a dead process's map to NamespaceNotFound / NotANamespace.
/// </summary>
public sealed class PrivilegeAndPathTests
{
    private static readonly string[] DropNetAdmin = ["setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-net_admin", "--"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryOperation_WithoutCapNetAdmin_PermissionDeniedWithFixHintNothingChanged(bool isolatedBefore)
    {
        Requirements.RequireNft();
        if (Requirements.FindOnPath("setpriv") is null)
        {
            Requirements.Unavailable("'setpriv' (util-linux) is not on PATH; it drops CAP_NET_ADMIN for the helper process");
        }

        using var ns = ThrowawayNamespace.Create("reliability: no CAP_NET_ADMIN");
        if (isolatedBefore)
        {
            using HostIsolator privileged = HostIsolator.Open(ns.Path);
            privileged.Isolate(HelperPolicies.A);
        }

        string before = ns.ListRuleset();

        ProcessResult result = HelperProcess.Run(["ops", ns.Path, "caps", "isolate", "reisolate", "unisolate", "probe", "status"], wrapper: DropNetAdmin);

        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string caps = lines.Single(l => l.StartsWith("OK caps ", StringComparison.Ordinal))["OK caps ".Length..];
        Assert.Equal(0UL, ulong.Parse(caps, NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << 12)); // CAP_NET_ADMIN is bit 12
        string[] failures = [.. lines.Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal))];
        Assert.Equal(5, failures.Length);
        Assert.All(failures, line =>
        {
            Assert.StartsWith($"FAIL {line.Split(' ')[1]} PermissionDenied 1 ", line, StringComparison.Ordinal);
            Assert.Contains("grant CAP_NET_ADMIN", line, StringComparison.Ordinal);
        });
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(before, ns.ListRuleset());
        Assert.Equal(isolatedBefore ? Listings.ContractExample : string.Empty, ns.ListRuleset());
    }

    public static TheoryData<string, string, IsolationErrorKind> BadPaths()
    {
        const string file = "/etc/passwd"; // a regular file on every Linux system: nothing to create or clean up
        const string directory = "/etc";
        return new TheoryData<string, string, IsolationErrorKind>
        {
            { "missing", $"/run/netns/aurorasoc-missing-{Guid.NewGuid():N}", IsolationErrorKind.NamespaceNotFound },
            { "empty", string.Empty, IsolationErrorKind.NamespaceNotFound },
            { "under a regular file", "/etc/hostname/net", IsolationErrorKind.NamespaceNotFound },
            { "regular file", file, IsolationErrorKind.NotANamespace },
            { "directory", directory, IsolationErrorKind.NotANamespace },
            { "another namespace type", "/proc/self/ns/uts", IsolationErrorKind.NotANamespace },
            { "dead process", DeadProcessNamespace(), IsolationErrorKind.NamespaceNotFound },
        };
    }

    [Theory]
    [MemberData(nameof(BadPaths))]
    public void Open_BadNamespacePath_TypedErrorWithHint(string what, string path, IsolationErrorKind kind)
    {
        var error = Assert.Throws<IsolationException>(() => HostIsolator.Open(path));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(kind == IsolationErrorKind.NamespaceNotFound ? "/run/netns/NAME or /proc/PID/ns/net" : "pass /run/netns/NAME", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    /// <summary>/proc/PID/ns/net of a process that has exited (checked: its /proc entry is gone).</summary>
    private static string DeadProcessNamespace()
    {
        using Process process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        string path = $"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/ns/net";
        return Directory.Exists($"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}") ? "/proc/0/ns/net" : path;
    }
}
