using System.Globalization;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// What an intent's target names, and where to find that namespace again. <c>host</c> means one thing only: the network
/// namespace of PID 1, as this process sees it. A command run without <c>--netns</c> from another namespace —
/// <c>ip netns exec X</c>, <c>unshare -n</c>, a container that sees the state directory — is not the host: it is
/// recorded as that namespace, by its name (<c>/run/netns/NAME</c>) when one names it, else by its identity
/// (<c>net:[INODE]</c> with the boot id), found again among <c>/proc/*/ns/net</c>. Restore and the guard apply an intent
/// only to the namespace it names, so a command under <c>ip netns exec</c> can never isolate the host.
/// </summary>
internal static class NamespaceTarget
{
    /// <summary>The prefix of an identity target, as nsfs names a network namespace (<c>readlink /proc/self/ns/net</c>).</summary>
    public const string IdentityPrefix = "net:[";

    private const string HostNamespaceFile = "/proc/1/ns/net";

    /// <summary>
    /// PROC_NET_INIT_INO (include/linux/proc_ns.h): the fixed inode of the initial network namespace on kernels that
    /// number it statically. Used only when PID 1's namespace link cannot be read — a process without CAP_SYS_PTRACE
    /// over PID 1 (a confined service; PID 1 holding capabilities it lacks) gets EACCES for <c>/proc/1/ns/net</c>.
    /// </summary>
    private const ulong InitialNamespaceInode = 0xEFFFFFF9;
    private const string OwnNamespaceFile = "/proc/thread-self/ns/net";
    private const string NamedNamespaceDirectory = "/run/netns";

    /// <summary>The target of the calling thread's own network namespace.</summary>
    public static string OfCallingThread() => OfNamespaceFile(OwnNamespaceFile);

    /// <summary>
    /// The target of the namespace <paramref name="namespaceFile"/> refers to (a <c>/proc/PID/ns/net</c> of a caller):
    /// <c>host</c> when it is PID 1's, else the first <c>/run/netns/NAME</c> naming it, else <c>net:[INODE]</c>.
    /// A namespace that cannot be proven to be PID 1's (its file or PID 1's unreadable) is never called the host.
    /// </summary>
    public static string OfNamespaceFile(string namespaceFile)
    {
        int error = NetworkNamespaceIdentity.TryGetInode(namespaceFile, out ulong inode);
        if (error != 0)
        {
            throw new IOException($"cannot identify the network namespace of {namespaceFile}: {Interop.Errno.Name(error)} ({Interop.Errno.Describe(error)})");
        }

        return IsHostNamespace(inode) ? IsolationIntent.HostTarget : NameOf(inode) ?? IdentityOf(inode);
    }

    /// <summary>
    /// True when <paramref name="inode"/> is PID 1's network namespace: compared with <c>/proc/1/ns/net</c>, or where
    /// that cannot be read, with the initial namespace's fixed inode. Anything not proven is not the host.
    /// </summary>
    private static bool IsHostNamespace(ulong inode)
        => NetworkNamespaceIdentity.TryGetInode(HostNamespaceFile, out ulong host) switch
        {
            0 => host == inode,
            Interop.Errno.EACCES or Interop.Errno.EPERM => inode == InitialNamespaceInode,
            _ => false,
        };

