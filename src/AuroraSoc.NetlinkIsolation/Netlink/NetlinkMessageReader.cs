using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Structs;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>One netlink message: its header and the payload after it (nlmsg_len bounds both).</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(NetlinkMessageHeader header, ReadOnlySpan<byte> payload, int offset)
    {
        Header = header;
        Payload = payload;
        Offset = offset;
    }

    public NetlinkMessageHeader Header { get; }

    /// <summary>The bytes after the 16-byte header, up to nlmsg_len.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Offset of the header in the datagram.</summary>
    public int Offset { get; }

    public ushort Type => Header.Type;

    public NetlinkMessageFlags Flags => (NetlinkMessageFlags)Header.Flags;
}

/// <summary>
/// Iterates the netlink messages in one received datagram (the Utf8JsonReader pattern: <c>Read()</c> then
/// <c>Current</c>). Malformed framing throws <see cref="NetlinkProtocolException"/>; it never reads out of range.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private int _offset;
    private NetlinkMessageHeader _header;
    private ReadOnlySpan<byte> _payload;
    private int _currentOffset;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram)
    {
        _datagram = datagram;
        _offset = 0;
    }

    public readonly int BytesConsumed => _offset;

    public readonly NetlinkMessage Current => new(_header, _payload, _currentOffset);

    /// <summary>Moves to the next message; false at the end of the datagram.</summary>
    public bool Read()
    {
        int remaining = _datagram.Length - _offset;
        if (remaining == 0)
        {
            return false;
        }

        if (remaining < NetlinkMessageHeader.Size)
        {
            throw new NetlinkProtocolException($"{remaining} trailing bytes at offset {_offset} are too few for an nlmsghdr.");
        }

        NetlinkMessageHeader header = MemoryMarshal.Read<NetlinkMessageHeader>(_datagram.Slice(_offset, NetlinkMessageHeader.Size));
        if (header.Length < NetlinkMessageHeader.Size || header.Length > (uint)remaining)
        {
            throw new NetlinkProtocolException($"nlmsg_len {header.Length} at offset {_offset} is outside 16..{remaining}.");
        }

        int length = (int)header.Length;
        _header = header;
        _payload = _datagram.Slice(_offset + NetlinkMessageHeader.Size, length - NetlinkMessageHeader.Size);
        _currentOffset = _offset;

        // The kernel pads each message to NLMSG_ALIGNTO; a last message may end without its padding.
        _offset = Math.Min(_datagram.Length, _offset + NetlinkWriter.Align(length));
        return true;
    }
}
