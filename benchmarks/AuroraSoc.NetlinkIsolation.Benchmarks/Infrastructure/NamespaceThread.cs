using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;

/// <summary>
/// A dedicated thread that setns(2)'d into a throwaway network namespace and runs work there. Processes it starts
/// are created by clone(2) from this thread and so inherit its namespace (the child copies the calling task's
/// nsproxy), which is how <c>nft</c> runs inside the namespace without an extra <c>nsenter</c> exec. The thread
/// never returns to the pool and never runs anything else; it ends with <see cref="Dispose"/>.
/// </summary>
internal sealed class NamespaceThread : IDisposable
{
    private readonly BlockingCollection<WorkItem> _work = [];
    private readonly Thread _thread;
    private readonly string _expectedIdentity;
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NamespaceThread(ThrowawayNamespace target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _expectedIdentity = target.Identity;
        _thread = new Thread(() => Run(target.Path)) { IsBackground = true, Name = "benchmark netns " + target.Name };
        _thread.Start();
        _entered.Task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the namespace thread and returns its result. First checks (one readlink)
    /// that the thread is still in the throwaway namespace: work that starts processes must never run in the
    /// machine's own namespace.
    /// </summary>
    public T Invoke<T>(Func<T> work)
    {
        var item = new WorkItem(() => work()!);
        _work.Add(item);
        item.Done.Wait();
        return item.Failure is { } failure ? throw new InvalidOperationException("work on the namespace thread failed", failure) : (T)item.Result!;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }

    private void Run(string namespacePath)
    {
        try
        {
            Enter(namespacePath);
            string now = NamespaceIdentity.OfCurrentThread();
            if (now != _expectedIdentity)
            {
                throw new InvalidOperationException($"setns left the thread in {now}, not {_expectedIdentity}");
            }

            _entered.SetResult();
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException)
        {
            _entered.SetException(exception);
            return;
        }

        foreach (WorkItem item in _work.GetConsumingEnumerable())
        {
            try
            {
                string now = NamespaceIdentity.OfCurrentThread();
                item.Result = now == _expectedIdentity
                    ? item.Work()
                    : throw new InvalidOperationException($"namespace thread is in {now}, expected {_expectedIdentity}; refusing to run");
            }
#pragma warning disable CA1031 // the failure is handed back to the caller, which rethrows it
            catch (Exception exception)
#pragma warning restore CA1031
            {
                item.Failure = exception;
            }
            finally
            {
                item.Done.Set();
            }
        }
    }

    private static unsafe void Enter(string namespacePath)
    {
        byte[] path = Encoding.UTF8.GetBytes(namespacePath + "\0");
        int fd;
        fixed (byte* p = path)
        {
            fd = LibC.open(p, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            throw new InvalidOperationException($"open {namespacePath} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (LibC.setns(fd, NamespaceConstants.CLONE_NEWNET) != 0)
            {
                throw new InvalidOperationException($"setns({namespacePath}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }

    private sealed class WorkItem(Func<object> work)
    {
        public Func<object> Work { get; } = work;

        public ManualResetEventSlim Done { get; } = new();

        public object? Result { get; set; }

        public Exception? Failure { get; set; }
    }
}
