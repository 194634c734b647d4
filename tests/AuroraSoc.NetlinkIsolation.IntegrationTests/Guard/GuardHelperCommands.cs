using System.Globalization;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>
/// Guard commands of the test assembly's helper mode (<see cref="Reliability.HelperMode"/>), for tests that need the
/// guard or its clients in processes of their own:
/// <list type="bullet">
/// <item><c>guard STATEDIR [monitor-only] [verify=SECONDS]</c> — runs an <see cref="IsolationGuard"/>, prints <c>READY</c> once it is
/// started, logs one line per warning or error (<c>LOG level id message</c>; fewer lines than a busy guard has
/// events, so a parent that reads only some of them never blocks it), and on SIGTERM or end of stdin stops it and
/// exits 0.</item>
/// <item><c>handoff STATEDIR NSPATH CYCLES</c> — hands CYCLES isolate/unisolate pairs to the guard serving STATEDIR;
/// prints <c>E …</c> per failure and <c>DONE ok failed</c>; exit 0 when nothing failed.</item>
/// </list>
/// </summary>
internal static class GuardHelperCommands
{
    public static int RunGuard(string[] args)
    {
        var options = new IsolationGuardOptions { StateDirectory = args[0], MonitorOnly = args.Contains("monitor-only") };
        if (args.FirstOrDefault(a => a.StartsWith("verify=", StringComparison.Ordinal)) is { } verify)
        {
            options.VerifyInterval = TimeSpan.FromSeconds(int.Parse(verify["verify=".Length..], CultureInfo.InvariantCulture));
        }

        using var stop = new ManualResetEventSlim();
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Set();
        });
        using (IsolationGuard guard = IsolationGuard.Start(options, new LineLogger()))
        {
            Console.Out.WriteLine("READY");
            Console.Out.Flush();
            var stdinClosed = new Thread(() =>
            {
                while (Console.In.ReadLine() is not null)
                {
                }

                stop.Set();
            })
            {
                IsBackground = true,
            };
            stdinClosed.Start();
            stop.Wait();
        }

        Console.Out.WriteLine("STOPPED");
        return 0;
    }

    public static int HandOver(string stateDirectory, string namespacePath, int cycles)
    {
        int ok = 0;
        int failed = 0;
        IsolationIntent intent = IsolationIntent.Create(namespacePath, ContractPolicies.Example());
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            foreach (bool isolate in (ReadOnlySpan<bool>)[true, false])
            {
                try
                {
                    using GuardClient client = GuardClient.TryConnect(stateDirectory) ?? throw new InvalidOperationException("no guard serves " + stateDirectory);
                    if (isolate)
                    {
                        client.Isolate(intent with { IsolatedAt = DateTimeOffset.UtcNow }, IsolateOptions.Default, callerNamespace: false);
                    }
                    else
                    {
                        client.Unisolate(intent.Target, intent.Table, callerNamespace: false);
                    }

                    ok++;
                }
#pragma warning disable CA1031 // every failure is reported and counted
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    failed++;
                    Console.Out.WriteLine($"E {(isolate ? "isolate" : "unisolate")} {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}");
                }
            }
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DONE {ok} {failed}"));
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Writes each event as one stdout line, for the parent test to read.</summary>
    private sealed class LineLogger : ILogger
    {
        private readonly Lock _gate = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            lock (_gate)
            {
                Console.Out.WriteLine($"LOG {logLevel} {eventId.Id} {formatter(state, exception).ReplaceLineEndings(" ")}");
                Console.Out.Flush();
            }
        }
    }
}
