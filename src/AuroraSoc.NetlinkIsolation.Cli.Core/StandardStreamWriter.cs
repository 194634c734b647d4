using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// stdout and stderr as plain file descriptors. <see cref="Console.Out"/> on Linux initialises the terminal and signal
/// handling on its first write — a pipe and a ".NET SigHandler" thread (clone3), which `perf record` of 300 `status`
/// runs put at about a tenth of the process's time (docs/benchmarks.md, "Cold start") — for output that needs none of
/// it: the CLI writes whole lines and never reads keys or colours. UTF-8 without a byte order mark, flushed on every
/// write, and a reader that went away (EPIPE: `… | head -1`) loses the rest silently — all as Console does.
/// </summary>
internal static class StandardStreamWriter
{
    /// <summary>A writer on <paramref name="descriptor"/> (1 or 2); what cannot be written is dropped, never thrown.</summary>
    public static TextWriter Open(int descriptor)
    {
        var handle = new SafeFileHandle(descriptor, ownsHandle: false);
        try
        {
            // bufferSize 0: no FileStream buffer under the writer's own; every flush is one write(2), at the
            // descriptor's own position (a file opened with >> keeps appending).
            var stream = new BrokenPipeTolerantStream(new FileStream(handle, FileAccess.Write, bufferSize: 0));
            return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // A descriptor FileStream refuses: like Console, the output goes nowhere instead of failing.
            handle.Dispose();
            return TextWriter.Null;
        }
    }

    // errno 32 (asm-generic/errno-base.h); .NET reports a failed write(2) as an IOException whose HResult is the errno.
    private const int BrokenPipe = 32;

    /// <summary>Drops what is written once the reader has gone (EPIPE) or the descriptor is closed (EBADF); every other error still throws.</summary>
    private sealed class BrokenPipeTolerantStream(FileStream inner) : Stream
    {
        private bool _readerGone;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_readerGone)
            {
                return;
            }

            try
            {
                inner.Write(buffer);
            }
            catch (IOException exception) when (exception.HResult == BrokenPipe)
            {
                _readerGone = true;
            }
            catch (UnauthorizedAccessException)
            {
                // EBADF: the descriptor was closed (`>&-`); .NET reports it so. Nothing can be written, as with Console.
                _readerGone = true;
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
