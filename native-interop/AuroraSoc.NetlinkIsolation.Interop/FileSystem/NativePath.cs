using System.Text;

namespace AuroraSoc.NetlinkIsolation.Interop.FileSystem;

/// <summary>A path as the C library takes it: UTF-8, NUL-terminated.</summary>
internal static class NativePath
{
    /// <summary>The path's bytes with a terminating NUL; null when the path itself contains a NUL (no C string can hold it).</summary>
    internal static byte[]? ToNullTerminated(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }
}
