namespace AuroraSoc.NetlinkIsolation.Interop.Namespaces;

/// <summary>
/// Reads the per-namespace files under <c>/proc/thread-self/net/</c> (proc(5)) of a given network namespace, e.g.
/// <c>netlink</c>, which lists every netlink socket of that namespace with its port id and inode.
/// </summary>
internal static class NetworkNamespaceFiles
{
    /// <summary>
    /// Reads <c>/proc/thread-self/net/<paramref name="name"/></c> as seen from the namespace at
    /// <paramref name="namespacePath"/> (null: the calling thread's own). Returns 0 or errno.
    /// </summary>
    public static int TryReadNetFile(string? namespacePath, string name, out string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("a file name under /proc/thread-self/net, without a slash", nameof(name));
        }

        string path = "/proc/thread-self/net/" + name;
        if (namespacePath is null)
        {
            return TryRead(path, out text);
        }

        // The read happens on NetworkNamespaceThread's dedicated thread, inside the namespace: /proc/thread-self/net
        // shows the reading thread's namespace.
        string read = string.Empty;
        int error = NetworkNamespaceThread.TryRun(namespacePath, () => TryRead(path, out read), out int readError);
        text = read;
        return error != 0 ? error : readError;
    }

    private static int TryRead(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
            return 0;
        }
        catch (FileNotFoundException)
        {
            text = string.Empty;
            return Errno.ENOENT;
        }
        catch (UnauthorizedAccessException)
        {
            text = string.Empty;
            return Errno.EACCES;
        }
    }
}
