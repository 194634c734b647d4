using System.Net;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>The result of a client exchange: how it ended, the leased address, the time it took.</summary>
public sealed record DhcpResult(DhcpOutcome Outcome, IPAddress? Leased, TimeSpan Elapsed, string Detail = "");
