using AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Container;

/// <summary>One test per scenario of the minimal-host container suite (<see cref="MinimalHostContainerSuite"/>).</summary>
public sealed class MinimalHostContainerTests(NativeAotCli cli, MinimalHostContainerSuite suite) : IClassFixture<MinimalHostContainerSuite>
{
    public static TheoryData<string> Scenarios() => new(MinimalHostContainerSuite.ScenarioNames);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_InMinimalPrivilegedContainer_Passes(string scenario) => suite.AssertPassed(cli, scenario);

    [Fact]
    public void Suite_InMinimalPrivilegedContainer_RanToCompletionWithKnownScenarios() => suite.AssertRanToCompletion(cli);

    [Fact]
    public void Suite_InMinimalPrivilegedContainer_LeftNothingBehind() => suite.AssertLeftNothingBehind(cli);
}
