using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>Reads and writes the protocol's frames: a 4-byte big-endian length, then that many bytes of JSON.</summary>
internal static class GuardFrames
{
    /// <summary>Far above any request (an intent is a few KiB): a length beyond it is a broken or foreign peer.</summary>
    public const int MaxFrameBytes = 4 * 1024 * 1024;

    public static void Write<T>(Socket socket, T value, JsonTypeInfo<T> type)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, type);
        byte[] frame = new byte[4 + json.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, json.Length);
        json.CopyTo(frame, 4);
        int sent = 0;
        while (sent < frame.Length)
        {
            sent += socket.Send(frame, sent, frame.Length - sent, SocketFlags.None);
        }
    }

    /// <summary>Reads one frame; throws <see cref="IOException"/> when the peer closes early or sends a bad length.</summary>
    public static T Read<T>(Socket socket, JsonTypeInfo<T> type)
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
        return JsonSerializer.Deserialize(json, type) ?? throw new IOException("empty frame");
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
