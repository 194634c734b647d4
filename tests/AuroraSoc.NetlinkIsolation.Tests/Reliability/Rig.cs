using System.Runtime.ExceptionServices;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Testing.Policies;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability;

/// <summary>A fake kernel, a fake socket, the real engine and the real isolator on top, with tiny bounds.</summary>
internal sealed class Rig : IDisposable
{
    /// <summary>Small bounds so that a lost reply costs milliseconds, not seconds.</summary>
    public static readonly NetlinkConnectionOptions Options = new()
    {
        ReplyTimeoutMilliseconds = 20,
        MaxDumpAttempts = 4,
        MaxSendAttempts = 4,
    };

    public Rig(NetlinkConnectionOptions? options = null)
    {
        Kernel = new FakeNfTablesKernel();
        Socket = new FakeNetlinkSocket(Kernel);
        Connection = new NfTablesConnection(Socket, options ?? Options);
        Isolator = HostIsolator.Create(Connection);
    }

    public FakeNfTablesKernel Kernel { get; }

    public FakeNetlinkSocket Socket { get; }

    public NfTablesConnection Connection { get; }

    public HostIsolator Isolator { get; }

    public static IsolationPolicy Policy => ContractPolicies.Example();

    /// <summary>The names of the requests the kernel saw after the first <paramref name="skip"/>.</summary>
    public string[] RequestsAfter(int skip) => [.. Kernel.RequestNames.Skip(skip)];

    /// <summary>An isolate batch for the contract example, with fresh sequence numbers from the connection.</summary>
    public NfTablesBatch IsolateBatch(out IsolationRuleset ruleset)
    {
        ruleset = IsolationRuleset.Build(Policy);
        var batch = new NfTablesBatch();
        ruleset.WriteIsolateBatch(batch, Connection.ReserveSequences(ruleset.IsolateMessageCount));
        return batch;
    }

    /// <summary>Arms one receive error for the first Receive after the <paramref name="deliveries"/>-th delivered datagram.</summary>
    public void FailFirstReceiveAfter(int deliveries, int errno)
    {
        bool fired = false;
        Socket.ReceiveInterceptor = (delivered, _) =>
        {
            if (!fired && delivered == deliveries)
            {
                fired = true;
                return errno;
            }

            return null;
        };
    }

    public void Dispose() => Isolator.Dispose();
}

/// <summary>Runs test bodies on a dedicated thread with a generous bound: a hang fails the test instead of the run.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static void Run(Action action, TimeSpan? limit = null)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
#pragma warning disable CA1031 // rethrown on the test thread
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = "bounded test body",
        };
        thread.Start();
        if (!thread.Join(limit ?? Limit))
        {
            Assert.Fail($"the operation did not finish within {(limit ?? Limit).TotalSeconds} s: a hang");
        }

        failure?.Throw();
    }

    public static T Run<T>(Func<T> action, TimeSpan? limit = null)
    {
        T result = default!;
        Run(() => { result = action(); }, limit);
        return result;
    }
}
