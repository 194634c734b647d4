namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// <c>/etc/netns/NAME/hosts</c> and <c>resolv.conf</c> for a throwaway namespace: <c>ip netns exec NAME</c> bind-mounts
/// them over <c>/etc/hosts</c> and <c>/etc/resolv.conf</c>, so a CLI run there resolves names from them and from
/// nothing else on this machine. The resolver is loopback port 53, where nothing listens: a name the hosts file lacks
/// is refused at once (ICMP port unreachable) instead of waiting on a real DNS server. Removed on dispose.
/// </summary>
internal sealed class NetnsResolverFiles : IDisposable
{
    private readonly string _directory;

    private NetnsResolverFiles(string directory) => _directory = directory;

    public static NetnsResolverFiles Write(ThrowawayNamespace ns, string hosts)
    {
        ArgumentNullException.ThrowIfNull(ns);
        string directory = Path.Combine("/etc/netns", ns.Name);
        Directory.CreateDirectory(directory);
        var files = new NetnsResolverFiles(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "hosts"), hosts);
            File.WriteAllText(Path.Combine(directory, "resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
            return files;
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
