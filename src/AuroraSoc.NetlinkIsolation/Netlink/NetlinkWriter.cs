using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Structs;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>
/// Writes netlink messages and attributes into a <see cref="NetlinkBuffer"/>. Headers (nlmsghdr, nlattr) are in
/// host order as the kernel expects; attribute values are written only through methods that name their byte
/// order. Open/close pairs return and take a token whose length is back-filled at the end (the Tmds.DBus
/// MessageWriter pattern); closing out of order is an <see cref="InvalidOperationException"/>.
/// </summary>
internal ref struct NetlinkWriter
{
    private const int MaxDepth = 16;

    private readonly NetlinkBuffer _buffer;
    private OffsetStack _open;
    private int _depth;

    public NetlinkWriter(NetlinkBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        _buffer = buffer;
    }

    /// <summary>Offset of the next byte, relative to the start of the buffer.</summary>
    public readonly int Position => _buffer.Length;

    /// <summary>Starts a message: writes an nlmsghdr whose length is filled in by <see cref="EndMessage"/>.</summary>
    public MessageToken BeginMessage(ushort type, NetlinkMessageFlags flags, uint sequence)
    {
        if (_depth != 0)
        {
            throw new InvalidOperationException("A netlink message cannot start inside another message or attribute; close them first.");
        }

        int start = AlignedReserve(NetlinkMessageHeader.Size);
        var header = new NetlinkMessageHeader { Length = 0, Type = type, Flags = (ushort)flags, Sequence = sequence, PortId = 0 };
        MemoryMarshal.Write(_buffer.Array.AsSpan(start), in header);
        Push(start);
        return new MessageToken(start);
    }

    /// <summary>Closes the message opened by <paramref name="token"/>, back-filling nlmsg_len.</summary>
    public void EndMessage(MessageToken token)
    {
        Pop(token.Offset);
        int length = _buffer.Length - token.Offset;
        MemoryMarshal.Write(_buffer.Array.AsSpan(token.Offset), (uint)length); // nlmsg_len, host order
        PadToAlignment();
    }

    /// <summary>
    /// Reserves the family's fixed header that follows nlmsghdr (struct nfgenmsg, struct rtgenmsg, ...), zeroed,
    /// for the family to fill in: it knows the fields and their byte order.
    /// </summary>
    public readonly Span<byte> ReserveFamilyHeader(int length) => Reserve(length);

    /// <summary>Starts a nested attribute (NLA_F_NESTED set); its length is filled in by <see cref="EndNested"/>.</summary>
    public AttributeToken BeginNested(ushort type)
    {
        RequireOpenMessage();
        int start = AlignedReserve(NetlinkConstants.NLA_HDRLEN);
        WriteAttributeHeader(start, 0, (ushort)(type | NetlinkAttributeFlags.Nested));
        Push(start);
        return new AttributeToken(start);
    }

    /// <summary>Closes the nested attribute opened by <paramref name="token"/>.</summary>
    public void EndNested(AttributeToken token)
    {
        Pop(token.Offset);
        int length = _buffer.Length - token.Offset;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"Nested attribute of {length} bytes exceeds the 16-bit nla_len limit of {ushort.MaxValue}; split the object.");
        }

        MemoryMarshal.Write(_buffer.Array.AsSpan(token.Offset), (ushort)length);
    }

    /// <summary>Writes an attribute whose value is copied as given (the caller chose its byte order).</summary>
    public void WriteAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> span = BeginAttribute(type, value.Length);
        value.CopyTo(span);
        PadToAlignment();
    }

    /// <summary>Writes a 32-bit attribute in network byte order, as every NFTA_* integer is (nf_tables.h).</summary>
    public void WriteUInt32BigEndian(ushort type, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(BeginAttribute(type, 4), value);
    }

    /// <summary>Writes a 64-bit attribute in network byte order (handles).</summary>
    public void WriteUInt64BigEndian(ushort type, ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(BeginAttribute(type, 8), value);
    }

    /// <summary>Writes a one-byte attribute (NLA_U8, e.g. NFTA_REJECT_ICMP_CODE); the kernel pads it to four.</summary>
    public void WriteByte(ushort type, byte value)
    {
        BeginAttribute(type, 1)[0] = value;
        PadToAlignment();
    }

    /// <summary>Writes a NUL-terminated string attribute (NLA_STRING / NLA_NUL_STRING).</summary>
    public void WriteString(ushort type, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> span = BeginAttribute(type, byteCount + 1);
        Encoding.UTF8.GetBytes(value, span);
        span[byteCount] = 0;
        PadToAlignment();
    }

    /// <summary>Appends already-encoded attributes (an opaque expression's data) and keeps alignment.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> encodedAttributes)
    {
        RequireOpenMessage();
        int start = AlignedReserve(encodedAttributes.Length);
        encodedAttributes.CopyTo(_buffer.Array.AsSpan(start));
        PadToAlignment();
    }

    private Span<byte> BeginAttribute(ushort type, int valueLength)
    {
        RequireOpenMessage();
        int total = NetlinkConstants.NLA_HDRLEN + valueLength;
        if (total > ushort.MaxValue)
        {
            throw new InvalidOperationException($"Attribute of {total} bytes exceeds the 16-bit nla_len limit of {ushort.MaxValue}.");
        }

        int start = AlignedReserve(total);
        WriteAttributeHeader(start, (ushort)total, type);
        return _buffer.Array.AsSpan(start + NetlinkConstants.NLA_HDRLEN, valueLength);
    }

    private readonly void WriteAttributeHeader(int offset, ushort length, ushort type)
    {
        var header = new NetlinkAttributeHeader { Length = length, Type = type };
        MemoryMarshal.Write(_buffer.Array.AsSpan(offset), in header);
    }

    private readonly void RequireOpenMessage()
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("Attributes can only be written inside a message; call BeginMessage first.");
        }
    }

    private readonly Span<byte> Reserve(int length)
    {
        RequireOpenMessage();
        int start = AlignedReserve(length);
        return _buffer.Array.AsSpan(start, length);
    }

    /// <summary>Reserves bytes at the current (already aligned) position and zeroes them.</summary>
    private readonly int AlignedReserve(int length)
    {
        int padded = Align(length);
        _buffer.EnsureAvailable(padded);
        int start = _buffer.Length;
        _buffer.Array.AsSpan(start, padded).Clear();
        _buffer.Length = start + length;
        return start;
    }

    private readonly void PadToAlignment()
    {
        int aligned = Align(_buffer.Length);
        _buffer.EnsureAvailable(aligned - _buffer.Length);
        _buffer.Array.AsSpan(_buffer.Length, aligned - _buffer.Length).Clear();
        _buffer.Length = aligned;
    }

    private void Push(int offset)
    {
        if (_depth == MaxDepth)
        {
            throw new InvalidOperationException($"Netlink nesting deeper than {MaxDepth} levels.");
        }

        _open[_depth++] = offset;
    }

    private void Pop(int offset)
    {
        if (_depth == 0 || _open[_depth - 1] != offset)
        {
            throw new InvalidOperationException("Unbalanced netlink nesting: close the innermost open message or attribute first.");
        }

        _depth--;
        PadToAlignment();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Align(int length) => (length + NetlinkConstants.NLMSG_ALIGNTO - 1) & ~(NetlinkConstants.NLMSG_ALIGNTO - 1);

    [InlineArray(MaxDepth)]
    private struct OffsetStack
    {
        private int _element;
    }
}

/// <summary>Identifies an open message for <see cref="NetlinkWriter.EndMessage"/>.</summary>
internal readonly record struct MessageToken(int Offset);

/// <summary>Identifies an open nested attribute for <see cref="NetlinkWriter.EndNested"/>.</summary>
internal readonly record struct AttributeToken(int Offset);