    /// <summary>The identity target <c>net:[INODE]</c>.</summary>
    public static string IdentityOf(ulong inode) => IdentityPrefix + inode.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>True for <c>net:[INODE]</c> targets; <paramref name="inode"/> is the number.</summary>
    public static bool IsIdentity(string target, out ulong inode)
    {
        inode = 0;
        return target.StartsWith(IdentityPrefix, StringComparison.Ordinal) && target.EndsWith(']')
            && ulong.TryParse(target.AsSpan(IdentityPrefix.Length, target.Length - IdentityPrefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out inode);
    }

    /// <summary>True when the calling thread is in PID 1's network namespace (proven by both inodes).</summary>
    public static bool CallingThreadIsInHostNamespace()
        => NetworkNamespaceIdentity.TryGetInode(OwnNamespaceFile, out ulong own) == 0 && IsHostNamespace(own);

    /// <summary>
    /// Where to open the namespace <paramref name="intent"/> names, from this process: null path for its own namespace,
    /// a namespace file otherwise, or why it is not there (kept, not applied). Restore and the guard ask this before
    /// applying anything.
    /// </summary>
    public static NamespaceLocation Locate(IsolationIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        return Locate(intent.Target, intent.Namespace);
    }

    /// <summary>Where to open the namespace <paramref name="target"/> names; <paramref name="recorded"/> is the identity its intent recorded, if any.</summary>
    public static NamespaceLocation Locate(string target, NamespaceIdentity? recorded)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target == IsolationIntent.HostTarget)
        {
            return CallingThreadIsInHostNamespace()
                ? new NamespaceLocation(null, null)
                : new NamespaceLocation(null, "the intent is for the host (PID 1's network namespace), and this runs in another network namespace, so it is not applied here: run it in the host's namespace");
        }

        if (IsIdentity(target, out ulong wanted))
        {
            if (recorded is not null && NamespaceIdentity.CurrentBootId() is { } boot && recorded.BootId != boot)
            {
                return new NamespaceLocation(null, $"namespace {target} was recorded in an earlier boot; it no longer exists");
            }

            if (NetworkNamespaceIdentity.TryGetInode(OwnNamespaceFile, out ulong own) == 0 && own == wanted)
            {
                return new NamespaceLocation(null, null);
            }

            return FindProcessIn(wanted) is { } file
                ? new NamespaceLocation(file, null)
                : new NamespaceLocation(null, $"no process is in namespace {target} any more (it is gone)");
        }

        string path = target;
        string? gone = Interop.Sockets.NetlinkSocket.ProbeNamespace(path) switch
        {
            // ENOENT: the file is gone (/run/netns is emptied at boot; a /proc/PID entry ends with its process).
            // EINVAL: no longer a namespace, e.g. the mount point `ip netns` leaves when the mount is gone.
            Interop.Errno.ENOENT => $"namespace {path} does not exist",
            Interop.Errno.EINVAL => $"{path} is no longer a network namespace",
            _ => null,
        };
        if (gone is null && recorded is not null && NamespaceIdentity.AppliesTo(path) && NamespaceIdentity.Of(path) != recorded)
        {
            gone = $"{path} now names another namespace than when the isolation was recorded (the process is gone; the pid was reused or the host rebooted)";
        }

        return new NamespaceLocation(gone is null ? path : null, gone);
    }

    /// <summary>True while the namespace <paramref name="target"/> names still holds a process (identity targets) or its file still names <paramref name="openedInode"/>.</summary>
    public static bool StillExists(string target, ulong openedInode)
    {
        if (target == IsolationIntent.HostTarget)
        {
            return true;
        }

        if (IsIdentity(target, out ulong wanted))
        {
            return FindProcessIn(wanted) is not null;
        }

        return NetworkNamespaceIdentity.TryGetInode(target, out ulong inode) == 0 && inode == openedInode;
    }

    /// <summary><c>/proc/PID/ns/net</c> of some process in the namespace with <paramref name="inode"/>, or null.</summary>
    private static string? FindProcessIn(ulong inode)
    {
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            string name = Path.GetFileName(directory);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            string file = directory + "/ns/net";
            if (NetworkNamespaceIdentity.TryGetInode(file, out ulong found) == 0 && found == inode)
            {
                return file;
            }
        }

        return null;
    }

    private static string? NameOf(ulong inode)
    {
        if (!Directory.Exists(NamedNamespaceDirectory))
        {
            return null;
        }

        string[] names = Directory.GetFiles(NamedNamespaceDirectory);
        Array.Sort(names, StringComparer.Ordinal);
        foreach (string file in names)
        {
            if (NetworkNamespaceIdentity.TryGetInode(file, out ulong found) == 0 && found == inode)
            {
                return file;
            }
        }

        return null;
    }
}

/// <summary>Where a target's namespace is: <see cref="Path"/> to open (null: this process's own), or why it is not there.</summary>
internal readonly record struct NamespaceLocation(string? Path, string? Gone);
