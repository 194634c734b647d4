using System.Globalization;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;

namespace AuroraSoc.NetlinkIsolation.SockDiag;

/// <summary>
/// Who holds an NFLOG group in a namespace. The kernel answers a second bind with EPERM, the same errno as a missing
/// CAP_NET_ADMIN (net/netfilter/nfnetlink_log.c, nfulnl_recv_config), so watch tells the two apart here:
/// /proc/net/netfilter/nfnetlink_log lists each bound group with its netlink port id, /proc/net/netlink maps the port id
/// to the socket's inode, and <see cref="ProcessSocketTable"/> the inode to a process. Both files are per namespace, so
/// they are read from a thread inside it.
/// </summary>
internal static class NflogGroupHolder
{
    /// <summary>"port id P (process N, /usr/bin/x)" or "port id P" for the holder of <paramref name="group"/>; null when nobody holds it.</summary>
    public static string? Describe(string? namespacePath, ushort group)
    {
        (string Log, string Netlink)? files = ReadFiles(namespacePath);
        if (files is not { } read || FindPortId(read.Log, group) is not { } portId)
        {
            return null;
        }

        string text = "port id " + portId.ToString(CultureInfo.InvariantCulture);
        if (FindNetlinkInode(read.Netlink, portId) is { } inode && new ProcessSocketTable().Find(inode) is { } owner)
        {
            text += $" (process {owner.Pid.ToString(CultureInfo.InvariantCulture)}{(owner.Executable is null ? string.Empty : ", " + owner.Executable)})";
        }

        return text;
    }

    private static (string Log, string Netlink)? ReadFiles(string? namespacePath)
    {
        static (string, string)? Read()
        {
            try
            {
                return (File.ReadAllText("/proc/thread-self/net/netfilter/nfnetlink_log"), File.ReadAllText("/proc/thread-self/net/netlink"));
            }
            catch (IOException)
            {
                return null;
            }
        }

        if (namespacePath is null)
        {
            return Read();
        }

        return NetworkNamespaceThread.TryRun(namespacePath, Read, out (string, string)? files) == 0 ? files : null;
    }

    // nfnetlink_log's seq_show: "%5u %6u %5u %1u %5u %6u %2u" — group, peer port id, queue length, copy mode, copy range,
    // flush timeout, use count.
    internal static uint? FindPortId(string table, ushort group)
    {
        foreach (string line in table.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && uint.TryParse(fields[0], CultureInfo.InvariantCulture, out uint listed) && listed == group
                && uint.TryParse(fields[1], CultureInfo.InvariantCulture, out uint portId))
            {
                return portId;
            }
        }

        return null;
    }

    // /proc/net/netlink: "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode"; NETLINK_NETFILTER is protocol 12.
    private static ulong? FindNetlinkInode(string table, uint portId)
    {
        foreach (string line in table.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 10 && fields[1] == "12" && uint.TryParse(fields[2], CultureInfo.InvariantCulture, out uint listed) && listed == portId
                && ulong.TryParse(fields[9], CultureInfo.InvariantCulture, out ulong inode))
            {
                return inode;
            }
        }

        return null;
    }
}
