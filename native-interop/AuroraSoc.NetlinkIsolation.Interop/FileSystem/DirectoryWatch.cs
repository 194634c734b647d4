using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.FileSystem;

/// <summary>
/// An inotify instance (inotify(7)) watching directories for entries created, removed or moved — how the guard learns
/// at once that an agent's cgroup was created again (cgroupfs reports mkdir and rmdir of child cgroups as IN_CREATE and
/// IN_DELETE on the parent directory). Only whether something happened is reported; the caller re-reads what it needs.
/// </summary>
internal sealed partial class DirectoryWatch : SafeHandle
{
    // linux/inotify.h
    private const uint IN_MOVED_FROM = 0x00000040;
    private const uint IN_MOVED_TO = 0x00000080;
    private const uint IN_CREATE = 0x00000100;
    private const uint IN_DELETE = 0x00000200;
    private const uint IN_DELETE_SELF = 0x00000400;
    private const uint IN_MOVE_SELF = 0x00000800;
    private const uint IN_ONLYDIR = 0x01000000;
    private const int IN_NONBLOCK = 0x800; // O_NONBLOCK
    private const int IN_CLOEXEC = 0x80000; // O_CLOEXEC

    private DirectoryWatch(int fileDescriptor)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fileDescriptor);

    /// <inheritdoc/>
    public override bool IsInvalid => handle == -1;

    /// <summary>inotify_init1(IN_NONBLOCK | IN_CLOEXEC); returns 0 or errno.</summary>
    public static int TryCreate(out DirectoryWatch? watch)
    {
        int fd = InotifyInit(IN_NONBLOCK | IN_CLOEXEC);
        if (fd == -1)
        {
            watch = null;
            return Marshal.GetLastPInvokeError();
        }

        watch = new DirectoryWatch(fd);
        return 0;
    }

    /// <summary>Watches <paramref name="directory"/> for entries created, deleted or moved, and for its own removal; returns the watch descriptor or -errno.</summary>
    public int Add(string directory)
    {
        byte[]? native = NativePath.ToNullTerminated(directory);
        if (native is null)
        {
            return -Errno.EINVAL;
        }

        bool referenced = false;
        DangerousAddRef(ref referenced);
        try
        {
            int wd = InotifyAddWatch((int)handle, native, IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
            return wd == -1 ? -Marshal.GetLastPInvokeError() : wd;
        }
        finally
        {
            DangerousRelease();
        }
    }

    /// <summary>Stops watching <paramref name="watchDescriptor"/> (EINVAL when the kernel already dropped it: ignored).</summary>
    public void Remove(int watchDescriptor)
    {
        bool referenced = false;
        DangerousAddRef(ref referenced);
        try
        {
            _ = InotifyRemoveWatch((int)handle, watchDescriptor);
        }
        finally
        {
            DangerousRelease();
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for events and drains them. Returns the number of events
    /// read (0: none within the time), or -errno. IN_Q_OVERFLOW counts as an event: something happened.
    /// </summary>
    public unsafe int Wait(int timeoutMilliseconds)
    {
        bool referenced = false;
        DangerousAddRef(ref referenced);
        try
        {
            int fd = (int)handle;
            pollfd readable = default;
            readable.fd = fd;
            readable.events = LibC.POLLIN;
            int ready = Interop.Poll(&readable, 1, timeoutMilliseconds);
            if (ready == -1)
            {
                int error = Marshal.GetLastPInvokeError();
                return error == Errno.EINTR ? 0 : -error;
            }

            if (ready == 0)
            {
                return 0;
            }

            // struct inotify_event { int wd; u32 mask, cookie, len; char name[]; }: 16 bytes and the name.
            byte* buffer = stackalloc byte[4096];
            int events = 0;
            while (true)
            {
                long read = (long)LibC.read(fd, buffer, 4096);
                if (read <= 0)
                {
                    int error = read == -1 ? Marshal.GetLastPInvokeError() : 0;
                    return error is 0 or Errno.EAGAIN ? events : -error;
                }

                for (int offset = 0; offset + 16 <= read; offset += 16 + (int)*(uint*)(buffer + offset + 12))
                {
                    events++;
                }
            }
        }
        finally
        {
            DangerousRelease();
        }
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int InotifyInit(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true)]
    private static partial int InotifyAddWatch(int fd, byte[] path, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    private static partial int InotifyRemoveWatch(int fd, int watchDescriptor);
}
