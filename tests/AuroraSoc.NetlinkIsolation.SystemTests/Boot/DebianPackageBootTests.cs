using AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Boot;

/// <summary>One test per scenario of the package boot suite (<see cref="DebianPackageBootSuite"/>).</summary>
public sealed class DebianPackageBootTests(NativeAotCli cli, DebianPackageBootSuite suite) : IClassFixture<DebianPackageBootSuite>
{
    public static TheoryData<string> Scenarios() => new(DebianPackageBootSuite.ScenarioNames);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_PackageUnderSystemdBoot_Passes(string scenario) => suite.AssertPassed(cli, scenario);

    [Fact]
    public void Suite_PackageUnderSystemdBoot_RanToCompletionWithKnownScenarios() => suite.AssertRanToCompletion(cli);

    [Fact]
    public void Suite_PackageUnderSystemdBoot_LeftNothingBehind() => suite.AssertLeftNothingBehind(cli);
}
