namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>One throwaway network namespace of the demo (<c>/run/netns/NAME</c>), created and deleted by <see cref="NamespaceRegistry"/>.</summary>
internal sealed class DemoNamespace(string role, string name)
{
    /// <summary>What it stands for: host, collector, peer, container, switch.</summary>
    public string Role { get; } = role;

    public string Name { get; } = name;

    public string Path => "/run/netns/" + Name;

    /// <summary><c>ip -n NAME -batch -</c>: every command acts inside this namespace.</summary>
    public void IpBatch(string commands) => ExternalCommand.RunChecked("ip", ["-n", Name, "-batch", "-"], commands);

    /// <summary>Sets sysctls inside the namespace (ip netns exec fails closed if the namespace is gone).</summary>
    public void Sysctl(params string[] settings) => ExternalCommand.RunChecked("ip", ["netns", "exec", Name, "sysctl", "-q", "-w", .. settings]);
}
