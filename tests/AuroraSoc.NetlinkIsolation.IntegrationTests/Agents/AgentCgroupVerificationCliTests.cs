using System.Text.Json;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Agents;

/// <summary>
/// The real CLI with <c>--agent-cgroup</c> first and <c>--verify-collector</c>: the probe is a child of the CLI placed
/// in the agent cgroup before it creates its socket, so it passes the agent's rule. It verifies when the collector
/// listens, rolls back when nothing does, and a cgroup that takes no processes (controllers enabled below it) is the
/// reason the verification fails. Run with <c>--netns</c> outside a jail, so the CLI sees this host's cgroup mount.
/// </summary>
public sealed class AgentCgroupVerificationCliTests : IDisposable
{
    private const int CollectorPort = 6514;

    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("aurorasoc-agent-verify-");
    private readonly TestCgroup _cgroup;
    private readonly Topology _site;

    public AgentCgroupVerificationCliTests()
    {
        Requirements.RequireNfTables();
        _cgroup = TestCgroup.Create();
        _site = Topology.Create();
    }

    public void Dispose()
    {
        _site.Dispose();
        _cgroup.Dispose();
        _state.Delete(recursive: true);
    }

    [Fact]
    public void Isolate_VerifyAsCgroupCollectorListening_VerifiedAndKept()
    {
        using NamespaceTcpListener collector = NamespaceSockets.StartTcpListener(_site.Lan, _site.CollectorIPv4, CollectorPort);

        ProcessResult run = Isolate(_cgroup.RelativePath, "5");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using JsonDocument json = JsonDocument.Parse(run.StandardOutput);
        JsonElement check = Assert.Single(json.RootElement.GetProperty("verified").EnumerateArray().ToList());
        Assert.Equal(($"{_site.CollectorIPv4}:{CollectorPort}", true), (check.GetProperty("endpoint").GetString(), check.GetProperty("ok").GetBoolean()));
        Assert.True(collector.WaitForAccepted(1, TimeSpan.FromSeconds(5)));
        Assert.Contains("table inet aurorasoc", _site.Host.ListRuleset(), StringComparison.Ordinal);
    }

    [Fact]
    public void Isolate_VerifyAsCgroupNothingListening_RolledBack()
    {
        ProcessResult run = Isolate(_cgroup.RelativePath, "2");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"aurorasoc-isolate: rolled back: no collector reachable: {_site.CollectorIPv4}:{CollectorPort} connection refused", Assert.Single(CliProcess.StandardErrorLines(run)));
        Assert.Equal(string.Empty, _site.Host.ListRuleset());
    }

    [Fact]
    public void Isolate_VerifyAsNonLeafCgroupWithController_RolledBackNamingEbusy()
    {
        // The cgroup enables a controller for a child, so it takes no processes (cgroup v2's no-internal-process
        // rule). A hybrid host may offer the controller at the root without enabling it: enabled for this test only.
        string? controller = File.ReadAllText(_cgroup.Mount + "/cgroup.controllers").Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (controller is null)
        {
            Requirements.Unavailable("the cgroup v2 hierarchy offers no controller to enable");
        }

        string rootControl = _cgroup.Mount + "/cgroup.subtree_control";
        bool enabledAtRoot = File.ReadAllText(rootControl).Split(' ', '\n').Contains(controller);
        ProcessResult run;
        try
        {
            if (!enabledAtRoot)
            {
                File.WriteAllText(rootControl, "+" + controller);
            }

            _cgroup.CreateChild("leaf");
            File.WriteAllText(_cgroup.AbsolutePath + "/cgroup.subtree_control", "+" + controller);
            try
            {
                run = Isolate(_cgroup.RelativePath, "2");
            }
            finally
            {
                File.WriteAllText(_cgroup.AbsolutePath + "/cgroup.subtree_control", "-" + controller);
            }
        }
        finally
        {
            if (!enabledAtRoot)
            {
                File.WriteAllText(rootControl, "-" + controller);
            }
        }

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(CliProcess.StandardErrorLines(run));
        Assert.Contains("refuses new processes (EBUSY", line, StringComparison.Ordinal);
        Assert.Contains(_cgroup.RelativePath, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, _site.Host.ListRuleset());
    }

    private ProcessResult Isolate(string cgroup, string timeout)
        => CliProcess.RunUnconfined("isolate", "--collector", $"{_site.CollectorIPv4}:{CollectorPort}", "--agent-cgroup", cgroup, "--verify-collector", "--verify-timeout", timeout, "--json", "--netns", _site.Host.Path, "--state-dir", _state.FullName);
}
