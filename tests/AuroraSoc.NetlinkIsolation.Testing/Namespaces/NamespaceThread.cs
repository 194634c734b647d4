using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;

namespace AuroraSoc.NetlinkIsolation.Testing.Namespaces;

/// <summary>
/// Work inside a network namespace, on a thread that the library's own <c>NetworkNamespaceThread</c> switched into it
/// (the one audited setns(2) in the code base). Sockets created there belong to the namespace for life, whichever
/// thread uses them later, and processes started there inherit it (clone(2) copies the calling thread's
/// namespaces), so no <c>ip netns exec</c> is needed. Work must stay synchronous: continuations after an
/// <c>await</c> run on pool threads, which are in the machine's own namespace.
/// </summary>
/// <remarks>
/// <see cref="Run{T}(string, Func{T})"/> gives each piece of work a thread of its own. An instance keeps one thread
/// in the namespace for many pieces of work (<see cref="Invoke{T}(Func{T})"/>), for callers that measure and must
/// not pay a thread start each time; it re-checks the thread's namespace before every piece of work.
/// </remarks>
public sealed class NamespaceThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly ulong _expectedInode;
    private readonly Task _loop;

    /// <summary>Starts a thread in the namespace at <paramref name="namespacePath"/> and waits until it is inside.</summary>
    public NamespaceThread(string namespacePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(namespacePath);
        _expectedInode = NetworkNamespaceInode.OfFile(namespacePath);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop = Task.Factory.StartNew(
            () => Run(namespacePath, () =>
            {
                entered.SetResult();
                foreach (Action item in _work.GetConsumingEnumerable())
                {
                    item();
                }
            }),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        Task.WaitAny(entered.Task, _loop);
        if (_loop.IsFaulted)
        {
            ExceptionDispatchInfo.Throw(_loop.Exception!.InnerException!);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a new dedicated thread inside the namespace at <paramref name="namespacePath"/>
    /// (<c>/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>) and returns its result; the thread ends afterwards.
    /// Exceptions from <paramref name="work"/> propagate with their original stack; failing to enter throws
    /// <see cref="IOException"/> naming the errno.
    /// </summary>
    public static T Run<T>(string namespacePath, Func<T> work)
    {
        ArgumentException.ThrowIfNullOrEmpty(namespacePath);
        ArgumentNullException.ThrowIfNull(work);
        int error = NetworkNamespaceThread.TryRun(namespacePath, work, out T? result);
        return error == 0
            ? result!
            : throw new IOException($"cannot enter the network namespace {namespacePath}: {Errno.Name(error)} ({Errno.Describe(error)})");
    }

    /// <inheritdoc cref="Run{T}(string, Func{T})"/>
    public static void Run(string namespacePath, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Run(namespacePath, () =>
        {
            work();
            return true;
        });
    }

    /// <summary>Like <see cref="Run{T}(string, Func{T})"/> but does not block: the task completes when the dedicated
    /// thread has finished. Lets a caller act in several namespaces at the same time.</summary>
    public static Task<T> RunAsync<T>(string namespacePath, Func<T> work) =>
        Task.Factory.StartNew(() => Run(namespacePath, work), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Runs <paramref name="work"/> on this instance's thread and returns its result. Refuses to run when
    /// the thread is no longer in the namespace it entered: work that starts processes must never run in the
    /// machine's own namespace.</summary>
    public T Invoke<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        _work.Add(() =>
        {
            try
            {
                ulong now = NetworkNamespaceInode.OfCurrentThread();
                result = now == _expectedInode
                    ? work()
                    : throw new InvalidOperationException(
                        $"the namespace thread is in {NetworkNamespaceInode.Format(now)}, not {NetworkNamespaceInode.Format(_expectedInode)}; refusing to run");
            }
#pragma warning disable CA1031 // Rethrown on the calling thread.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        failure?.Throw();
        return result;
    }

    /// <summary>Lets the thread finish the work already handed to it, then ends it.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        _loop.Wait();
        _work.Dispose();
    }
}
