using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Process;

/// <summary>
/// User and group names to numbers through the C library's getpwnam_r(3) and getgrnam_r(3): the system's user
/// database as every program on the host sees it, i.e. whatever nsswitch.conf names. Not a parse of /etc/passwd:
/// agents commonly run as users that file does not list — systemd's DynamicUser= (nss-systemd), directory users
/// (sssd, LDAP) — and nft itself resolves names this way.
/// </summary>
internal static partial class UserDatabase
{
    /// <summary>Start size of the strings buffer; sysconf(_SC_GETPW_R_SIZE_MAX) is a hint glibc itself calls unreliable.</summary>
    private const int InitialBuffer = 1024;

    /// <summary>Past this the entry is not a user record but a fault (a group with a huge member list still fits).</summary>
    private const int MaxBuffer = 1 << 22;

    /// <summary>Returns 0 and the uid, ENOENT when no user has that name, or the lookup's errno.</summary>
    public static unsafe int TryGetUserId(string name, out uint uid) => Lookup(name, &UserEntry, out uid);

    /// <summary>Returns 0 and the gid, ENOENT when no group has that name, or the lookup's errno.</summary>
    public static unsafe int TryGetGroupId(string name, out uint gid) => Lookup(name, &GroupEntry, out gid);

    /// <summary>Calls <paramref name="entry"/> with a buffer for the entry's strings, doubled while it answers ERANGE.</summary>
    private static unsafe int Lookup(string name, delegate*<byte*, byte*, nuint, uint*, int> entry, out uint id)
    {
        id = 0;
        byte[]? native = FileSystem.NativePath.ToNullTerminated(name);
        if (native is null)
        {
            return LibC.EINVAL;
        }

        for (int size = InitialBuffer; size <= MaxBuffer; size *= 2)
        {
            byte[] buffer = new byte[size];
            uint found;
            int error;
            fixed (byte* n = native)
            fixed (byte* b = buffer)
            {
                error = entry(n, b, (nuint)size, &found);
            }

            if (error != LibC.ERANGE)
            {
                id = error == 0 ? found : 0;
                return error;
            }
        }

        return LibC.ERANGE;
    }

    private static unsafe int UserEntry(byte* name, byte* buffer, nuint size, uint* id)
    {
        Passwd entry;
        Passwd* result = null;
        int error = GetPasswordEntryByName(name, &entry, buffer, size, &result);
        if (error == 0 && result == null)
        {
            return LibC.ENOENT; // getpwnam_r(3): no entry is reported as success with a null result
        }

        if (error == 0)
        {
            *id = entry.Uid;
        }

        return error;
    }

    private static unsafe int GroupEntry(byte* name, byte* buffer, nuint size, uint* id)
    {
        Group entry;
        Group* result = null;
        int error = GetGroupEntryByName(name, &entry, buffer, size, &result);
        if (error == 0 && result == null)
        {
            return LibC.ENOENT;
        }

        if (error == 0)
        {
            *id = entry.Gid;
        }

        return error;
    }

    [LibraryImport("libc", EntryPoint = "getpwnam_r")]
    private static unsafe partial int GetPasswordEntryByName(byte* name, Passwd* entry, byte* buffer, nuint size, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getgrnam_r")]
    private static unsafe partial int GetGroupEntryByName(byte* name, Group* entry, byte* buffer, nuint size, Group** result);

    /// <summary>struct passwd (pwd.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Directory;
        public nint Shell;
    }

    /// <summary>struct group (grp.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Group
    {
        public nint Name;
        public nint Password;
        public uint Gid;
        public nint Members;
    }
}
