using AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Kernel;

/// <summary>
/// tests/system/kernel/run.sh: Debian 12's 6.1 LTS kernel under qemu with the NativeAOT CLI, nft and iproute2 in
/// an initramfs; the scenarios run as PID 1 (tests/system/kernel/init.sh) and report over the serial console.
/// </summary>
public sealed class Debian12KernelSuite() : SystemSuite("kernel", TimeSpan.FromMinutes(15), ScenarioNames)
{
    /// <summary>The scenarios init.sh reports, in its order.</summary>
    public static readonly IReadOnlyList<string> ScenarioNames =
    [
        "kernel-is-6.1",

        // status on a kernel that has loaded nothing: exit 3, and the kernel autoloads nfnetlink and nf_tables.
        "fresh-kernel-status",

        // The lifecycle of tests/system/lib/lifecycle.sh, in a network namespace of the VM.
        "isolate-keep",
        "show-equals-nft",
        "strict-swap",
        "degraded",
        "repair",
        "unisolate",

        // The isolate made the kernel load nf_conntrack, nft_ct and nft_reject_inet through /sbin/modprobe.
        "expression-modules-autoloaded",

        // Across a veth pair: the collector reachable, others reset, inbound dropped; all open again afterwards.
        "traffic-baseline",
        "traffic-isolate",
        "traffic-collector-reachable",
        "traffic-others-reset",
        "traffic-inbound-dropped",
        "traffic-restored",

        // Agent identities (nft_socket's cgroupv2 key, meta skuid/skgid): show prints them exactly as nft does.
        "agent-identities-show-equals-nft",

        // The guard on a kernel without PERSIST: monitor mode found by asking the kernel, a handed-over isolate with
        // its reason and no owner flag, nft's deletion reverted and reported naming nft, SIGTERM leaves the table.
        "guard-starts-without-persist",
        "guard-handover-unowned",
        "guard-reverts-foreign-delete",
        "guard-sigterm-keeps-table",
    ];
}
