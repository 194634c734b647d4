using AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.SystemTests.InfrastructureTests;

public sealed class ScenarioReportTests
{
    [Fact]
    public void Parse_PassAndFailLines_KeepsVerdictAndDetail()
    {
        var report = ScenarioReport.Parse(
            "RESULT isolate-keep pass isolate exit 0; status exit 0\nRESULT degraded fail 'cli status' exited 0, expected 4\n");

        Assert.Equal(["isolate-keep", "degraded"], report.Names);
        Assert.Equal(new ScenarioResult("isolate-keep", true, "isolate exit 0; status exit 0"), report.Find("isolate-keep"));
        Assert.Equal(new ScenarioResult("degraded", false, "'cli status' exited 0, expected 4"), report.Find("degraded"));
    }

    [Fact]
    public void Parse_SerialConsoleWithCarriageReturnsAndBootNoise_FindsOnlyResultLines()
    {
        var serial = "\u001bc\u001b[?7lSeaBIOS (version 1.16.2)\r\n[    0.000000] Linux version 6.1.0\r\n" +
                     "[kernel-is-6.1] running 6.1.0-57-amd64\r\nRESULT kernel-is-6.1 pass running 6.1.0-57-amd64\r\n" +
                     "  RESULT indented fail not at the start of the line\r\nSUITE-END\r\n";

        var report = ScenarioReport.Parse(serial);

        Assert.Equal(["kernel-is-6.1"], report.Names);
        Assert.Equal("running 6.1.0-57-amd64", report.Find("kernel-is-6.1")!.Detail);
    }

    [Fact]
    public void Parse_NoDetail_EmptyDetail()
    {
        Assert.Equal(new ScenarioResult("a", true, string.Empty), ScenarioReport.Parse("RESULT a pass").Find("a"));
    }

    [Theory]
    [InlineData("RESULT")]
    [InlineData("RESULT a")]
    [InlineData("RESULT a passed detail")]
    [InlineData("RESULT  pass detail")]
    public void Parse_MalformedResultLine_ListedAsMalformedNotAsScenario(string line)
    {
        var report = ScenarioReport.Parse(line + "\n");

        Assert.Empty(report.Names);
        Assert.Equal([line], report.Malformed);
    }

    [Fact]
    public void Parse_ScenarioReportedTwice_KeepsFirstVerdictAndListsDuplicate()
    {
        var report = ScenarioReport.Parse("RESULT a fail first\nRESULT a pass second\n");

        Assert.False(report.Find("a")!.Passed);
        Assert.Equal(["a"], report.Duplicates);
    }

    [Fact]
    public void Find_UnreportedScenario_Null()
    {
        Assert.Null(ScenarioReport.Parse("RESULT a pass\n").Find("b"));
    }
}
