using AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Kernel;

/// <summary>One test per scenario of the Debian 12 kernel suite (<see cref="Debian12KernelSuite"/>).</summary>
public sealed class Debian12KernelTests(NativeAotCli cli, Debian12KernelSuite suite) : IClassFixture<Debian12KernelSuite>
{
    public static TheoryData<string> Scenarios() => new(Debian12KernelSuite.ScenarioNames);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_OnDebian12Kernel61_Passes(string scenario) => suite.AssertPassed(cli, scenario);

    [Fact]
    public void Suite_OnDebian12Kernel61_RanToCompletionWithKnownScenarios() => suite.AssertRanToCompletion(cli);

    [Fact]
    public void Suite_OnDebian12Kernel61_LeftNothingBehind() => suite.AssertLeftNothingBehind(cli);
}
