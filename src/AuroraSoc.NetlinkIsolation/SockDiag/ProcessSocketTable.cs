namespace AuroraSoc.NetlinkIsolation.SockDiag;

/// <summary>
/// Which process holds a socket inode: a scan of /proc/*/fd for links reading <c>socket:[INODE]</c> (proc(5)), remembered
/// until a lookup misses, since a blocked sender usually tries again with the same socket. Process ids are global, so one
/// scan serves every namespace. Best effort: a process that exits or a descriptor that closes between the packet and the
/// scan is simply not found.
/// </summary>
internal sealed class ProcessSocketTable
{
    private readonly Dictionary<ulong, SocketOwner> _owners = [];

    /// <summary>The process holding socket <paramref name="inode"/>, or null.</summary>
    public SocketOwner? Find(ulong inode)
    {
        if (_owners.TryGetValue(inode, out SocketOwner? owner))
        {
            return owner;
        }

        Rescan();
        return _owners.GetValueOrDefault(inode);
    }

    private void Rescan()
    {
        _owners.Clear();
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories("/proc");
        }
        catch (IOException)
        {
            return;
        }

        foreach (string process in processes)
        {
            if (!int.TryParse(Path.GetFileName(process), out int pid))
            {
                continue;
            }

            try
            {
                string? exe = null;
                foreach (string descriptor in Directory.EnumerateFileSystemEntries(process + "/fd"))
                {
                    string? target = new FileInfo(descriptor).LinkTarget;
                    if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal)
                        || !ulong.TryParse(target.AsSpan(8, target.Length - 9), out ulong inode) || _owners.ContainsKey(inode))
                    {
                        continue;
                    }

                    exe ??= new FileInfo(process + "/exe").LinkTarget ?? string.Empty;
                    _owners[inode] = new SocketOwner(pid, exe.Length == 0 ? null : exe);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // the process exited during the scan, or its descriptors are not ours to read
            }
        }
    }
}
