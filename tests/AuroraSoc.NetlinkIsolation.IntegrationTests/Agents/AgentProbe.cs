using System.Net;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Agents;

/// <summary>
/// A short-lived program in a throwaway namespace that opens one TCP connection, as the agent (placed in a cgroup
/// before it creates its socket, or running under another uid/gid with setpriv) or as any other root process. It is
/// entered with nsenter --net, not ip netns exec, which would remount /sys and hide the cgroup hierarchy.
/// </summary>
internal static class AgentProbe
{
    /// <summary>How a connect ended: connected, reset (refused), or neither within the timeout.</summary>
    public enum Outcome
    {
        Connected,
        Reset,
        Other,
    }

    /// <param name="namespacePath">The network namespace to connect from.</param>
    /// <param name="address">Where to connect.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="cgroupDirectory">An absolute cgroup directory the program joins first; null to stay where it is.</param>
    /// <param name="setpriv">setpriv options (e.g. <c>--reuid=65534</c>) to run under; empty for root.</param>
    public static Outcome Connect(string namespacePath, IPAddress address, int port, string? cgroupDirectory = null, params string[] setpriv)
    {
        // bash's /dev/tcp connects with connect(2); "Connection refused" is ECONNREFUSED, what a TCP reset gives.
        string join = cgroupDirectory is null ? string.Empty : $"echo $$ > '{cgroupDirectory}/cgroup.procs' && ";
        string script = join + (setpriv.Length == 0 ? string.Empty : "exec setpriv " + string.Join(' ', setpriv) + " ")
            + $"bash -c 'exec 3<>/dev/tcp/{address}/{port}'";
        ProcessResult result = ProcessRunner.Run("nsenter", ["--net=" + namespacePath, "timeout", "5", "bash", "-c", script]);
        return result.ExitCode == 0 ? Outcome.Connected
            : result.StandardError.Contains("Connection refused", StringComparison.Ordinal) ? Outcome.Reset
            : Outcome.Other;
    }
}
