namespace AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

/// <summary>One scenario's verdict as a suite script reported it: <c>RESULT name pass|fail detail</c>.</summary>
internal sealed record ScenarioResult(string Name, bool Passed, string Detail);
