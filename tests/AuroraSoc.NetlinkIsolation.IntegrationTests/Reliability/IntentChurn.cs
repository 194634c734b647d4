using System.Globalization;
using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;

/// <summary>
/// Helper command <c>intent NSPATH STATEDIR WORKER OPS SEED</c>: after READY and a line on stdin, OPS random
/// isolate (a policy unique to worker and op) / unisolate calls through <see cref="DurableIsolator"/> with the state
/// directory; prints <c>E …</c> per failure and exits 1 if any.
/// </summary>
internal static class IntentChurn
{
    public static int Run(string[] args)
    {
        string path = args[0];
        var store = new IntentStore(args[1]);
        int worker = int.Parse(args[2], CultureInfo.InvariantCulture);
        int operations = int.Parse(args[3], CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(args[4], CultureInfo.InvariantCulture));
        using HostIsolator isolator = HostIsolator.Open(path);
        var durable = new DurableIsolator(isolator, store);
        Console.Out.WriteLine("READY");
        Console.Out.Flush();
        _ = Console.In.ReadLine();

        int errors = 0;
        for (int n = 0; n < operations; n++)
        {
            try
            {
                if (random.Next(2) == 0)
                {
                    durable.Isolate(HelperPolicies.Unique(worker, n));
                }
                else
                {
                    durable.Unisolate();
                }
            }
            catch (Exception exception) when (exception is IsolationException or IntentStoreException)
            {
                errors++;
                Console.Out.WriteLine($"E {n} {exception.Message.ReplaceLineEndings(" ")}");
            }
        }

        return errors == 0 ? 0 : 1;
    }
}
