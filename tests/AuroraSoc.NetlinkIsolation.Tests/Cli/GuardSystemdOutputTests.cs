using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Intent;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>What the guard tells systemd: journal lines with a priority and no time, and its one-line STATUS=.</summary>
public sealed class GuardSystemdOutputTests
{
    [Theory]
    [InlineData("JOURNAL_STREAM", "8:12345", true)]
    [InlineData("INVOCATION_ID", "0123456789abcdef0123456789abcdef", true)]
    [InlineData("JOURNAL_STREAM", "", false)]
    [InlineData("TERM", "xterm", false)]
    public void IsUnderSystemd_Environment_TrueOnlyWithSystemdsVariables(string name, string value, bool expected)
        => Assert.Equal(expected, JournalLogger.IsUnderSystemd(variable => variable == name ? value : null));

    [Theory]
    [InlineData(LogLevel.Debug, "<7>")]
    [InlineData(LogLevel.Information, "<6>")]
    [InlineData(LogLevel.Warning, "<4>")]
    [InlineData(LogLevel.Error, "<3>")]
    [InlineData(LogLevel.Critical, "<2>")]
    public void Log_EachLevel_PriorityPrefixAndNoTimestamp(LogLevel level, string prefix)
    {
        using var stderr = new StringWriter();
        var logger = new JournalLogger("aurorasoc-isolate", verbose: true, stderr);

        logger.Log(level, new EventId(110, "Tamper"), "reverted", null, (state, _) => state);

        Assert.Equal($"{prefix}aurorasoc-isolate[110] reverted{Environment.NewLine}", stderr.ToString());
    }

    [Fact]
    public void Log_MessageWithLineBreaksWithoutVerbose_InformationIsOneLineDebugIsDropped()
    {
        using var stderr = new StringWriter();
        var logger = new JournalLogger("aurorasoc-isolate", verbose: false, stderr);

        logger.Log(LogLevel.Debug, new EventId(133), "served", null, (state, _) => state);
        logger.Log(LogLevel.Information, new EventId(100), "two\nlines", null, (state, _) => state);

        Assert.Equal($"<6>aurorasoc-isolate[100] two lines{Environment.NewLine}", stderr.ToString());
    }

    [Fact]
    public void Describe_GuardedSkippedAndFailed_CountsAndNamesTheDegraded()
    {
        RestoreResult[] outcomes =
        [
            new("host", "aurorasoc", RestoreOutcome.Restored, null, "/s/a.json"),
            new("/run/netns/web1", "aurorasoc", RestoreOutcome.Restored, null, "/s/b.json"),
            new("/run/netns/gone", "aurorasoc", RestoreOutcome.SkippedNamespaceGone, "gone", "/s/c.json"),
            new("/run/netns/bad", "aurorasoc", RestoreOutcome.Failed, "the kernel said no\n(EINVAL)", "/s/d.json"),
        ];

        Assert.Equal(
            "guarding 2 isolations; degraded: /run/netns/bad (the kernel said no (EINVAL)); waiting for namespace: 1",
            GuardStatusText.Describe(outcomes));
    }

    [Fact]
    public void Describe_NothingRecorded_GuardingNoneDegradedNone()
        => Assert.Equal("guarding 0 isolations; degraded: none", GuardStatusText.Describe([]));
}
