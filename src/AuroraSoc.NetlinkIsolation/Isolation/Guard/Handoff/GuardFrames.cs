using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>Reads and writes the protocol's frames: a 4-byte big-endian length, then that many bytes of JSON.</summary>
internal static class GuardFrames
{
    /// <summary>Far above any request (an intent is a few KiB): a length beyond it is a broken or foreign peer.</summary>
    public const int MaxFrameBytes = 4 * 1024 * 1024;

    public static void Write(Socket socket, Action<Utf8JsonWriter> writeMessage)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            writeMessage(json);
        }

        byte[] frame = new byte[4 + buffer.WrittenCount];
        BinaryPrimitives.WriteInt32BigEndian(frame, buffer.WrittenCount);
        buffer.WrittenSpan.CopyTo(frame.AsSpan(4));
        int sent = 0;
        while (sent < frame.Length)
        {
            sent += socket.Send(frame, sent, frame.Length - sent, SocketFlags.None);
        }
    }

    /// <summary>Reads one frame; throws <see cref="IOException"/> when the peer closes early or sends a bad length.</summary>
    /// <remarks>Malformed JSON throws <see cref="JsonException"/>; a well-formed message missing what it needs, <see cref="FormatException"/>.</remarks>
    public static T Read<T>(Socket socket, Func<ReadOnlySpan<byte>, T> readMessage)
    {
        byte[] header = new byte[4];
        ReadExactly(socket, header);
        int length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0 || length > MaxFrameBytes)
        {
            throw new IOException($"frame length {length} is outside 1..{MaxFrameBytes}");
        }

        byte[] json = new byte[length];
        ReadExactly(socket, json);
        return readMessage(json);
    }

    private static void ReadExactly(Socket socket, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int received = socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None);
            if (received == 0)
            {
                throw new IOException($"the peer closed the connection after {read} of {buffer.Length} bytes");
            }

            read += received;
        }
    }
}
