using AuroraSoc.NetlinkIsolation.Interop.FileSystem;
using AuroraSoc.NetlinkIsolation.SockDiag;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Which open sockets are the agent's, for cutting collector sessions (docs/ruleset.md, "Agent identity"): sock_diag
/// reports each socket's uid and the cgroup it was created in (INET_DIAG_CGROUP_ID). A socket in an agent cgroup or
/// any cgroup below it is the agent's, as the rule matches it; one whose uid is an agent user's is too. sock_diag
/// reports no gid, so a group identity proves nothing here: such a socket is cut, and the agent reconnects through its
/// rule.
/// </summary>
internal sealed class AgentSockets
{
    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
    };

    private readonly HashSet<ulong> _cgroupIds = [];
    private readonly HashSet<uint> _uids = [];

    private AgentSockets()
    {
    }

    /// <summary>The agent's sockets as <paramref name="policy"/> names them; null without identities.</summary>
    public static AgentSockets? Of(IsolationPolicy policy)
    {
        if (policy.AgentIdentities.Count == 0)
        {
            return null;
        }

        var agents = new AgentSockets();
        CgroupV2Hierarchy? hierarchy = CgroupV2Hierarchy.FromMountInfo(AgentIdentityHost.System.MountInfo());
        foreach (AgentIdentity identity in policy.AgentIdentities)
        {
            switch (identity.KindCode)
            {
                case AgentIdentityKind.User:
                    agents._uids.Add((uint)identity.Id);
                    break;
                case AgentIdentityKind.Cgroup when identity.Id != 0:
                    agents._cgroupIds.Add(identity.Id);
                    if (hierarchy is not null && identity.CgroupPath is { } path)
                    {
                        agents.AddDescendants(hierarchy.DirectoryOf(path));
                    }

                    break;
            }
        }

        return agents;
    }

    /// <summary>True when the socket is proven the agent's, by its cgroup or its uid.</summary>
    public bool Owns(InetDiagSocket socket)
        => _uids.Contains(socket.Uid) || (socket.CgroupId is { } id && _cgroupIds.Contains(id));

    private void AddDescendants(string directory)
    {
        try
        {
            foreach (string below in Directory.EnumerateDirectories(directory, "*", Walk))
            {
                if (DirectoryInode.TryGet(below, out ulong id) == 0)
                {
                    _cgroupIds.Add(id);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A cgroup removed under the walk: its sockets are not proven the agent's and are cut; the agent reconnects.
        }
    }
}
