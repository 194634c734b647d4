using System.Globalization;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// Names the program that owns a table, the way nft 1.0.6 does for <c># progname NAME</c> (nft src/owner.c):
/// NFTA_TABLE_OWNER is a netlink port id; the namespace's netlink socket list (<c>/proc/net/netlink</c>) gives that
/// socket's inode; the process holding a descriptor <c>socket:[INODE]</c> — tried first at pid = port id, then every
/// pid in /proc order — gives its command name (<c>/proc/PID/stat</c>, up to the first ')').
/// </summary>
internal static class NftTableOwner
{
    /// <summary>
    /// The owner's program name, or null when it cannot be found (the socket is gone, or its process is not visible
    /// from here); nft then prints "(null)".
    /// </summary>
    /// <param name="namespacePath">The namespace the table lives in; null for the caller's own.</param>
    /// <param name="portId">NFTA_TABLE_OWNER.</param>
    public static string? FindProgramName(string? namespacePath, uint portId)
    {
        if (NetworkNamespaceFiles.TryReadNetFile(namespacePath, "netlink", out string sockets) != 0
            || FindSocketInode(sockets, portId) is not ulong inode)
        {
            return null;
        }

        string socketLink = string.Create(CultureInfo.InvariantCulture, $"socket:[{inode}]");
        if (portId > 1 && portId <= int.MaxValue && HoldsSocket((int)portId, socketLink))
        {
            return CommandName((int)portId);
        }

        foreach (int pid in ProcessIds())
        {
            if (pid > 1 && pid != portId && HoldsSocket(pid, socketLink))
            {
                return CommandName(pid);
            }
        }

        return null;
    }

    /// <summary>
    /// The inode of the NETLINK_NETFILTER socket bound to <paramref name="portId"/> in a <c>/proc/net/netlink</c>
    /// listing (columns: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode).
    /// </summary>
    internal static ulong? FindSocketInode(string netlinkSockets, uint portId)
    {
        foreach (string line in netlinkSockets.Split('\n'))
        {
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 10
                && int.TryParse(columns[1], NumberStyles.None, CultureInfo.InvariantCulture, out int protocol)
                && protocol == NetlinkConstants.NETLINK_NETFILTER
                && uint.TryParse(columns[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint port)
                && port == portId
                && ulong.TryParse(columns[9], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
            {
                return inode;
            }
        }

        return null;
    }

    /// <summary>The command name in a <c>/proc/PID/stat</c> line: after "PID (" up to the first ')', as nft's scanf reads it.</summary>
    internal static string? CommandNameFromStat(string stat)
    {
        int open = stat.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        int close = stat.IndexOf(')', open + 1);
        return close <= open + 1 ? null : stat[(open + 1)..close];
    }

    private static List<int> ProcessIds()
    {
        var pids = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                pids.Add(pid);
            }
        }

        pids.Sort(); // /proc lists pids in ascending order; nft takes the first match in that order
        return pids;
    }

    private static bool HoldsSocket(int pid, string socketLink)
    {
        try
        {
            foreach (string descriptor in Directory.EnumerateFileSystemEntries(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/fd")))
            {
                if (new FileInfo(descriptor).LinkTarget == socketLink)
                {
                    return true;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process ended, or its descriptors are not ours to see: not the owner as far as we can tell.
        }

        return false;
    }

    private static string? CommandName(int pid)
    {
        try
        {
            return CommandNameFromStat(File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat")));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
