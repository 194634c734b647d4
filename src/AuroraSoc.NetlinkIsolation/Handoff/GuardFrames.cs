using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;

namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>Reads and writes the protocol's frames: a 4-byte big-endian length, then that many bytes of JSON.</summary>
internal static class GuardFrames
{
    /// <summary>
    /// Far above any request: an intent is a few KiB, or with an allowlist one string per merged range — 100,000 IPv6
    /// ranges with ports, each at most about 95 bytes of JSON, stay under 10 MiB. A length beyond it is a broken or foreign peer.
    /// </summary>
    public const int MaxFrameBytes = 32 * 1024 * 1024;

    /// <summary>Writes one frame; throws <see cref="IOException"/> when the peer is gone or the send outlasts <paramref name="timeoutMilliseconds"/>.</summary>
    public static void Write(UnixStreamSocket socket, int timeoutMilliseconds, Action<Utf8JsonWriter> writeMessage)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            writeMessage(json);
        }

        byte[] frame = new byte[4 + buffer.WrittenCount];
        BinaryPrimitives.WriteInt32BigEndian(frame, buffer.WrittenCount);
        buffer.WrittenSpan.CopyTo(frame.AsSpan(4));
        int error = socket.SendAll(frame, timeoutMilliseconds);
        if (error != 0)
        {
            throw new IOException(error == Errno.ETIMEDOUT
                ? $"the peer took no data for {timeoutMilliseconds} ms"
                : $"sending failed: {Errno.Name(error)} ({Errno.Describe(error)})");
        }
    }

    /// <summary>Reads one frame; throws <see cref="IOException"/> when the peer closes early or sends a bad length.</summary>
    /// <remarks>Malformed JSON throws <see cref="JsonException"/>; a well-formed message missing what it needs, <see cref="FormatException"/>.</remarks>
    public static T Read<T>(UnixStreamSocket socket, int timeoutMilliseconds, Func<ReadOnlySpan<byte>, T> readMessage)
    {
        byte[] header = new byte[4];
        ReadExactly(socket, header, timeoutMilliseconds);
        int length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0 || length > MaxFrameBytes)
        {
            throw new IOException($"frame length {length} is outside 1..{MaxFrameBytes}");
        }

        byte[] json = new byte[length];
        ReadExactly(socket, json, timeoutMilliseconds);
        return readMessage(json);
    }

    private static void ReadExactly(UnixStreamSocket socket, byte[] buffer, int timeoutMilliseconds)
    {
        int error = socket.ReceiveExactly(buffer, timeoutMilliseconds, out int received);
        if (error != 0)
        {
            throw new IOException(error == Errno.ETIMEDOUT
                ? $"no answer within {timeoutMilliseconds} ms ({received} of {buffer.Length} bytes)"
                : $"receiving failed after {received} of {buffer.Length} bytes: {Errno.Name(error)} ({Errno.Describe(error)})");
        }

        if (received < buffer.Length)
        {
            throw new IOException($"the peer closed the connection after {received} of {buffer.Length} bytes");
        }
    }
}
