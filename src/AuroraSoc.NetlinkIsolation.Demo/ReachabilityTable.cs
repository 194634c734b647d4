namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>Prints the checks with their outcome in the three phases and whether each was as expected.</summary>
internal static class ReachabilityTable
{
    public static bool Print(TextWriter output, IReadOnlyList<ReachabilityCheck> checks, TcpProbe[] before, TcpProbe[] isolated, TcpProbe[] after)
    {
        const string Format = "{0,-46} {1,-18} {2,-18} {3,-18} {4}";
        output.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, Format, "probe (TCP connect)", "before", "isolated", "after unisolate", "as expected?"));
        output.WriteLine(new string('-', 46 + 1 + 18 + 1 + 18 + 1 + 18 + 1 + 12));
        bool allExpected = true;
        for (int i = 0; i < checks.Count; i++)
        {
            bool expected = before[i].Outcome == ProbeOutcome.Connected
                && isolated[i].Outcome == checks[i].WhileIsolated
                && after[i].Outcome == ProbeOutcome.Connected;
            allExpected &= expected;
            output.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, Format, checks[i].Description, before[i], isolated[i], after[i], expected ? "yes" : "NO"));
        }

        return allExpected;
    }
}
