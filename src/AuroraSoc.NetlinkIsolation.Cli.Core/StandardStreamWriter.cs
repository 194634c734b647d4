using System.Text;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Process;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// stdout and stderr as plain file descriptors. <see cref="Console.Out"/> on Linux initialises the terminal and signal
/// handling on its first write — a pipe and a ".NET SigHandler" thread (clone3), which `perf record` of 300 `status`
/// runs put at about a tenth of the process's time (docs/benchmarks.md, "Cold start") — for output that needs none of
/// it: the CLI writes whole lines and never reads keys or colours. UTF-8 without a byte order mark, one write(2) per
/// flush and flushed on every write, and a reader that went away (EPIPE: `… | head -1`) or a closed descriptor loses
/// the rest silently — all as Console does.
/// </summary>
internal static class StandardStreamWriter
{
    /// <summary>A writer on <paramref name="descriptor"/> (<see cref="StandardDescriptor.Output"/> or <see cref="StandardDescriptor.Error"/>).</summary>
    public static TextWriter Open(int descriptor)
        => new StreamWriter(new DescriptorStream(descriptor), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };

    /// <summary>Writes through <see cref="StandardDescriptor.Write"/>; drops what is written once the reader is gone.</summary>
    private sealed class DescriptorStream(int descriptor) : Stream
    {
        private bool _gone;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_gone)
            {
                return;
            }

            int error = StandardDescriptor.Write(descriptor, buffer);
            if (error is Errno.EPIPE or Errno.EBADF)
            {
                _gone = true;
            }
            else if (error != 0)
            {
                throw new IOException($"cannot write to file descriptor {descriptor}: {Errno.Name(error)} ({Errno.Describe(error)})", error);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
