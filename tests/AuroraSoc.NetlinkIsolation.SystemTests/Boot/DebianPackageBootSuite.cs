using AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Boot;

/// <summary>
/// tests/system/boot/run.sh: the Debian package (src/packaging) installed with dpkg in a Debian 12 VM that boots with
/// systemd under qemu, twice from one disk: the guard's unit under its real confinement, before network-pre.target.
/// </summary>
public sealed class DebianPackageBootSuite() : SystemSuite("boot", TimeSpan.FromMinutes(15), ScenarioNames)
{
    /// <summary>The scenarios tests/system/boot/boot-test.sh reports, in its order.</summary>
    public static readonly IReadOnlyList<string> ScenarioNames =
    [
        // Boot 1: dpkg -i; the guard enabled and running, nothing isolated; the unit's exposure; an isolation with a
        // reason and an agent cgroup (made for it) handed over to the guard and recorded; nftables.service (flush ruleset
        // first) enabled.
        "install",
        "install-starts-guard",
        "install-isolates-nothing",
        "unit-exposure",
        "agent-cgroup-made",
        "isolate-host-with-reason",
        "intent-recorded",
        "nftables-enabled",

        // Boot 2: in force with its reason before network-pre.target, after nftables.service's flush; degraded while
        // the agent's cgroup does not exist, isolated once it is made (the guard's cgroup watch re-commits); its recording
        // of blocked traffic restored with it.
        "reboot-isolated-before-network-pre",
        "agent-cgroup-appears-isolated",
        "record-blocked-restored",
        "nftables-flush-then-restore",
        "guard-status-text",
        "journal-priorities",
        "reload-rereads-state-dir",

        // Hand-overs the confined guard serves: TCP verification after setns, a rootless container's namespace.
        "handover-verify-collector",
        "handover-netns-pid",

        // The package's life: upgrade keeps the isolation, purge keeps the intents and says so.
        "upgrade",
        "upgrade-keeps-isolation",
        "purge-keeps-intents",
    ];
}
