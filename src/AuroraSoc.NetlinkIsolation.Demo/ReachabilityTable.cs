using System.Globalization;
using AuroraSoc.NetlinkIsolation.Testing.Wire;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>Prints the checks with their outcome in the three phases and whether each was as expected.</summary>
internal static class ReachabilityTable
{
    public static bool Print(TextWriter output, IReadOnlyList<ReachabilityCheck> checks, TcpConnectResult[] before, TcpConnectResult[] isolated, TcpConnectResult[] after)
    {
        const string Format = "{0,-46} {1,-18} {2,-18} {3,-18} {4}";
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, "probe (TCP connect)", "before", "isolated", "after unisolate", "as expected?"));
        output.WriteLine(new string('-', 46 + 1 + 18 + 1 + 18 + 1 + 18 + 1 + 12));
        bool allExpected = true;
        for (int i = 0; i < checks.Count; i++)
        {
            bool expected = before[i].Outcome == TcpConnectOutcome.Connected
                && isolated[i].Outcome == checks[i].WhileIsolated
                && after[i].Outcome == TcpConnectOutcome.Connected;
            allExpected &= expected;
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, checks[i].Description, Describe(before[i]), Describe(isolated[i]), Describe(after[i]), expected ? "yes" : "NO"));
        }

        return allExpected;
    }

    private static string Describe(TcpConnectResult probe)
    {
        string ms = probe.Elapsed.TotalMilliseconds.ToString(probe.Elapsed.TotalMilliseconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
        return probe.Outcome switch
        {
            TcpConnectOutcome.Connected => $"connected ({ms} ms)",
            TcpConnectOutcome.Refused => $"TCP reset ({ms} ms)",
            TcpConnectOutcome.TimedOut => $"no answer ({probe.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)",
            _ => $"{probe.SocketError} ({ms} ms)",
        };
    }
}
