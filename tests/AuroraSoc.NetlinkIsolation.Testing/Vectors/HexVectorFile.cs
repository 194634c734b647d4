using System.Buffers.Binary;
using System.Globalization;

namespace AuroraSoc.NetlinkIsolation.Testing.Vectors;

/// <summary>
/// The one reader of the captured hex files in <c>tests/TestVectors</c> (README there): one whole netlink message
/// (nlmsghdr included) per line as hex; blank lines and lines starting with <c>#</c> are ignored. Used by the golden
/// tests, the decoder fuzz tests, the fuzzing harness's seeds and the benchmarks.
/// </summary>
public static class HexVectorFile
{
    // sizeof(struct nlmsghdr) and NLMSG_ALIGNTO (<linux/netlink.h>).
    private const int HeaderBytes = 16;
    private const int AlignTo = 4;

    /// <summary>The messages of the file at <paramref name="path"/>, in order, each checked: its nlmsg_len equals its length.</summary>
    /// <exception cref="InvalidDataException">A line is not hex, shorter than an nlmsghdr, or its nlmsg_len does not match.</exception>
    public static IReadOnlyList<byte[]> ReadMessages(string path)
    {
        var messages = new List<byte[]>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            byte[] message;
            try
            {
                message = Convert.FromHexString(line);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException(Where(path, lineNumber, "not a hex string"), e);
            }

            if (message.Length < HeaderBytes)
            {
                throw new InvalidDataException(Where(path, lineNumber, $"{message.Length} bytes is shorter than an nlmsghdr"));
            }

            var nlmsgLen = BinaryPrimitives.ReadUInt32LittleEndian(message);
            if (nlmsgLen != message.Length)
            {
                throw new InvalidDataException(Where(path, lineNumber, $"nlmsg_len {nlmsgLen} but the line holds {message.Length} bytes"));
            }

            messages.Add(message);
        }

        return messages;
    }

    /// <summary><paramref name="messages"/> as one datagram, each padded to NLMSG_ALIGNTO as the kernel sends them.</summary>
    public static byte[] Datagram(IReadOnlyList<byte[]> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var datagram = new List<byte>();
        foreach (byte[] message in messages)
        {
            datagram.AddRange(message);
            datagram.AddRange(new byte[((message.Length + AlignTo - 1) & ~(AlignTo - 1)) - message.Length]);
        }

        return [.. datagram];
    }

    /// <summary>The file at <paramref name="path"/> as one datagram (<see cref="ReadMessages"/>, then <see cref="Datagram"/>).</summary>
    public static byte[] ReadDatagram(string path) => Datagram(ReadMessages(path));

    private static string Where(string path, int line, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}:{line}: {what}");
}
