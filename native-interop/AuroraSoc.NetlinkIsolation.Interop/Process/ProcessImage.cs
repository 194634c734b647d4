using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.Process;

/// <summary>
/// execv(3): replaces the calling process's image with another program — same pid, same open descriptors without
/// close-on-exec, same environment — so that a supervisor (systemd's <c>Type=notify</c>, a container runtime) keeps
/// watching the process it started.
/// </summary>
internal static partial class ProcessImage
{
    /// <summary>
    /// Runs <paramref name="path"/> in place of this process with <paramref name="arguments"/> as its argv (the first
    /// is argv[0]). Returns only on failure, with errno: ENOENT (no such file), EACCES (not executable), ENOEXEC, ...
    /// </summary>
    public static unsafe int Exec(string path, IReadOnlyList<string> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arguments);
        nint[] argv = new nint[arguments.Count + 1];
        try
        {
            for (int i = 0; i < arguments.Count; i++)
            {
                argv[i] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            fixed (nint* vector = argv)
            {
                _ = Execv(path, vector);
                return Marshal.GetLastPInvokeError();
            }
        }
        finally
        {
            // Reached only when execv failed: the new image owns nothing of this one.
            foreach (nint argument in argv)
            {
                Marshal.FreeCoTaskMem(argument);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "execv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Execv(string path, nint* argv);
}
