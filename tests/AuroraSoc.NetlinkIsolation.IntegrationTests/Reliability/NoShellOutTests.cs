using System.Text.RegularExpressions;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;

/// <summary>
/// docs/reliability.md, "7. No shell-out": nothing on the isolation path runs another program. A helper process isolates, reads the status
/// and unisolates with an empty PATH, and again under <c>strace -f -e trace=execve</c>: the only execve is its own start.
/// </summary>
public sealed partial class NoShellOutTests
{
    [Fact]
    public void IsolateStatusUnisolate_WithEmptyPath_Work()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("reliability: empty PATH");

        ProcessResult result = HelperProcess.Run(["ops", ns.Path, "isolate", "status", "probe"], environment: new Dictionary<string, string> { ["PATH"] = string.Empty });

        Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);
        Assert.Equal("OK isolate 23 rules\nOK status Isolated\nOK probe True\n", result.StandardOutput);
        Assert.Equal(Listings.ContractExample, ns.ListTable("inet", "aurorasoc"));
        ProcessResult unisolate = HelperProcess.Run(["ops", ns.Path, "unisolate"], environment: new Dictionary<string, string> { ["PATH"] = string.Empty });
        Assert.True(unisolate.Succeeded, unisolate.StandardOutput);
        Assert.Equal(string.Empty, ns.ListRuleset());
    }

    [Fact]
    public void IsolateStatusUnisolate_UnderStrace_NoExecveAfterTheProcessStart()
    {
        Requirements.RequireNft();
        if (Requirements.FindOnPath("strace") is null)
        {
            Requirements.Unavailable("'strace' is not on PATH; install strace");
        }

        using var ns = ThrowawayNamespace.Create("reliability: strace execve");
        string trace = Path.Combine(Path.GetTempPath(), $"aurorasoc-execve-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            ProcessResult result = HelperProcess.Run(
                ["ops", ns.Path, "isolate", "reisolate", "status", "probe", "unisolate"],
                wrapper: ["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace, "--"],
                timeout: TimeSpan.FromMinutes(2));

            Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);
            string[] execs = [.. File.ReadLines(trace).Where(line => ExecvePattern().IsMatch(line))];
            Assert.True(execs.Length == 1, $"{execs.Length} execve calls:\n" + string.Join("\n", execs));
            Assert.Contains(HelperProcess.Dotnet, execs[0], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(trace);
        }
    }

    [GeneratedRegex(@"^\d+\s+execve(at)?\(")]
    private static partial Regex ExecvePattern();
}
