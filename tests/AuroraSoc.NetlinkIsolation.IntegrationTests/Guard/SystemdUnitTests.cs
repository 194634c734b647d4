using System.Text.RegularExpressions;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>The guard's systemd unit (src/AuroraSoc.NetlinkIsolation.Cli/systemd): valid for systemd, and what guard.md asks of it.</summary>
public sealed class SystemdUnitTests
{
    private const string UnitName = "aurorasoc-isolate-guard.service";
    private const string Program = "/usr/sbin/aurorasoc-isolate";

    private static string UnitPath => Path.Combine(RepositoryPaths.Root, "src", "AuroraSoc.NetlinkIsolation.Cli", "systemd", UnitName);

    [Fact]
    public void SystemdAnalyzeVerify_GuardUnit_NoFindings()
    {
        if (Requirements.FindOnPath("systemd-analyze") is null)
        {
            Requirements.Unavailable("systemd-analyze is not installed (Debian package systemd)");
        }

        // verify also checks that ExecStart's program exists; the unit names where packages install the CLI, so a
        // copy points at an executable stand-in and nothing else of the unit changes.
        DirectoryInfo directory = Directory.CreateTempSubdirectory("aurorasoc-unit-");
        try
        {
            string standIn = Path.Combine(directory.FullName, "aurorasoc-isolate");
            File.WriteAllText(standIn, "#!/bin/sh\n");
            ProcessRunner.Run("chmod", "755", standIn).EnsureSuccess();
            string unit = File.ReadAllText(UnitPath);
            Assert.Contains($"ExecStart={Program} guard ", unit, StringComparison.Ordinal);
            string copy = Path.Combine(directory.FullName, UnitName);
            File.WriteAllText(copy, unit.Replace(Program, standIn, StringComparison.Ordinal));

            // --man=no: Documentation=man:aurorasoc-isolate(8) is installed by the Debian package, not on a build machine.
            ProcessResult result = ProcessRunner.Run("systemd-analyze", ["verify", "--man=no", copy]);

            Assert.True(result.Succeeded && result.StandardError.Length == 0, $"exit {result.ExitCode}: {result.StandardError}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("Unit", "DefaultDependencies", "no")]
    [InlineData("Unit", "Before", "network-pre.target")]
    [InlineData("Unit", "Wants", "network-pre.target")]
    [InlineData("Service", "Type", "notify")]
    [InlineData("Service", "Restart", "always")]
    [InlineData("Service", "CapabilityBoundingSet", "CAP_NET_ADMIN CAP_SYS_ADMIN CAP_SYS_PTRACE")]
    [InlineData("Service", "ProtectSystem", "strict")]
    [InlineData("Service", "ReadWritePaths", "/var/lib/aurorasoc-isolate")]
    [InlineData("Service", "NoNewPrivileges", "yes")]
    [InlineData("Service", "RestrictAddressFamilies", "AF_NETLINK AF_UNIX AF_INET AF_INET6")]
    [InlineData("Service", "ExecReload", "/bin/kill -HUP $MAINPID")]
    [InlineData("Unit", "After", "nftables.service")]
    public void GuardUnit_Setting_AsGuardMdAsks(string section, string key, string value)
    {
        string? current = null;
        var found = new List<string>();
        foreach (string line in File.ReadAllLines(UnitPath))
        {
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = line[1..^1];
            }
            else if (current == section && line.StartsWith(key + "=", StringComparison.Ordinal))
            {
                found.AddRange(line[(key.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        Assert.Subset(found.ToHashSet(StringComparer.Ordinal), value.Split(' ').ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void SystemdAnalyzeSecurity_GuardUnit_ExposureAtMost3Point5()
    {
        if (Requirements.FindOnPath("systemd-analyze") is null)
        {
            Requirements.Unavailable("systemd-analyze is not installed (Debian package systemd)");
        }

        ProcessResult result = ProcessRunner.Run("systemd-analyze", "security", "--offline=true", "--no-pager", UnitPath);

        Match exposure = Regex.Match(result.StandardOutput, @"Overall exposure level for [^:]+: (\d+\.\d)");
        Assert.True(exposure.Success, result.StandardOutput + result.StandardError);
        Assert.InRange(double.Parse(exposure.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.0, 3.5);
    }

    /// <summary>Each would raise the score and break a feature (docs/guard.md, "Confinement traps").</summary>
    [Theory]
    [InlineData("IPAddressDeny=")]
    [InlineData("ProtectProc=")]
    [InlineData("ProcSubset=")]
    [InlineData("PrivateNetwork=")]
    [InlineData("PrivateUsers=")]
    public void GuardUnit_TrapSetting_Absent(string setting)
        => Assert.DoesNotContain(File.ReadAllLines(UnitPath), line => line.StartsWith(setting, StringComparison.Ordinal));
}
