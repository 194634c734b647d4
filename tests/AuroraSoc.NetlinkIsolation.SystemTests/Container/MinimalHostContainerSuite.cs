using AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Container;

/// <summary>
/// tests/system/container/run.sh: the NativeAOT CLI in an image that holds only it, its libraries and a static
/// busybox, run by podman in its own network namespace, with the host's nft (nsenter) as the oracle.
/// </summary>
public sealed class MinimalHostContainerSuite() : SystemSuite("container", TimeSpan.FromMinutes(15), ScenarioNames)
{
    /// <summary>The scenarios run.sh reports, in its order.</summary>
    public static readonly IReadOnlyList<string> ScenarioNames =
    [
        // The image: aurorasoc-isolate, the libraries ldd lists, busybox; no nft, iptables, libnftnl, libnftables, libmnl.
        "image-has-no-nft-userspace",

        // --privileged --network none: the lifecycle of tests/system/lib/lifecycle.sh.
        "isolate-keep",
        "show-equals-nft",
        "strict-swap",
        "degraded",
        "repair",
        "unisolate",

        // The guard inside the container (this kernel keeps owned tables): owns the handed-over table, the host's nft
        // cannot delete it and flush leaves it, SIGTERM leaves it, a new guard adopts it, unisolate releases the host.
        "guard-owns-table",
        "guard-refuses-foreign-changes",
        "guard-stop-then-adopt",

        // Without CAP_NET_ADMIN: isolate and status exit 1 naming the permission; nothing installed.
        "cap-drop-all-refused",
        "default-capabilities-refused",

        // The machine's own ruleset is the same after the suite as before.
        "host-namespace-untouched",
    ];
}
