using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using BenchmarkDotNet.Attributes;
using Tmds.Linux;

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
/// isolated" or "unisolate an isolated one", and an iteration lasts milliseconds, long enough for the timer.</para>
/// <para><see cref="ProbeFloor"/> is to <see cref="Probe"/> what <see cref="RawSocketFloor"/> is to the isolate: the same
/// GETTABLE on a bare socket with the fewest system calls possible (sendmsg, then one recvmsg that finds the answer
/// already queued).</para>
/// <para><see cref="IsolateThenUnisolate"/> is the cross-check in one namespace at steady state: it should be close
/// to Isolate + Unisolate.</para>
/// <para>Netfilter hooks sit behind static keys that are global to the machine (nf_hooks_needed[pf][hook], and
/// conntrack's per-namespace hooks): the first hook registered anywhere turns a key on, the last one removed turns
/// it off, and each switch patches kernel text on every CPU (static_key_slow_inc → text_poke → IPIs). Whether an
/// isolate pays that depends on whether any other namespace on the machine happens to have hooks. To measure the
/// library and not the neighbours, every namespace setup here first isolates one more throwaway namespace (the
/// sentinel) and keeps it isolated: the keys stay on, as on any host that already runs iptables, nftables or
/// conntrack. <see cref="HoldHookKeys"/> = false (ops mode only) measures the other case.</para>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class IsolationLatencyBenchmarks
{
    /// <summary>Namespaces isolated (or unisolated) per invocation of <see cref="Isolate"/> / <see cref="Unisolate"/>.</summary>
    public const int FleetSize = 32;

    private readonly IsolationPolicy _policy = ContractPolicies.Example();
    private readonly byte[] _rawReceive = new byte[128 * 1024];
    private ThrowawayNamespace? _namespace;
    private HostIsolator? _isolator;
    private NetlinkSocket? _raw;
    private byte[] _rawBatch = [];
    private byte[] _rawGetTable = [];
    private ThrowawayNamespace[]? _fleetNamespaces;
    private HostIsolator[]? _fleet;
    private bool _fleetIsolated;
    private ThrowawayNamespace? _sentinelNamespace;
    private HostIsolator? _sentinel;

    /// <summary>Keep a sentinel namespace isolated so that the machine-wide netfilter static keys stay on (class remarks).</summary>
    public bool HoldHookKeys { get; set; } = true;

    [GlobalSetup(Targets = [nameof(RawSocketFloor), nameof(Reisolate), nameof(Probe), nameof(ProbeFloor), nameof(Status)])]
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
            _rawGetTable = RawRequests.GetTable(IsolationPolicy.DefaultTableName);
            if (NetlinkSocket.TryOpenInNamespace(_namespace!.Path, 256 * 1024, out _raw) is int errno and not 0)
            {
                throw new InvalidOperationException($"opening the raw netlink socket in {_namespace.Path} failed: errno {errno}");
            }

            // One run of each floor as a check: no reply to the batch (no error), the table is still the isolation
            // table, and GETTABLE finds it.
            RawSocketFloor();
            if (!ProbeFloor())
            {
                throw new InvalidOperationException("the raw GETTABLE did not find the table");
            }

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
            HoldKeys();
            _fleetNamespaces = ThrowawayNamespace.CreateMany(FleetSize, "isolate/unisolate fleet", Isolators.NamespacePrefix);
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
        _sentinel?.Dispose();
        _sentinel = null;
        _sentinelNamespace?.Dispose();
        _sentinelNamespace = null;
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

    /// <summary>
    /// The probe's floor: GETTABLE through the bare socket, then one recvmsg(MSG_DONTWAIT) — the kernel answers a GET
    /// inside sendmsg, so the reply is already queued (a poll only if it were not). Two system calls.
    /// </summary>
    [Benchmark]
    public unsafe bool ProbeFloor()
    {
        NetlinkSocket raw = _raw!;
        if (raw.Send(_rawGetTable) != _rawGetTable.Length)
        {
            throw new InvalidOperationException("sendmsg of GETTABLE failed");
        }

        int fd = (int)raw.Handle.DangerousGetHandle();
        long received;
        fixed (byte* buffer = _rawReceive)
        {
            received = LibC.recv(fd, buffer, _rawReceive.Length, LibC.MSG_DONTWAIT);
        }

        if (received < 0)
        {
            received = raw.Receive(_rawReceive, 5000);
        }

        // NFT_MSG_NEWTABLE (subsystem 10, message 0) means found; an NLMSG_ERROR (ENOENT) means not.
        return received >= 16 && BitConverter.ToUInt16(_rawReceive, 4) == 0x0a00;
    }

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
        HoldKeys();
        _namespace = Isolators.CreateNamespace("isolation latency");
        _isolator = Isolators.OpenIn(_namespace);
    }

    private void HoldKeys()
    {
        if (HoldHookKeys)
        {
            _sentinelNamespace = Isolators.CreateNamespace("sentinel holding the netfilter hook keys");
            _sentinel = Isolators.OpenIn(_sentinelNamespace);
            _sentinel.Isolate(_policy);
        }
    }
}
