using AuroraSoc.NetlinkIsolation.Interop;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// A file-system failure in the operator's words: the errno and what it means, never the runtime's exception text
/// (".NET says 'Access to the path is denied'" tells an operator nothing about the fix).
/// </summary>
internal static class FileSystemError
{
    /// <summary>"Permission denied (EACCES)", "No such file or directory (ENOENT)", …</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        int errno = exception switch
        {
            UnauthorizedAccessException => Errno.EACCES,
            DirectoryNotFoundException or FileNotFoundException => Errno.ENOENT,
            PathTooLongException => Errno.ENAMETOOLONG,

            // On Linux the runtime's IOException carries the raw errno as its HResult.
            IOException io when io.HResult is > 0 and < 4096 => io.HResult,
            _ => 0,
        };
        return errno != 0 ? $"{Errno.Describe(errno)} ({Errno.Name(errno)})" : "input/output error";
    }
}
