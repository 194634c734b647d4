using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability;

/// <summary>What one Send call does instead of (or as well as) delivering the datagram to the fake kernel.</summary>
internal abstract record SendStep
{
    /// <summary>Delivers as if no step were planned: lets an earlier request through to fault a later one.</summary>
    public sealed record Pass : SendStep;

    /// <summary>Returns -errno; the kernel sees nothing.</summary>
    public sealed record Fail(int Errno) : SendStep;

    /// <summary>Returns fewer bytes than asked; <paramref name="Delivered"/> says whether the kernel saw it anyway.</summary>
    public sealed record Short(int Missing, bool Delivered) : SendStep;

    /// <summary>Delivers, then returns -errno (e.g. ENOBUFS after the kernel handled it).</summary>
    public sealed record DeliverThenFail(int Errno) : SendStep;
}

/// <summary>Something that answers the datagrams the engine sends (see <see cref="FakeNfTablesKernel"/>).</summary>
internal interface IFakeKernel
{
    void Deliver(byte[] datagram, FakeNetlinkSocket socket);
}

/// <summary>Thrown by the fake when the engine keeps calling it far past any sane bound: the engine would hang.</summary>
internal sealed class FakeSocketExhaustedException(string message) : Exception(message);

/// <summary>
/// A scripted <see cref="INetlinkSocket"/>: records every send, hands delivered datagrams to a fake kernel, and plays
/// replies, errors and faults back through Receive. It never blocks for longer than the timeout it is given (capped at
/// <see cref="MaxSimulatedWaitMilliseconds"/>), and it gives up with <see cref="FakeSocketExhaustedException"/> after
/// <see cref="MaxCalls"/> calls, so a test can fail but never hang.
/// </summary>
internal sealed class FakeNetlinkSocket : INetlinkSocket
{
    private readonly LinkedList<(byte[]? Datagram, int Errno)> _incoming = new();
    private readonly Lock _lock = new();

    public FakeNetlinkSocket(IFakeKernel? kernel = null, uint portId = 0x1234)
    {
        Kernel = kernel;
        PortId = portId;
    }

    public uint PortId { get; }

    public IFakeKernel? Kernel { get; set; }

    /// <summary>One entry per Send call, consumed in order; when empty, Send delivers normally.</summary>
    public Queue<SendStep> SendPlan { get; } = new();

    /// <summary>
    /// Consulted on every Receive call before the queue: return an errno to inject (counted as a fault), or null.
    /// Arguments: the number of datagrams delivered so far, and the timeout asked for.
    /// </summary>
    public Func<int, int, int?>? ReceiveInterceptor { get; set; }

    /// <summary>Every datagram the engine tried to send, delivered or not.</summary>
    public List<byte[]> SendAttempts { get; } = [];

    /// <summary>The datagrams the kernel actually saw.</summary>
    public List<byte[]> Delivered { get; } = [];

    public int SendCalls { get; private set; }

    public int ReceiveCalls { get; private set; }

    public int FaultsInjected { get; private set; }

    public int MaxCalls { get; set; } = 50_000;

    public int MaxSimulatedWaitMilliseconds { get; set; } = 5;

    public bool Disposed { get; private set; }

    /// <summary>Queues a datagram for Receive (the kernel's replies go here).</summary>
    public void Enqueue(byte[] datagram)
    {
        lock (_lock)
        {
            _incoming.AddLast((datagram, 0));
        }
    }

    /// <summary>Queues a receive error at the position it would occur (after what is already queued).</summary>
    public void EnqueueError(int errno, string faultKind)
    {
        lock (_lock)
        {
            _incoming.AddLast((null, errno));
        }

        Fault(faultKind);
    }

    /// <summary>Puts a receive error in front of everything queued (the kernel reports a socket error first).</summary>
    public void PushErrorFirst(int errno, string faultKind)
    {
        lock (_lock)
        {
            _incoming.AddFirst((null, errno));
        }

        Fault(faultKind);
    }

    public int QueuedCount
    {
        get
        {
            lock (_lock)
            {
                return _incoming.Count;
            }
        }
    }

    /// <summary>Records a fault the kernel model or a test injected through this socket.</summary>
    public void Fault(string kind, int count = 1)
    {
        FaultsInjected += count;
        FaultLedger.Record(kind, count);
    }

    public int Send(ReadOnlySpan<byte> datagram)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Guard(++SendCalls, "Send");
        byte[] bytes = datagram.ToArray();
        SendAttempts.Add(bytes);
        if (SendPlan.TryDequeue(out SendStep? step))
        {
            switch (step)
            {
                case SendStep.Fail fail:
                    Fault("send:" + Errno.Name(fail.Errno));
                    return -fail.Errno;
                case SendStep.Short shortSend:
                    Fault(shortSend.Delivered ? "send:short(kernel got it)" : "send:short(kernel did not)");
                    if (shortSend.Delivered)
                    {
                        DeliverToKernel(bytes);
                    }

                    return Math.Max(0, bytes.Length - shortSend.Missing);
                case SendStep.DeliverThenFail late:
                    Fault("send:" + Errno.Name(late.Errno) + "(after delivery)");
                    DeliverToKernel(bytes);
                    return -late.Errno;
            }
        }

        DeliverToKernel(bytes);
        return bytes.Length;
    }

    public int Receive(Span<byte> buffer, int timeoutMilliseconds)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutMilliseconds);
        Guard(++ReceiveCalls, "Receive");
        if (ReceiveInterceptor?.Invoke(Delivered.Count, timeoutMilliseconds) is int injected)
        {
            Fault("recv:" + Errno.Name(injected));
            if (timeoutMilliseconds > 0)
            {
                Thread.Sleep(1); // a signal or error arrives some time into the wait
            }

            return -injected;
        }

        (byte[]? Datagram, int Errno) next;
        lock (_lock)
        {
            if (_incoming.Count == 0)
            {
                next = (null, Errno.EAGAIN);
            }
            else
            {
                next = _incoming.First!.Value;
                _incoming.RemoveFirst();
            }
        }

        if (next.Datagram is null)
        {
            if (next.Errno == Errno.EAGAIN && timeoutMilliseconds > 0)
            {
                Thread.Sleep(Math.Min(timeoutMilliseconds, MaxSimulatedWaitMilliseconds));
            }

            return -next.Errno;
        }

        if (next.Datagram.Length > buffer.Length)
        {
            return -Errno.EMSGSIZE; // MSG_TRUNC: the datagram is consumed
        }

        next.Datagram.CopyTo(buffer);
        return next.Datagram.Length;
    }

    public int EnsureBufferSize(int bytes) => 0;

    public void Dispose() => Disposed = true;

    private void DeliverToKernel(byte[] datagram)
    {
        Delivered.Add(datagram);
        Kernel?.Deliver(datagram, this);
    }

    private void Guard(int calls, string what)
    {
        if (calls > MaxCalls)
        {
            throw new FakeSocketExhaustedException($"the engine called {what} {calls} times without giving up: an unbounded retry loop");
        }
    }
}
