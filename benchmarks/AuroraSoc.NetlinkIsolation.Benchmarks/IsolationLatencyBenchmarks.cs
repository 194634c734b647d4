using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using BenchmarkDotNet.Attributes;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// What each HostIsolator call costs against a real kernel, with the contract's example policy, next to the floor:
/// the same isolate batch sent through a bare netlink socket. Everything runs in throwaway network namespaces.
/// </summary>
/// <remarks>
/// <para><see cref="Isolate"/> and <see cref="Unisolate"/> change the state they start from, and BenchmarkDotNet
/// cannot leave part of an invocation out of the measurement. So each has an [IterationSetup] that puts
/// <see cref="FleetSize"/> namespaces into the required state (BenchmarkDotNet then runs exactly one invocation per
/// iteration: InvocationCount = UnrollFactor = 1), and one invocation performs the operation once in each of them
/// (OperationsPerInvoke = FleetSize). Every measured operation is therefore exactly "isolate a namespace that is not
/// isolated" or "unisolate an isolated one", and an iteration is long enough (~1 ms) for the timer.</para>
/// <para><see cref="IsolateThenUnisolate"/> is the cross-check in one namespace at steady state: it should be close
/// to Isolate + Unisolate.</para>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class IsolationLatencyBenchmarks
{
    /// <summary>Namespaces isolated (or unisolated) per invocation of <see cref="Isolate"/> / <see cref="Unisolate"/>.</summary>
    public const int FleetSize = 32;

    private readonly IsolationPolicy _policy = Policies.ContractExample();
    private readonly byte[] _rawReceive = new byte[128 * 1024];
    private ThrowawayNamespace? _namespace;
    private HostIsolator? _isolator;
    private NetlinkSocket? _raw;
    private byte[] _rawBatch = [];
    private ThrowawayNamespace[]? _fleetNamespaces;
    private HostIsolator[]? _fleet;
    private bool _fleetIsolated;

    [GlobalSetup(Targets = [nameof(RawSocketFloor), nameof(Reisolate), nameof(Probe), nameof(Status)])]
    public void SetupIsolatedNamespace()
    {
        try
        {
            SetupNamespace();
            IsolationResult result = _isolator!.Isolate(_policy);
            Console.WriteLine($"// isolate: {result.RuleCount} rules, {result.ChainCount} chains, {result.BatchBytes} batch bytes");
            if (!_isolator.IsIsolated() || _isolator.GetStatus().State != IsolationState.Isolated)
            {
                throw new InvalidOperationException("the contract example did not leave the namespace isolated");
            }

            // The floor's batch: the library's own encoding of the same transaction, fixed sequence numbers.
            using var batch = new NfTablesBatch(64 * 1024);
            IsolationRuleset.Build(_policy).WriteIsolateBatch(batch, firstSequence: 1);
            _rawBatch = batch.Bytes.ToArray();
            if (NetlinkSocket.TryOpenInNamespace(_namespace!.Path, 256 * 1024, out _raw) is int errno and not 0)
            {
                throw new InvalidOperationException($"opening the raw netlink socket in {_namespace.Path} failed: errno {errno}");
            }

            // One run of the floor as a check: no reply (no error), and the table is still the isolation table.
            RawSocketFloor();
            if (_isolator.GetStatus().State != IsolationState.Isolated)
            {
                throw new InvalidOperationException("the raw batch did not leave the namespace isolated");
            }
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    [GlobalSetup(Target = nameof(IsolateThenUnisolate))]
    public void SetupOpenNamespace()
    {
        try
        {
            SetupNamespace();
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    [GlobalSetup(Targets = [nameof(Isolate), nameof(Unisolate)])]
    public void SetupFleet()
    {
        try
        {
            _fleetNamespaces = ThrowawayNamespace.CreateMany(FleetSize);
            _fleet = new HostIsolator[FleetSize];
            for (int i = 0; i < FleetSize; i++)
            {
                _fleet[i] = Isolators.OpenIn(_fleetNamespaces[i]);
            }
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw?.Dispose();
        _raw = null;
        _isolator?.Dispose();
        _isolator = null;
        foreach (HostIsolator? isolator in _fleet ?? [])
        {
            isolator?.Dispose();
        }

        _fleet = null;
        _namespace?.Dispose();
        _namespace = null;
        ThrowawayNamespace.DisposeAll(_fleetNamespaces);
        _fleetNamespaces = null;
    }

    /// <summary>
    /// The floor: sendmsg of the pre-encoded isolate batch on a bare socket, then drain without waiting until EAGAIN —
    /// the completion signal NetlinkConnection.Commit uses (the kernel runs the whole batch inside sendmsg). A batch
    /// sent without NLM_F_ACK is answered only when it fails, so any reply is an error.
    /// </summary>
    [Benchmark(Baseline = true)]
    public int RawSocketFloor()
    {
        NetlinkSocket raw = _raw!;
        int sent = raw.Send(_rawBatch);
        if (sent != _rawBatch.Length)
        {
            throw new InvalidOperationException($"sendmsg returned {sent}");
        }

        while (true)
        {
            int received = raw.Receive(_rawReceive, 0);
            if (received == -Errno.EAGAIN)
            {
                return sent;
            }

            if (received != -Errno.EINTR)
            {
                throw new InvalidOperationException($"the kernel answered the batch ({received}): it failed");
            }
        }
    }

    /// <summary>Isolate a namespace that is not isolated (see the class remarks for how the state is prepared).</summary>
    [Benchmark(OperationsPerInvoke = FleetSize)]
    public int Isolate()
    {
        if (_fleetIsolated)
        {
            throw new InvalidOperationException("Isolate ran twice without its [IterationSetup]: the fleet is already isolated");
        }

        int rules = 0;
        foreach (HostIsolator isolator in _fleet!)
        {
            rules += isolator.Isolate(_policy).RuleCount;
        }

        _fleetIsolated = true;
        return rules;
    }

    [IterationSetup(Target = nameof(Isolate))]
    public void UnisolateFleet()
    {
        foreach (HostIsolator isolator in _fleet!)
        {
            isolator.Unisolate();
        }

        _fleetIsolated = false;
    }

    /// <summary>Isolate again with the same policy while the table is present: the atomic table swap.</summary>
    [Benchmark]
    public IsolationResult Reisolate() => _isolator!.Isolate(_policy);

    /// <summary>Unisolate an isolated namespace (see the class remarks).</summary>
    [Benchmark(OperationsPerInvoke = FleetSize)]
    public void Unisolate()
    {
        if (!_fleetIsolated)
        {
            throw new InvalidOperationException("Unisolate ran twice without its [IterationSetup]: the fleet is not isolated");
        }

        foreach (HostIsolator isolator in _fleet!)
        {
            isolator.Unisolate();
        }

        _fleetIsolated = false;
    }

    [IterationSetup(Target = nameof(Unisolate))]
    public void IsolateFleet()
    {
        foreach (HostIsolator isolator in _fleet!)
        {
            isolator.Isolate(_policy);
        }

        _fleetIsolated = true;
    }

    /// <summary>One GETTABLE (IsIsolated) while isolated.</summary>
    [Benchmark]
    public bool Probe() => _isolator!.IsIsolated();

    /// <summary>GetStatus while isolated: GETGEN, GETTABLE, chain and rule dumps, GETGEN, decode and classify.</summary>
    [Benchmark]
    public IsolationStatus Status() => _isolator!.GetStatus();

    /// <summary>Cross-check for Isolate + Unisolate, in one namespace at steady state (starts and ends not isolated).</summary>
    [Benchmark]
    public void IsolateThenUnisolate()
    {
        _isolator!.Isolate(_policy);
        _isolator.Unisolate();
    }

    private void SetupNamespace()
    {
        _namespace = ThrowawayNamespace.Create();
        _isolator = Isolators.OpenIn(_namespace);
    }
}
