using AuroraSoc.NetlinkIsolation.Interop.Namespaces;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// Which namespace a <c>/proc/PID/ns/net</c> target meant when the intent was recorded: the boot and the namespace's
/// inode. A pid names a process, not a namespace — after a reboot, or once the process has exited, the same pid can
/// belong to another process in another namespace (the host's own, even). Re-applying an intent there would isolate
/// the wrong thing, so restore treats a changed identity as "namespace gone". Named namespaces (<c>/run/netns/NAME</c>)
/// carry none: their name is the operator's identity, and a namespace created again under it is meant.
/// </summary>
/// <param name="BootId">The kernel's boot id (<c>/proc/sys/kernel/random/boot_id</c>), new on every boot.</param>
/// <param name="Inode">The namespace's inode, the number in <c>net:[INODE]</c>.</param>
internal sealed record NamespaceIdentity(string BootId, ulong Inode)
{
    private const string BootIdPath = "/proc/sys/kernel/random/boot_id";

    /// <summary>True for targets that name a namespace through a process (<c>/proc/…</c>), whose identity must be checked.</summary>
    public static bool AppliesTo(string target) => target.StartsWith("/proc/", StringComparison.Ordinal) || target.StartsWith(NamespaceTarget.IdentityPrefix, StringComparison.Ordinal);

    /// <summary>The identity of the namespace <paramref name="procPath"/> (a <c>/proc/PID/ns/net</c> link) names now; null when it cannot be read (the process is gone).</summary>
    public static NamespaceIdentity? Of(string procPath)
    {
        ArgumentNullException.ThrowIfNull(procPath);

        // The same stat(2) of the nsfs inode the guard uses to tell namespaces apart (NetworkNamespaceIdentity).
        if (NetworkNamespaceIdentity.TryGetInode(procPath, out ulong inode) != 0)
        {
            return null;
        }

        return CurrentBootId() is { } boot ? new NamespaceIdentity(boot, inode) : null;
    }

    /// <summary>The identity an intent for the namespace with <paramref name="inode"/> records now; null when the boot id cannot be read.</summary>
    public static NamespaceIdentity? OfInode(ulong inode) => CurrentBootId() is { } boot ? new NamespaceIdentity(boot, inode) : null;

    /// <summary>This boot's id; null when it cannot be read.</summary>
    public static string? CurrentBootId()
    {
        try
        {
            return File.ReadAllText(BootIdPath).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
