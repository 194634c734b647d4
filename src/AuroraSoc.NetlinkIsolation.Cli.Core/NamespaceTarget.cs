using System.Globalization;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>Turns <c>--netns PATH</c> / <c>--netns-pid PID</c> into the namespace path the isolator opens.</summary>
internal static class NamespaceTarget
{
    /// <summary>
    /// Returns the namespace-file path, or null for the namespace this process runs in (neither option given).
    /// An empty <c>--netns</c> is refused rather than read as "no namespace": that would silently act on this
    /// process's own namespace instead of the one the operator meant.
    /// </summary>
    public static string? Resolve(string? netns, string? netnsPid)
    {
        if (netns is not null && netnsPid is not null)
        {
            throw new InvalidArgumentException("--netns-pid", netnsPid, $"--netns '{netns}' is given as well; use either --netns PATH or --netns-pid PID");
        }

        if (netns is not null)
        {
            if (string.IsNullOrWhiteSpace(netns) || netns.Contains('\0', StringComparison.Ordinal))
            {
                throw new InvalidArgumentException("--netns", netns, "must be the path of a network-namespace file (/run/netns/NAME or /proc/PID/ns/net)");
            }

            return netns;
        }

        if (netnsPid is not null)
        {
            if (netnsPid.Length > 10 || !int.TryParse(netnsPid, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            {
                throw new InvalidArgumentException("--netns-pid", netnsPid, "must be a process id (a positive decimal integer)");
            }

            return string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/ns/net");
        }

        return null;
    }
}
